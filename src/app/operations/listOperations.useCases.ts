// Listing operations (replica operations, heals, sweeps) for the dashboard and other readers: the
// engine's instance query, bounded to a window of recent ones, newest first, with the approval policy of
// those waiting for a decision so a reader can say who may decide.
import { OrchestrationRuntimeStatus } from 'durable-functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';

import { waitingOperationOf } from '../../domain';
import type { ApprovalPolicy } from '../../domain';
import { EngineUnavailableError } from './operations.useCases';

/** Which operations to list: under way, finished (in any way), or both. */
export type OperationStatusFilter = 'active' | 'finished' | 'failed' | 'all';

/** How far back finished operations are listed. */
export const RECENT_OPERATIONS_DAYS = 7;

const STATUSES: Record<OperationStatusFilter, OrchestrationRuntimeStatus[] | undefined> = {
  active: [
    OrchestrationRuntimeStatus.Running,
    OrchestrationRuntimeStatus.Pending,
    OrchestrationRuntimeStatus.ContinuedAsNew,
    OrchestrationRuntimeStatus.Suspended,
  ],
  finished: [
    OrchestrationRuntimeStatus.Completed,
    OrchestrationRuntimeStatus.Failed,
    OrchestrationRuntimeStatus.Terminated,
  ],
  failed: [OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
  all: undefined,
};

export interface ListedOperation {
  status: DurableOrchestrationStatus;
  /** Who may decide, for an operation waiting for an approval. */
  approval?: ApprovalPolicy;
}

/**
 * Operations matching `filter`, newest change first: every active one, and those created within the last
 * RECENT_OPERATIONS_DAYS. The caller pages through the result and adds approvals to its page.
 */
export async function listOperations(
  client: DurableClient,
  filter: OperationStatusFilter,
  now: Date,
): Promise<DurableOrchestrationStatus[]> {
  const runtimeStatus = STATUSES[filter];
  const createdTimeFrom =
    filter === 'active' ? undefined : new Date(now.getTime() - RECENT_OPERATIONS_DAYS * 86_400_000);
  let statuses: DurableOrchestrationStatus[];
  try {
    statuses = await client.getStatusBy({
      ...(runtimeStatus === undefined ? {} : { runtimeStatus }),
      ...(createdTimeFrom === undefined ? {} : { createdTimeFrom }),
    });
  } catch (error) {
    throw new EngineUnavailableError(error);
  }
  return [...statuses].sort((a, b) => timeOf(b) - timeOf(a));
}

/** The page's operations, each waiting one with its approval policy. */
export function withApprovals(
  client: DurableClient,
  page: readonly DurableOrchestrationStatus[],
): Promise<ListedOperation[]> {
  return Promise.all(page.map((status) => withApproval(client, status)));
}

const timeOf = (status: DurableOrchestrationStatus): number =>
  new Date(status.lastUpdatedTime ?? status.createdTime).getTime();

/** The operation with its approval policy when it waits for one (read from its input). */
async function withApproval(
  client: DurableClient,
  status: DurableOrchestrationStatus,
): Promise<ListedOperation> {
  const custom = status.customStatus as { phase?: unknown } | null | undefined;
  if (custom?.phase !== 'awaiting-approval') return { status };
  try {
    const full = await client.getStatus(status.instanceId, { showInput: true });
    const { policy } = waitingOperationOf(full.input);
    return policy === undefined ? { status } : { status, approval: policy };
  } catch {
    // It may have been decided (or purged) since the list was read: it is listed as it was.
    return { status };
  }
}
