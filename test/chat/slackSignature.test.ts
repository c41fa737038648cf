import { createHmac } from 'node:crypto';

import { slackSignature, verifySlackRequest } from '../../src/chat/slackSignature';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = 1_700_000_000;
const BODY = Buffer.from('token=x&team_id=T1&user_id=U1&command=%2Facr&text=list+crone01');

/** Signed the way Slack's documentation spells it out, independently of the code under test. */
function signedBySlack(timestamp: number, body: Buffer, secret = SECRET): string {
  const base = Buffer.concat([Buffer.from(`v0:${timestamp}:`), body]);
  return `v0=${createHmac('sha256', secret).update(base).digest('hex')}`;
}

const verify = (timestamp: string | null, signature: string | null, body: Buffer = BODY, now = NOW) =>
  verifySlackRequest(SECRET, { timestamp, signature, rawBody: body }, now);

describe('Slack request signatures', () => {
  test('a request signed with the signing secret is genuine', () => {
    expect(verify(String(NOW), signedBySlack(NOW, BODY))).toEqual({ ok: true });
    expect(slackSignature(SECRET, String(NOW), BODY)).toBe(signedBySlack(NOW, BODY));
  });

  test('a timestamp up to five minutes away either way is accepted', () => {
    expect(verify(String(NOW - 300), signedBySlack(NOW - 300, BODY))).toEqual({ ok: true });
    expect(verify(String(NOW + 300), signedBySlack(NOW + 300, BODY))).toEqual({ ok: true });
  });

  test.each<[string, string | null, string | null, Buffer, RegExp]>([
    [
      'a signature made with another secret',
      String(NOW),
      signedBySlack(NOW, BODY, 'other'),
      BODY,
      /does not match/,
    ],
    [
      'a body changed after signing',
      String(NOW),
      signedBySlack(NOW, BODY),
      Buffer.from(`${BODY.toString()}&x=1`),
      /does not match/,
    ],
    [
      'a stale timestamp, correctly signed',
      String(NOW - 301),
      signedBySlack(NOW - 301, BODY),
      BODY,
      /five minutes/,
    ],
    ['a timestamp from the future', String(NOW + 301), signedBySlack(NOW + 301, BODY), BODY, /five minutes/],
    [
      'a replayed body with a new timestamp',
      String(NOW),
      signedBySlack(NOW - 600, BODY),
      BODY,
      /does not match/,
    ],
    ['a missing signature', String(NOW), null, BODY, /missing/],
    ['a missing timestamp', null, signedBySlack(NOW, BODY), BODY, /missing/],
    ['a timestamp that is not a number', '17e8', signedBySlack(NOW, BODY), BODY, /not a number/],
    [
      'another signature version',
      String(NOW),
      signedBySlack(NOW, BODY).replace('v0=', 'v1='),
      BODY,
      /malformed/,
    ],
    ['a signature that is not hex', String(NOW), `v0=${'z'.repeat(64)}`, BODY, /malformed/],
    [
      'a signature of the wrong length',
      String(NOW),
      signedBySlack(NOW, BODY).slice(0, -2),
      BODY,
      /malformed/,
    ],
    ['an overlong signature', String(NOW), `${signedBySlack(NOW, BODY)}00`, BODY, /malformed/],
    [
      'upper-case hex',
      String(NOW),
      signedBySlack(NOW, BODY).toUpperCase().replace('V0=', 'v0='),
      BODY,
      /malformed/,
    ],
  ])('%s is refused', (_scenario, timestamp, signature, body, reason) => {
    const verdict = verify(timestamp, signature, body);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  test('without a signing secret nothing is genuine', () => {
    const verdict = verifySlackRequest(
      '',
      { timestamp: String(NOW), signature: signedBySlack(NOW, BODY, ''), rawBody: BODY },
      NOW,
    );
    expect(verdict).toEqual({ ok: false, reason: 'no signing secret is configured' });
  });
});
