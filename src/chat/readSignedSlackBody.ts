// Every Slack endpoint authenticates the same way: the v0 signature over the raw body, with the signing
// secret from settings. The body is returned only when the request is genuine and fresh.
import type { HttpRequest, InvocationContext } from '@azure/functions';

import { slackSigningSecret } from '../config/settings';
import { readRawBody } from './readRawBody';
import { verifySlackRequest } from './slackSignature';

export async function readSignedSlackBody(
  request: HttpRequest,
  context: InvocationContext,
): Promise<Buffer | undefined> {
  const secret = slackSigningSecret();
  if (secret === undefined) {
    context.error('SLACK_SIGNING_SECRET is not set: every Slack request is refused');
    return undefined;
  }
  const rawBody = await readRawBody(request);
  if (rawBody === undefined) {
    context.warn('a Slack request was refused: the body is too large');
    return undefined;
  }
  const verdict = verifySlackRequest(secret, {
    timestamp: request.headers.get('x-slack-request-timestamp'),
    signature: request.headers.get('x-slack-signature'),
    rawBody,
  });
  if (!verdict.ok) {
    context.warn(`a Slack request was refused: ${verdict.reason}`);
    return undefined;
  }
  return rawBody;
}
