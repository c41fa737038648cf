// How an orchestration tells the chat it was started from how it ended: one reply through the chat
// follow-up activity, retried like every activity.
import type { OrchestrationContext, Task } from 'durable-functions';

import { ACTIVITY_RETRY } from '../common/activityRetry';
import { CHAT_REPLY_ACTIVITY } from './chatFollowUp.contract';
import type { ChatReplyInput } from './chatFollowUp.contract';

export function replyInChat(context: OrchestrationContext, reply: ChatReplyInput): Task {
  return context.df.callActivityWithRetry(CHAT_REPLY_ACTIVITY, ACTIVITY_RETRY, reply);
}
