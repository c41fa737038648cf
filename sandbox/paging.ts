// ARM list paging: `{value, nextLink}` where nextLink repeats the request with a `$skipToken`.
import { invalidRequestContent } from './armErrors';
import type { SandboxRequest } from './types';

export interface Page<T> {
  value: T[];
  nextLink?: string;
}

export function pageOf<T>(items: readonly T[], req: SandboxRequest, pageSize: number): Page<T> {
  const offset = skipTokenOf(req);
  const value = items.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  if (next >= items.length) return { value };
  const query = new URLSearchParams(req.query);
  query.set('$skipToken', String(next));
  return { value, nextLink: `${req.baseUrl}${encodePath(req.path)}?${query.toString()}` };
}

/** Sorting makes pages stable across requests (ARM's own order is arbitrary). */
export function byName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
}

function skipTokenOf(req: SandboxRequest): number {
  const token = req.query.get('$skipToken');
  if (token === null) return 0;
  const offset = Number(token);
  if (!Number.isInteger(offset) || offset < 0)
    throw invalidRequestContent(`The $skipToken '${token}' is invalid.`);
  return offset;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
