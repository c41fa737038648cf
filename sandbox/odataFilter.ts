// The small OData `$filter` dialect Microsoft.Authorization lists accept.

import { badRequest } from './authorizationErrors';

export type FilterTerm =
  { kind: 'function'; name: string; argument?: string } | { kind: 'eq'; property: string; value: string };

/**
 * Splits `a and b and c` into terms, honouring quotes (role names such as "... Contributor and Data
 * Access ..." contain the word), and parses `prop eq 'value'`, `fn()` and `fn('value')` terms.
 */
export function parseFilter(filter: string): FilterTerm[] {
  return splitOnAnd(filter).map(parseTerm);
}

function splitOnAnd(filter: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < filter.length; i += 1) {
    const ch = filter.charAt(i);
    if (ch === "'") quoted = !quoted;
    if (!quoted && /\s/.test(ch) && /^\s+and\s+/i.test(filter.slice(i))) {
      parts.push(current);
      current = '';
      i += (/^\s+and\s+/i.exec(filter.slice(i))?.[0].length ?? 1) - 1;
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

function parseTerm(term: string): FilterTerm {
  const fn = /^(\w+)\(\s*(?:'((?:[^']|'')*)')?\s*\)$/.exec(term);
  if (fn?.[1] !== undefined) {
    return fn[2] === undefined
      ? { kind: 'function', name: fn[1] }
      : { kind: 'function', name: fn[1], argument: unquote(fn[2]) };
  }
  const eq = /^(\w+)\s+eq\s+(?:'((?:[^']|'')*)'|([^\s']+))$/i.exec(term);
  if (eq?.[1] !== undefined) return { kind: 'eq', property: eq[1], value: unquote(eq[2] ?? eq[3] ?? '') };
  throw invalidFilter(term);
}

function unquote(value: string): string {
  return value.replace(/''/g, "'");
}

export function invalidFilter(filter: string): Error {
  return badRequest('InvalidFilter', `The filter '${filter}' is not supported.`);
}
