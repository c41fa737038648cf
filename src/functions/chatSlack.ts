// POST /api/chat/slack/commands: a Slack slash command. Anonymous at the Functions level because Slack
// cannot send a function key; the request signature, checked over the raw body, is the authentication.
// Anything unsigned, badly signed or stale gets a bare 401 and nothing runs; a body past the limit, 413.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { runChatText } from '../chat/commandRunner';
import { readSignedSlackBody } from '../chat/readSignedSlackBody';
import { slackReplyTarget } from '../slack/replyTarget';
import { chatReplyHosts } from '../config/settings';
import type { ChatReplyTarget } from '../domain';

export const SLACK_COMMANDS_FUNCTION = 'slackCommands';

export async function slackCommands(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const admitted = await readSignedSlackBody(request, context);
  if (!admitted.ok) return admitted.answer;

  const form = new URLSearchParams(admitted.body.toString('utf8'));
  const team = form.get('team_id') ?? 'unknown';
  const user = form.get('user_id') ?? 'unknown';
  const name = form.get('user_name');
  const reply = await runChatText(form.get('text') ?? '', {
    actor: { id: `slack:${team}:${user}`.slice(0, 256), ...(name ? { name: name.slice(0, 256) } : {}) },
    platform: { kind: 'slack', teamId: team, userId: user },
    client: df.getClient(context),
    warn: (message) => context.warn(message),
    ...replyTargetOf(form.get('response_url'), context),
  });
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    jsonBody: { response_type: reply.ephemeral === false ? 'in_channel' : 'ephemeral', text: reply.text },
  };
}

app.http(SLACK_COMMANDS_FUNCTION, {
  route: 'chat/slack/commands',
  methods: ['POST'],
  // The Slack signature authenticates the request (see above); a function key cannot be configured in Slack.
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: slackCommands,
});

function replyTargetOf(
  responseUrl: string | null,
  context: InvocationContext,
): { replyTo?: ChatReplyTarget } {
  const replyTo = slackReplyTarget(responseUrl, chatReplyHosts());
  if (replyTo === undefined && responseUrl !== null)
    context.warn('ignored a response_url outside CHAT_REPLY_HOSTS');
  return replyTo === undefined ? {} : { replyTo };
}
