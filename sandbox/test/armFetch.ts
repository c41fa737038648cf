// Raw HTTPS calls to a test sandbox with a seeded principal's token, for conformance tests that check
// what the wire carries (status, headers, exact bodies) rather than what an SDK makes of it.
import type { TestSandbox } from '../testing';

export interface ArmAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Calls `pathAndQuery` (relative to the sandbox, or an absolute URL it issued) as `principalId`. */
export async function armFetch(
  sandbox: TestSandbox,
  principalId: string,
  method: string,
  pathAndQuery: string,
  body?: unknown,
): Promise<ArmAnswer> {
  const token = await sandbox.admin.call<{ accessToken: string }>('POST', '/token', {
    objectId: principalId,
  });
  const url = pathAndQuery.startsWith('https://') ? pathAndQuery : `${sandbox.url}${pathAndQuery}`;
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token.body.accessToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

/** Moves the sandbox's virtual clock forward. */
export async function advanceClock(sandbox: TestSandbox, seconds: number): Promise<void> {
  const answer = await sandbox.admin.call('POST', '/clock', { advanceSeconds: seconds });
  if (answer.status !== 200) throw new Error(`the sandbox refused to advance its clock: ${answer.status}`);
}

/**
 * A clock this slow stands still for the length of a test (a virtual second takes about 17 minutes),
 * so what a test sees never depends on how fast the machine runs it; the test moves time itself.
 */
export const STILL_CLOCK = 0.001;
