// The continuation token callers see: base64url of JSON holding the store's own token and a check that
// ties it to the query that issued it, so an altered token, or one reused with other filters, is refused
// instead of returning a page of some other result.
import { canonicalJson, digest, ValidationError } from '../domain';

export const CONTINUATION_TOKEN_PARAMETER = 'continuationToken';

const VERSION = 1;
const MAX_TOKEN_LENGTH = 4096;

interface TokenContent {
  v: number;
  /** The store's token. */
  s: string;
  /** Check over the query and the store's token. */
  c: string;
}

export function wrapPageToken(query: unknown, storeToken: string): string {
  const content: TokenContent = { v: VERSION, s: storeToken, c: check(query, storeToken) };
  return Buffer.from(JSON.stringify(content), 'utf8').toString('base64url');
}

/** The store's token inside `token`, after checking it was issued for `query`. */
export function unwrapPageToken(query: unknown, token: string): string {
  const content = decode(token);
  if (content === undefined) {
    throw new ValidationError(
      CONTINUATION_TOKEN_PARAMETER,
      'is not a continuation token this API issued; pass the continuationToken of the previous page unchanged',
    );
  }
  if (content.c !== check(query, content.s)) {
    throw new ValidationError(
      CONTINUATION_TOKEN_PARAMETER,
      'was issued for a different query or was altered; repeat the query of the previous page with its token',
    );
  }
  return content.s;
}

function decode(token: string): TokenContent | undefined {
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { v, s, c } = parsed as Record<string, unknown>;
    return v === VERSION && typeof s === 'string' && s !== '' && typeof c === 'string'
      ? { v, s, c }
      : undefined;
  } catch {
    return undefined;
  }
}

function check(query: unknown, storeToken: string): string {
  return digest(`${canonicalJson(query)}\n${storeToken}`).slice(0, 32);
}
