// Starting an orchestration under an instance id only when nothing else runs there. The Durable host
// answers a start over a running instance with an error (not a conflict), fails starts for other reasons
// too, and drops without a word a start that loses a race with another one: so the outcome is read back
// from the instance itself, never guessed from the start's answer.
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';

import { canonicalJson, isActiveRuntimeStatus } from '../domain';

export type ExclusiveStart =
  /** Our input runs (or ran) under the id: this start, or an earlier attempt of the same one. */
  | { outcome: 'started' }
  /**
   * Another orchestration holds the id: its name, status, (from its custom status) operation and (from its
   * input, when it carries one) the id of the request that started it.
   */
  | { outcome: 'busy'; name: string; runtimeStatus: string; operation?: string; requestId?: string }
  /** The start failed and nothing runs under the id. */
  | { outcome: 'failed'; reason: string };

export const isActive = (status: DurableOrchestrationStatus): boolean =>
  isActiveRuntimeStatus(status.runtimeStatus);

/** The instance's status with its input, or undefined when the engine has never heard of it. */
export async function instanceStatus(
  client: DurableClient,
  instanceId: string,
): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId, { showInput: true });
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) return undefined;
    throw error;
  }
}

const asJson = (value: unknown): string => canonicalJson(JSON.parse(JSON.stringify(value ?? null)));

/** Whether the instance runs (or ran) with `input`: this start's, not another one's. */
export const runsInput = (status: DurableOrchestrationStatus, input: unknown): boolean =>
  asJson(status.input) === asJson(input);

function holder(status: DurableOrchestrationStatus, input: unknown): ExclusiveStart {
  if (runsInput(status, input)) return { outcome: 'started' };
  const operation = (status.customStatus as { operation?: unknown } | null | undefined)?.operation;
  const requestId = (status.input as { requestId?: unknown } | null | undefined)?.requestId;
  return {
    outcome: 'busy',
    name: status.name,
    runtimeStatus: String(status.runtimeStatus),
    ...(typeof operation === 'string' ? { operation } : {}),
    ...(typeof requestId === 'string' ? { requestId } : {}),
  };
}

export async function startExclusive(
  client: DurableClient,
  orchestration: string,
  instanceId: string,
  input: unknown,
): Promise<ExclusiveStart> {
  const before = await instanceStatus(client, instanceId);
  // An earlier attempt of this very start (an activity runs at least once) is not started again.
  if (before !== undefined && (isActive(before) || runsInput(before, input))) return holder(before, input);
  try {
    await client.startNew(orchestration, { instanceId, input });
  } catch (error) {
    const after = await instanceStatus(client, instanceId);
    if (after !== undefined && isActive(after)) return holder(after, input);
    return { outcome: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
  const after = await instanceStatus(client, instanceId);
  if (after === undefined)
    return { outcome: 'failed', reason: `${instanceId} was gone right after its start` };
  return holder(after, input);
}
