// Slack signs every request: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:{timestamp}:{raw
// body}")>` with `X-Slack-Request-Timestamp`. The timestamp is inside the signature, so a replayed body
// with a fresh timestamp no longer matches, and an old timestamp is refused outright.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from now, either way. */
export const SLACK_MAX_AGE_SECONDS = 5 * 60;

export type Verification = { ok: true } | { ok: false; reason: string };

export interface SlackRequestParts {
  timestamp: string | null;
  signature: string | null;
  rawBody: Buffer;
}

export function slackSignature(secret: string, timestamp: string, rawBody: Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`v0:${timestamp}:`, 'utf8');
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

export function verifySlackRequest(
  secret: string,
  request: SlackRequestParts,
  nowSeconds = Math.floor(Date.now() / 1000),
): Verification {
  const { timestamp, signature } = request;
  if (secret === '') return { ok: false, reason: 'no signing secret is configured' };
  if (timestamp === null || signature === null) return { ok: false, reason: 'a signature header is missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'the timestamp is not a number' };
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_MAX_AGE_SECONDS)
    return { ok: false, reason: 'the timestamp is more than five minutes away' };
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'the signature is malformed' };
  const expected = Buffer.from(slackSignature(secret, timestamp, request.rawBody).slice(3), 'hex');
  const given = Buffer.from(signature.slice(3), 'hex');
  // Both are 32 bytes here (the pattern above); the length check keeps timingSafeEqual from throwing.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'the signature does not match' };
  return { ok: true };
}
