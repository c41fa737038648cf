// Waiting for a person's decision: the approval event, or the timeout, whichever comes first.
import type { OrchestrationContext, Task } from 'durable-functions';

import { APPROVAL_EVENT } from '../domain';
import type { ApprovalDecision } from '../domain';

export type ApprovalOutcome = ApprovalDecision | 'timeout';

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
