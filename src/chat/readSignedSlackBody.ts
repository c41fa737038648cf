// Every Slack endpoint authenticates the same way: the v0 signature over the raw body, with the signing
// secret from settings. The body is returned only when the request is genuine, fresh and within limits.
import type { HttpRequest, InvocationContext } from '@azure/functions';

import { slackSigningSecret } from '../config/settings';
import { admitChatRequest, SLACK_BODY_LIMIT_BYTES } from './chatRequest';
import type { ChatAdmission } from './chatRequest';
import { verifySlackRequest } from './slackSignature';

export async function readSignedSlackBody(
  request: HttpRequest,
  context: InvocationContext,
): Promise<ChatAdmission> {
  const secret = slackSigningSecret();
  if (secret === undefined) {
    context.error('SLACK_SIGNING_SECRET is not set: every Slack request is refused');
    return { ok: false, answer: { status: 401 } };
  }
  return admitChatRequest(request, context, 'Slack', SLACK_BODY_LIMIT_BYTES, (rawBody) =>
    verifySlackRequest(secret, {
      timestamp: request.headers.get('x-slack-request-timestamp'),
      signature: request.headers.get('x-slack-signature'),
      rawBody,
    }),
  );
}
