// Requests shaped and signed the way Slack sends them, for tests of the chat endpoints.
import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { PATIENCE_MS } from './patience';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** v0 HMAC-SHA256 over `v0:{timestamp}:{raw body}` with the signing secret, as Slack signs requests. */
export function slackHeaders(
  body: string | Buffer,
  secret: string,
  timestamp = nowSeconds(),
): Record<string, string> {
  const signature = createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`v0:${timestamp}:`), Buffer.from(body)]))
    .digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}

export function slashCommandBody(
  text: string,
  user: { team: string; id: string; name: string },
  responseUrl: string,
): string {
  return new URLSearchParams({
    team_id: user.team,
    user_id: user.id,
    user_name: user.name,
    channel_id: 'C0OPS',
    command: '/acr',
    text,
    response_url: responseUrl,
    trigger_id: '1.2.3',
  }).toString();
}

/** A Block Kit button click: form-encoded, the JSON in `payload`. */
export function buttonClickBody(
  actionId: 'approve' | 'reject',
  value: string,
  user: { team: string; id: string; name: string },
  responseUrl: string,
): string {
  const payload = {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: user.team },
    team: { id: user.team, domain: 'contoso' },
    channel: { id: 'C0OPS', name: 'ops' },
    response_url: responseUrl,
    actions: [
      { type: 'button', action_id: actionId, block_id: 'approval', value, action_ts: '1700000001.000200' },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A local stand-in for Slack's response_url host: keeps every JSON message posted to it, by path. */
export interface ResponseUrlReceiver {
  url(path: string): string;
  messages(path: string): Record<string, unknown>[];
  next(path: string, count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function startResponseUrlReceiver(): Promise<ResponseUrlReceiver> {
  const received = new Map<string, Record<string, unknown>[]>();
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const list = received.get(request.url ?? '') ?? [];
      list.push(JSON.parse(body) as Record<string, unknown>);
      received.set(request.url ?? '', list);
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const messages = (path: string): Record<string, unknown>[] => received.get(path) ?? [];
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    messages,
    next: async (path, count, timeoutMs = PATIENCE_MS) => {
      const deadline = Date.now() + timeoutMs;
      while (messages(path).length < count) {
        if (Date.now() > deadline) throw new Error(`${path}: ${messages(path).length} of ${count} messages`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return messages(path);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
