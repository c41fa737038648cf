// A Teams outgoing webhook signs the raw body: `Authorization: HMAC <base64 HMAC-SHA256>` keyed with the
// base64-decoded security token Teams shows once when the webhook is created. There is no timestamp, so
// Teams requests carry no replay protection of their own.
import { createHmac, timingSafeEqual } from 'node:crypto';

import type { Verification } from './slackSignature';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The key a security token stands for, or undefined when the token is not base64. */
export function teamsKey(securityToken: string): Buffer | undefined {
  const token = securityToken.trim();
  if (token === '' || !BASE64.test(token)) return undefined;
  return Buffer.from(token, 'base64');
}

export function teamsSignature(securityToken: string, rawBody: Buffer): string {
  const key = teamsKey(securityToken);
  if (key === undefined) throw new Error('the Teams security token is not base64');
  return `HMAC ${createHmac('sha256', key).update(rawBody).digest('base64')}`;
}

export function verifyTeamsRequest(
  securityToken: string,
  authorization: string | null,
  rawBody: Buffer,
): Verification {
  const key = teamsKey(securityToken);
  if (key === undefined) return { ok: false, reason: 'no valid base64 security token is configured' };
  if (authorization === null) return { ok: false, reason: 'the Authorization header is missing' };
  const match = /^HMAC ([A-Za-z0-9+/]{43}=)$/.exec(authorization.trim());
  if (match === null) return { ok: false, reason: 'the Authorization header is not an HMAC signature' };
  const given = Buffer.from(match[1] ?? '', 'base64');
  const expected = createHmac('sha256', key).update(rawBody).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'the signature does not match' };
  return { ok: true };
}
