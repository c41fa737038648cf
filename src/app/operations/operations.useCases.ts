// Following an operation (a replica operation, a heal or a sweep) by its id, whichever channel asks: the
// REST API, chat, approvals, and the starters that keep one operation per instance id. The engine keeps
// its state in the storage account: when that cannot be reached, callers get an EngineUnavailableError
// (answered 503) and nothing is started.
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';

/** Runtime states in which an instance still holds its id: a new start under it would be refused. */
const ACTIVE = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

/** The orchestration engine (the Durable Functions HTTP API and its storage) did not answer as it should. */
export class EngineUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      `the orchestration engine is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'EngineUnavailableError';
    this.cause = cause;
  }
}

/**
 * The failure as an EngineUnavailableError when it came from the durable client: the client reports an
 * unexpected status of the engine's HTTP API as a plain Error with this message, and a connection that
 * failed as an axios error.
 */
export function engineFailureOf(error: unknown): EngineUnavailableError | undefined {
  if (error instanceof EngineUnavailableError) return error;
  if (!(error instanceof Error)) return undefined;
  const fromAxios = (error as { isAxiosError?: unknown }).isAxiosError === true;
  const unexpected = error.message.startsWith('The operation failed with an unexpected status code: 5');
  return fromAxios || unexpected ? new EngineUnavailableError(error) : undefined;
}

/** The operation's status, or undefined when the engine has never heard of it. */
export async function findOperation(
  client: DurableClient,
  instanceId: string,
): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId);
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) return undefined;
    throw new EngineUnavailableError(error);
  }
}

/** Whether this start began the operation, or found it already running under the id. */
export type OperationStart = 'started' | 'already-running';

/**
 * Starts an orchestration under `instanceId`. The engine refuses a second start of a running id (the
 * Functions host with a 500, not a 409), and fails the same way when its storage is down, so a failed
 * start is told apart by asking for the instance again: running means another start won the race;
 * anything else means the engine is unavailable.
 */
export async function startOperation(
  client: DurableClient,
  orchestration: string,
  instanceId: string,
  input: unknown,
): Promise<OperationStart> {
  try {
    await client.startNew(orchestration, { instanceId, input });
    return 'started';
  } catch (error) {
    if (isActive(await findOperation(client, instanceId))) return 'already-running';
    throw new EngineUnavailableError(error);
  }
}

/** Whether an operation with this status is still under way. */
export function isActive(status: DurableOrchestrationStatus | undefined): boolean {
  return status !== undefined && ACTIVE.has(String(status.runtimeStatus));
}

/** Where the REST API shows an operation. */
export function operationUrl(instanceId: string): string {
  return `/api/operations/${encodeURIComponent(instanceId)}`;
}
