// Waiting for a person's decision, as both replica operations and heals do: ask in the chat the request
// came from (when it can show buttons), then wait for the approval event or the timeout, whichever
// comes first.
import type { OrchestrationContext, Task } from 'durable-functions';

import { APPROVAL_EVENT } from '../../domain';
import type { ApprovalDecision } from '../../domain';
import { CHAT_APPROVAL_REQUEST_ACTIVITY } from '../chatFollowUp/chatFollowUp.contract';
import type { ChatApprovalRequestInput } from '../chatFollowUp/chatFollowUp.contract';
import { ACTIVITY_RETRY } from '../common/activityRetry';

export type ApprovalOutcome = ApprovalDecision | 'timeout';

/** Posts `ask` with Approve / Reject buttons when there is one, then waits for the decision. */
export function* askForApproval(
  context: OrchestrationContext,
  ask: ChatApprovalRequestInput | undefined,
  timeoutMinutes: number,
): Generator<unknown, ApprovalOutcome, unknown> {
  if (ask !== undefined) {
    yield context.df.callActivityWithRetry(CHAT_APPROVAL_REQUEST_ACTIVITY, ACTIVITY_RETRY, ask);
  }
  return yield* awaitApproval(context, timeoutMinutes);
}

export function* awaitApproval(
  context: OrchestrationContext,
  timeoutMinutes: number,
): Generator<unknown, ApprovalOutcome, unknown> {
  const deadline = new Date(context.df.currentUtcDateTime.getTime() + timeoutMinutes * 60000);
  const timeout = context.df.createTimer(deadline);
  const answer = context.df.waitForExternalEvent(APPROVAL_EVENT);
  const winner = (yield context.df.Task.any([answer, timeout])) as Task;
  if (winner !== answer) return 'timeout';
  timeout.cancel();
  return answer.result as ApprovalDecision;
}

/** Who decided, and through which channel, as the audit trail records it. */
export function decisionDetail(decision: ApprovalDecision): Record<string, unknown> {
  return {
    approver: decision.approver,
    ...(decision.channel === undefined ? {} : { channel: decision.channel }),
  };
}
