// Where a chat-started operation or sweep reports back when it ends; carried in its input.

/** Where a chat-started operation reports back: a Slack slash command's `response_url`. */
export interface ChatReplyTarget {
  platform: 'slack';
  responseUrl: string;
}
