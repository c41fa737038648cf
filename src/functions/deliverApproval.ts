// Delivers an approval decision to an operation that waits for one. Shared by the REST approval endpoint
// and Slack's Approve / Reject buttons, so both check the same state before raising the event.
import type { DurableClient } from 'durable-functions';

import { APPROVAL_EVENT } from '../domain';
import type { ApprovalDecision } from '../domain';
import { findStatus } from './replicaOperationStarter';

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
  const status = await findStatus(client, instanceId);
  if (status === undefined) return { outcome: 'not-found' };
  const phase = (status.customStatus as { phase?: string } | null | undefined)?.phase;
  const runtime = String(status.runtimeStatus);
  if (runtime !== 'Running' || phase !== AWAITING_APPROVAL) {
    return { outcome: 'not-waiting', state: phase ?? runtime };
  }
  await client.raiseEvent(instanceId, APPROVAL_EVENT, decision);
  return { outcome: 'delivered' };
}
