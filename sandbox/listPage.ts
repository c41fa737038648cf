// ARM list paging: `{value, nextLink?}` where nextLink is an absolute URL the SDK follows as is.

import { normalizeScope } from './armScope';
import { badRequest } from './authorizationErrors';
import type { SandboxRequest } from './types';

export interface ListPage<T> {
  value: T[];
  nextLink?: string;
}

const SKIP_TOKEN = '$skipToken';

/**
 * One page of `items`, starting at the request's `$skipToken`. The next link repeats the request's
 * query (api-version and filter included) because SDK paging sends the link without adding any.
 */
export function listPage<T>(items: readonly T[], req: SandboxRequest, pageSize: number): ListPage<T> {
  const start = skipOf(req.query.get(SKIP_TOKEN));
  const size = Math.max(1, Math.floor(pageSize));
  const value = items.slice(start, start + size);
  if (start + size >= items.length) return { value };
  const query = new URLSearchParams(req.query);
  query.set(SKIP_TOKEN, String(start + size));
  return { value, nextLink: `${req.baseUrl}${encodeURI(normalizeScope(req.path))}?${query.toString()}` };
}

function skipOf(token: string | null): number {
  if (token === null) return 0;
  if (!/^\d+$/.test(token)) throw badRequest('InvalidSkipToken', `The skip token '${token}' is not valid.`);
  return Number(token);
}
