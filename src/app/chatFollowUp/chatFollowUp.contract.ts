// Names and shapes of the activities that talk back to chat, shared by the orchestrations that call
// them and the module that implements them.
import type { AuditActor, ChatReplyTarget } from '../../domain';

export const CHAT_REPLY_ACTIVITY = 'chatReply';
export const CHAT_APPROVAL_REQUEST_ACTIVITY = 'chatRequestApproval';

/** The end of a chat-started operation, to be told in the chat it came from. */
export interface ChatReplyInput {
  replyTo: ChatReplyTarget;
  /** create, update, delete, heal, sweep */
  operation: string;
  target: string;
  outcome: string;
  reason?: string;
  provisioningState?: string;
  startedAt: string;
  endedAt: string;
}

/** A request for a person's decision, posted with Approve / Reject buttons. */
export interface ChatApprovalRequestInput {
  replyTo: ChatReplyTarget;
  instanceId: string;
  summary: string;
  plan: string[];
  requestedBy: AuditActor;
  timeoutMinutes: number;
}
