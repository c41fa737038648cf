// Deciding on an operation that waits for an approval, whichever channel the decision comes from: the
// REST approval endpoint and Slack's Approve / Reject buttons check the same state before raising the
// event, and a refused decision is recorded next to the operation's own steps.
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';

import { APPROVAL_EVENT } from '../../domain';
import type { ApprovalDecision, AuditActor, AuditOutcome } from '../../domain';
import { auditRequestBestEffort } from '../audit/audit.useCases';
import { findOperation } from '../operations/operations.useCases';

export const AWAITING_APPROVAL = 'awaiting-approval';

export type ApprovalDelivery =
  | { outcome: 'delivered' }
  | { outcome: 'not-found' }
  /** The operation exists but does not wait (any more): `state` is its phase or runtime status. */
  | { outcome: 'not-waiting'; state: string };

export async function deliverApproval(
  client: DurableClient,
  instanceId: string,
  decision: ApprovalDecision,
): Promise<ApprovalDelivery> {
  const status = await findOperation(client, instanceId);
  if (status === undefined) return { outcome: 'not-found' };
  const phase = (status.customStatus as { phase?: string } | null | undefined)?.phase;
  const runtime = String(status.runtimeStatus);
  if (runtime !== 'Running' || phase !== AWAITING_APPROVAL) {
    return { outcome: 'not-waiting', state: phase ?? runtime };
  }
  await client.raiseEvent(instanceId, APPROVAL_EVENT, decision);
  return { outcome: 'delivered' };
}

/**
 * A decision that was not delivered (the decider may not approve, or nothing waits), recorded against
 * the operation's target, so it sits next to the operation's steps. Best effort, like every record of a
 * request that changes nothing.
 */
export async function auditRefusedDecision(
  client: DurableClient,
  instanceId: string,
  actor: AuditActor,
  outcome: AuditOutcome,
  detail: Record<string, unknown>,
  warn: (message: string) => void,
): Promise<void> {
  let status: DurableOrchestrationStatus | undefined;
  try {
    status = await findOperation(client, instanceId);
  } catch (error) {
    warn(`could not audit a refused decision: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const input = status?.input as { replicaId?: unknown } | undefined;
  const target = typeof input?.replicaId === 'string' ? input.replicaId : 'chat';
  await auditRequestBestEffort(
    {
      actor,
      channel: 'chat',
      operation: 'chat-approval',
      target,
      ...(status === undefined ? {} : { instanceId }),
      step: 'requested',
      outcome,
      detail,
    },
    `chat-approval|${instanceId}`,
    'a refused decision',
    warn,
  );
}
