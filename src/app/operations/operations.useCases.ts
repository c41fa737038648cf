// Following an operation (a replica operation, a heal or a sweep) by its id, whichever channel asks: the
// REST API, chat, approvals, and the starters that keep one operation per instance id. The engine keeps
// its state in the storage account: when that cannot be reached, callers get an EngineUnavailableError
// (answered 503) and nothing is started.
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';

import { startExclusive } from '../../azure/exclusiveStart';
import { isActiveRuntimeStatus } from '../../domain';
import type { ExclusiveStart } from '../../azure/exclusiveStart';

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

/**
 * Starts an orchestration under `instanceId` only when nothing runs there (see startExclusive). An engine
 * that cannot be asked is an EngineUnavailableError, as in findOperation.
 */
export async function startAlone(
  client: DurableClient,
  orchestration: string,
  instanceId: string,
  input: unknown,
): Promise<ExclusiveStart> {
  try {
    return await startExclusive(client, orchestration, instanceId, input);
  } catch (error) {
    throw new EngineUnavailableError(error);
  }
}

/** Whether an operation with this status is still under way. */
export function isActive(status: DurableOrchestrationStatus | undefined): boolean {
  return status !== undefined && isActiveRuntimeStatus(status.runtimeStatus);
}

/** Where the REST API shows an operation. */
export function operationUrl(instanceId: string): string {
  return `/api/operations/${encodeURIComponent(instanceId)}`;
}
