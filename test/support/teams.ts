// Requests shaped and signed the way a Teams outgoing webhook sends them, for tests of the chat endpoint.
import { createHmac } from 'node:crypto';

/** `Authorization: HMAC <base64 HMAC-SHA256 of the raw body>`, keyed with the decoded security token. */
export function teamsHeaders(body: string | Buffer, token: string): Record<string, string> {
  const signature = createHmac('sha256', Buffer.from(token, 'base64')).update(body).digest('base64');
  return { 'content-type': 'application/json', authorization: `HMAC ${signature}` };
}

/** A channel message mentioning the webhook, as Teams posts it. */
export function teamsMessage(text: string, from = { id: '29:1teams-user', name: 'Grace' }): string {
  return JSON.stringify({
    type: 'message',
    id: '1485983408511',
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    from,
    conversation: { id: '19:ops@thread.skype', isGroup: true },
    text: `<at>guard</at>&nbsp;${text}\n`,
    entities: [],
  });
}
