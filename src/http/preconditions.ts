// The conditional-request headers of a write (RFC 9110): `If-Match` with entity tags or `*`, or
// `If-None-Match: *`. A write that names none gets the route's default, so that no write replaces what
// its caller has not seen.
import type { HttpRequest } from '@azure/functions';

import { ValidationError } from '../domain';
import type { WritePrecondition } from '../domain';

const ENTITY_TAG = /^(W\/)?"[\x21\x23-\x7e]*"$/;
const MAX_HEADER_LENGTH = 1024;

/** The request's precondition; undefined when it sends neither header. Throws on malformed ones. */
export function writePreconditionOf(request: HttpRequest): WritePrecondition | undefined {
  const ifMatch = request.headers.get('if-match')?.trim();
  const ifNoneMatch = request.headers.get('if-none-match')?.trim();
  if (ifMatch !== undefined && ifNoneMatch !== undefined) {
    throw new ValidationError('If-None-Match', 'cannot be sent together with If-Match');
  }
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch !== '*') throw new ValidationError('If-None-Match', 'on a write, only * is understood');
    return { kind: 'none-exists' };
  }
  if (ifMatch === undefined) return undefined;
  if (ifMatch === '*') return { kind: 'exists' };
  if (ifMatch.length > MAX_HEADER_LENGTH) throw new ValidationError('If-Match', 'is too long');
  const etags = ifMatch.split(',').map((tag) => tag.trim());
  if (etags.some((tag) => !ENTITY_TAG.test(tag))) {
    throw new ValidationError(
      'If-Match',
      'must be * or entity tags in quotes, such as "v3", as the ETag header gives them',
    );
  }
  // Weak tags never match a strong comparison; kept so that the answer is 412 rather than 400.
  return { kind: 'matches', etags };
}
