// Activities that talk back to chat: the final result of a chat-started operation, and a request for an
// approver's click. Both post to the Slack `response_url` of the command that started the work.
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

import { postToResponseUrl } from '../../slack/postToResponseUrl';
import { approvalRequestMessage, resultText } from '../../slack/slackMessages';
import type { SlackMessage } from '../../slack/slackMessages';
import type { ChatReplyTarget } from '../../domain';
import { CHAT_APPROVAL_REQUEST_ACTIVITY, CHAT_REPLY_ACTIVITY } from './chatFollowUp.contract';
import type { ChatApprovalRequestInput, ChatReplyInput } from './chatFollowUp.contract';

export const chatReply: ActivityHandler = async (
  input: ChatReplyInput,
  context: InvocationContext,
): Promise<void> => {
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
 * Best effort: Slack refuses a response_url after 30 minutes or 5 uses, and the result stays in the audit
 * trail and the status view anyway, so a failed post is logged rather than retried.
 */
async function post(
  target: ChatReplyTarget,
  message: SlackMessage,
  context: InvocationContext,
): Promise<void> {
  await postToResponseUrl(target.responseUrl, message, (warning) => context.warn(warning), 10_000);
}

df.app.activity(CHAT_REPLY_ACTIVITY, { handler: chatReply });
df.app.activity(CHAT_APPROVAL_REQUEST_ACTIVITY, { handler: chatRequestApproval });
