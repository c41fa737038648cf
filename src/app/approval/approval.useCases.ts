// Deciding on an operation that waits for an approval, whichever channel the decision comes from: the
// REST approval endpoint and Slack's Approve / Reject buttons go through the same checks — the operation
// waits, and the approval policy recorded in it lets this decider decide — before the event is raised.
// Every refused decision is recorded next to the operation's own steps.
import type { DurableClient } from 'durable-functions';

import { approvalSettings, slackApprovers, slackTeamId } from '../../config/settings';
import { APPROVAL_EVENT, approvalPolicyFor, judgeDecider, waitingOperationOf } from '../../domain';
import type {
  ApprovalDecision,
  ApprovalPolicy,
  CurrentSlackRules,
  Decider,
  DecisionRefusal,
  RequestOrigin,
} from '../../domain';
import { auditRequestBestEffort } from '../audit/audit.useCases';
import { findOperation } from '../operations/operations.useCases';

export const AWAITING_APPROVAL = 'awaiting-approval';

export type ApprovalDelivery =
  | { outcome: 'delivered' }
  | { outcome: 'not-found' }
  /** The operation exists but does not wait (any more): `state` is its phase or runtime status. */
  | { outcome: 'not-waiting'; state: string }
  /** The operation waits, but its approval policy does not let this decider decide. */
  | { outcome: 'refused'; refusal: DecisionRefusal; reason: string };

/** Who may decide on an operation requested from `origin`, by the settings as they are now. */
export function approvalPolicyOf(origin: RequestOrigin): ApprovalPolicy {
  return approvalPolicyFor(origin, approvalSettings());
}

/**
 * Delivers `approved` from `decider` to the operation, when it waits for one and its policy lets the
 * decider decide. Anything else changes nothing, and is audited (best effort) before it is answered.
 */
export async function deliverApproval(
  client: DurableClient,
  instanceId: string,
  approved: boolean,
  decider: Decider,
  warn: (message: string) => void,
): Promise<ApprovalDelivery> {
  const status = await findOperation(client, instanceId);
  const waiting = waitingOperationOf(status?.input);
  const refuse = async (
    delivery: Exclude<ApprovalDelivery, { outcome: 'delivered' }>,
  ): Promise<ApprovalDelivery> => {
    await auditRefusedDecision(
      instanceId,
      waiting.target,
      status !== undefined,
      decider,
      approved,
      delivery,
      warn,
    );
    return delivery;
  };
  if (status === undefined) return refuse({ outcome: 'not-found' });
  const phase = (status.customStatus as { phase?: string } | null | undefined)?.phase;
  const runtime = String(status.runtimeStatus);
  if (runtime !== 'Running' || phase !== AWAITING_APPROVAL) {
    return refuse({ outcome: 'not-waiting', state: phase ?? runtime });
  }
  const verdict = judgeDecider(waiting.policy, decider, approved, currentSlackRules(decider, warn));
  if (!verdict.ok) return refuse({ outcome: 'refused', refusal: verdict.refusal, reason: verdict.reason });

  const decision: ApprovalDecision = { approved, approver: decider.actor, channel: decider.channel };
  await client.raiseEvent(instanceId, APPROVAL_EVENT, decision);
  return { outcome: 'delivered' };
}

/** The Slack settings as they are now; a malformed one lets nobody decide by click, rather than failing. */
function currentSlackRules(decider: Decider, warn: (message: string) => void): CurrentSlackRules {
  if (decider.channel !== 'slack') return { approvers: new Set() };
  try {
    const teamId = slackTeamId();
    return { approvers: slackApprovers(), ...(teamId === undefined ? {} : { teamId }) };
  } catch (error) {
    warn(error instanceof Error ? error.message : String(error));
    return { approvers: new Set() };
  }
}

/**
 * A decision that was not delivered, recorded against the operation's target so it sits next to the
 * operation's steps: `chat-approval` for a click, `approval` over REST.
 */
async function auditRefusedDecision(
  instanceId: string,
  target: string | undefined,
  exists: boolean,
  decider: Decider,
  approved: boolean,
  delivery: Exclude<ApprovalDelivery, { outcome: 'delivered' }>,
  warn: (message: string) => void,
): Promise<void> {
  const channel = decider.channel === 'slack' ? 'chat' : 'api';
  const detail =
    delivery.outcome === 'refused'
      ? { refusal: delivery.refusal, reason: delivery.reason, approved }
      : delivery.outcome === 'not-waiting'
        ? { refusal: 'not-awaiting-approval', state: delivery.state, approved }
        : { refusal: 'not-awaiting-approval', state: 'unknown', approved };
  await auditRequestBestEffort(
    {
      actor: decider.actor,
      channel,
      operation: decider.channel === 'slack' ? 'chat-approval' : 'approval',
      target: target ?? channel,
      ...(exists ? { instanceId } : {}),
      step: 'requested',
      outcome: 'refused',
      detail,
    },
    `${decider.channel}-approval|${instanceId}`,
    'a refused decision',
    warn,
  );
}
