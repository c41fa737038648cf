// Activities that talk back to chat: the final result of a chat-started operation, and a request for an
// approver's click. Both post to the Slack `response_url` of the command that started the work.
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

import { slackReplyTarget } from '../chat/replyTarget';
import { approvalRequestMessage, resultText } from '../chat/slackMessages';
import type { SlackMessage } from '../chat/slackMessages';
import { chatReplyHosts } from '../config/settings';
import type { ChatReplyTarget } from '../domain';
import { CHAT_APPROVAL_REQUEST_ACTIVITY, CHAT_REPLY_ACTIVITY } from './chatContract';
import type { ChatApprovalRequestInput, ChatReplyInput } from './chatContract';

export const chatReply: ActivityHandler = async (input: ChatReplyInput, context: InvocationContext): Promise<void> => {
  const text = resultText(
    input.operation,
    input.target,
    {
      outcome: input.outcome,
      ...(input.reason === undefined ? {} : { reason: input.reason }),
      ...(input.provisioningState === undefined ? {} : { provisioningState: input.provisioningState }),
    },
    input.startedAt,
    input.endedAt,
  );
  await post(input.replyTo, { response_type: 'in_channel', text }, context);
};

export const chatRequestApproval: ActivityHandler = async (
  input: ChatApprovalRequestInput,
  context: InvocationContext,
): Promise<void> => {
  const message = approvalRequestMessage({
    instanceId: input.instanceId,
    summary: input.summary,
    plan: input.plan,
    requestedBy: input.requestedBy.name ?? input.requestedBy.id,
    timeoutMinutes: input.timeoutMinutes,
  });
  await post(input.replyTo, message, context);
};

/**
 * Posts to the follow-up URL, checked again against the allowed hosts (settings may have changed since
 * the command arrived). Slack answers 404 once a response_url has expired (30 minutes, 5 uses): that is
 * logged rather than retried, since the audit trail and the status view keep the result anyway.
 */
async function post(target: ChatReplyTarget, message: SlackMessage, context: InvocationContext): Promise<void> {
  const checked = slackReplyTarget(target.responseUrl, chatReplyHosts());
  if (checked === undefined) {
    context.warn('chat reply not sent: its URL is outside CHAT_REPLY_HOSTS');
    return;
  }
  const response = await fetch(checked.responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status === 404 || response.status === 410) {
    context.warn(`chat reply not delivered: the response URL has expired (${response.status})`);
    return;
  }
  if (!response.ok) throw new Error(`the chat answered ${response.status}`);
}

df.app.activity(CHAT_REPLY_ACTIVITY, { handler: chatReply });
df.app.activity(CHAT_APPROVAL_REQUEST_ACTIVITY, { handler: chatRequestApproval });
