// POST /api/chat/teams: a Teams outgoing webhook. Anonymous at the Functions level because Teams cannot
// send a function key; the HMAC over the raw body, keyed with the webhook's security token, is the
// authentication. Anything else gets a bare 401 and nothing runs; a body past the limit, 413.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { runChatText } from '../chat/commandRunner';
import { admitChatRequest, TEAMS_BODY_LIMIT_BYTES } from '../chat/chatRequest';
import { teamsMessageText } from '../chat/teamsMessageText';
import { verifyTeamsRequest } from '../chat/teamsSignature';
import { teamsWebhookSecret } from '../config/settings';

export const TEAMS_WEBHOOK_FUNCTION = 'teamsWebhook';

interface TeamsActivity {
  text?: unknown;
  from?: { id?: unknown; name?: unknown; aadObjectId?: unknown };
}

export async function teamsWebhook(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const secret = teamsWebhookSecret();
  if (secret === undefined) {
    context.error('TEAMS_WEBHOOK_SECRET is not set: every Teams request is refused');
    return { status: 401 };
  }
  const admitted = await admitChatRequest(request, context, 'Teams', TEAMS_BODY_LIMIT_BYTES, (rawBody) =>
    verifyTeamsRequest(secret, request.headers.get('authorization'), rawBody),
  );
  if (!admitted.ok) return admitted.answer;

  let activity: TeamsActivity;
  try {
    const parsed = JSON.parse(admitted.body.toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an activity');
    activity = parsed;
  } catch {
    return message('That message could not be read.');
  }
  const from = activity.from ?? {};
  const id = typeof from.aadObjectId === 'string' ? from.aadObjectId : from.id;
  const reply = await runChatText(teamsMessageText(typeof activity.text === 'string' ? activity.text : ''), {
    actor: {
      id: `teams:${typeof id === 'string' ? id : 'unknown'}`.slice(0, 256),
      ...(typeof from.name === 'string' ? { name: from.name.slice(0, 256) } : {}),
    },
    platform: { kind: 'teams' },
    client: df.getClient(context),
    warn: (text) => context.warn(text),
  });
  return message(reply.text);
}

function message(text: string): HttpResponseInit {
  return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: { type: 'message', text } };
}

app.http(TEAMS_WEBHOOK_FUNCTION, {
  route: 'chat/teams',
  methods: ['POST'],
  // The HMAC signature authenticates the request (see above); a function key cannot be configured in Teams.
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: teamsWebhook,
});
