// Azure RBAC as ARM evaluates it, for reading the effective permissions ARM returns, and the stable
// names the app gives the role definitions and assignments it creates.
import { createHash } from 'node:crypto';

export interface PermissionEntry {
  actions?: string[];
  notActions?: string[];
}

/**
 * Whether any permission entry allows `action`: one of its actions matches and none of its notActions
 * does. NotActions subtract only within their own entry, so another role may still grant the action.
 */
export function permitsAction(permissions: readonly PermissionEntry[], action: string): boolean {
  return permissions.some(
    (entry) =>
      (entry.actions ?? []).some((pattern) => actionMatches(pattern, action)) &&
      !(entry.notActions ?? []).some((pattern) => actionMatches(pattern, action)),
  );
}

/** ARM action patterns: `*` stands for any run of characters, slashes included; case is ignored. */
export function actionMatches(pattern: string, action: string): boolean {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i').test(action);
}

/**
 * A GUID derived from the parts, like a template's guid(scope, principal, role): the same parts give
 * the same name on every run, so creating twice finds what the first run made. ARM ids compare
 * case-insensitively, and so do the parts here.
 */
export function deterministicGuid(...parts: string[]): string {
  const hash = createHash('sha256');
  // Length prefixes keep ('a-b', 'c') and ('a', 'b-c') apart.
  for (const part of parts) hash.update(`${part.length}:${part.toLowerCase()};`);
  const hex = hash.digest('hex');
  // RFC 9562 layout: version 8 (name-based, custom hash), variant 10.
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
