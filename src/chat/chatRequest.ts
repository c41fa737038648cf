// What a chat endpoint checks before it trusts anything in a request: the raw body, read once and only
// up to the platform's limit (signatures cover the bytes exactly as sent), then the signature, then that
// the URL carries no query parameters (the platforms add none; `code` is the function key's).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { fieldErrorsOf } from '../domain';
import { toProblemResponse } from '../http/handler';
import { refuseUnknownParameters, requestQuery } from '../http/queryParameters';
import { PayloadTooLargeError, readBodyWithin } from '../http/requestBody';

/**
 * Slack's bodies are small form posts: a slash command's text (the parser refuses more than 500
 * characters) or a button click carrying the app's own approval message.
 */
export const SLACK_BODY_LIMIT_BYTES = 64 * 1024;
/** A Teams activity repeats the message (up to about 28 KB) as text and as an HTML attachment. */
export const TEAMS_BODY_LIMIT_BYTES = 128 * 1024;

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

export type ChatAdmission = { ok: true; body: Buffer } | { ok: false; answer: HttpResponseInit };

/**
 * The body of a genuine request, or the answer to give instead: 413 (problem+json) past the limit, a
 * bare 401 when the signature does not hold, 400 for query parameters. `platform` names it in the log.
 */
export async function admitChatRequest(
  request: HttpRequest,
  context: InvocationContext,
  platform: string,
  limitBytes: number,
  verify: (body: Buffer) => SignatureVerdict,
): Promise<ChatAdmission> {
  let body: Buffer;
  try {
    body = await readBodyWithin(request, limitBytes);
  } catch (error) {
    if (!(error instanceof PayloadTooLargeError)) throw error;
    context.warn(`a ${platform} request was refused: the body is larger than ${limitBytes} bytes`);
    return { ok: false, answer: toProblemResponse(error, context) };
  }
  const verdict = verify(body);
  if (!verdict.ok) {
    context.warn(`a ${platform} request was refused: ${verdict.reason}`);
    return { ok: false, answer: { status: 401 } };
  }
  try {
    refuseUnknownParameters(requestQuery(request), []);
  } catch (error) {
    if (fieldErrorsOf(error) === undefined) throw error;
    context.warn(`a ${platform} request was refused: its URL has query parameters`);
    return { ok: false, answer: toProblemResponse(error, context) };
  }
  return { ok: true, body };
}
