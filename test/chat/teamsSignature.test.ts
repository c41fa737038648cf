import { createHmac, randomBytes } from 'node:crypto';

import { teamsKey, teamsSignature, verifyTeamsRequest } from '../../src/chat/teamsSignature';

const TOKEN = randomBytes(32).toString('base64');
const BODY = Buffer.from(
  JSON.stringify({ type: 'message', text: '<at>guard</at> list crone01', from: { id: '29:1', name: 'Ada' } }),
);

/** Signed the way Teams documents it, independently of the code under test. */
function signedByTeams(body: Buffer, token = TOKEN): string {
  return `HMAC ${createHmac('sha256', Buffer.from(token, 'base64')).update(body).digest('base64')}`;
}

describe('Teams outgoing webhook signatures', () => {
  test('a body signed with the decoded security token is genuine', () => {
    expect(verifyTeamsRequest(TOKEN, signedByTeams(BODY), BODY)).toEqual({ ok: true });
    expect(teamsSignature(TOKEN, BODY)).toBe(signedByTeams(BODY));
  });

  test('the key is the decoded token, not its text', () => {
    const keyedWithText = `HMAC ${createHmac('sha256', TOKEN).update(BODY).digest('base64')}`;
    expect(verifyTeamsRequest(TOKEN, keyedWithText, BODY).ok).toBe(false);
  });

  test.each<[string, string | null, Buffer, RegExp]>([
    [
      'another token’s signature',
      signedByTeams(BODY, randomBytes(32).toString('base64')),
      BODY,
      /does not match/,
    ],
    ['a changed body', signedByTeams(BODY), Buffer.from(`${BODY.toString()} `), /does not match/],
    ['a missing header', null, BODY, /missing/],
    ['another scheme', signedByTeams(BODY).replace('HMAC', 'Bearer'), BODY, /not an HMAC/],
    ['a signature of the wrong length', signedByTeams(BODY).slice(0, -4), BODY, /not an HMAC/],
    ['a signature that is not base64', `HMAC ${'!'.repeat(43)}=`, BODY, /not an HMAC/],
    ['an empty signature', 'HMAC ', BODY, /not an HMAC/],
  ])('%s is refused', (_scenario, header, body, reason) => {
    const verdict = verifyTeamsRequest(TOKEN, header, body);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  test.each(['', 'not base64!', 'abc'])(
    'a security token %j that is not base64 verifies nothing',
    (token) => {
      expect(teamsKey(token)).toBeUndefined();
      expect(verifyTeamsRequest(token, signedByTeams(BODY), BODY)).toEqual({
        ok: false,
        reason: 'no valid base64 security token is configured',
      });
    },
  );
});
