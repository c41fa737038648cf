// Following an operation (a replica operation, a heal or a sweep) by its id, whichever channel asks: the
// REST API, chat, approvals, and the starters that keep one operation per instance id.
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';

/** Runtime states in which an instance still holds its id: a new start under it would be refused. */
const ACTIVE = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

/** The operation's status, or undefined when the engine has never heard of it. */
export async function findOperation(
  client: DurableClient,
  instanceId: string,
): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId);
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) return undefined;
    throw error;
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
