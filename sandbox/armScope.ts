// Scope strings as ARM compares them: case-insensitive, on whole path segments.

/** Leading slash, single slashes, no trailing slash; the tenant root is "/". */
export function normalizeScope(scope: string): string {
  const collapsed = ('/' + scope).replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return collapsed === '' ? '/' : collapsed;
}

/** True when `scope` is `ancestor` or lies below it. `/rg1` does not cover `/rg10`. */
export function scopeCovers(ancestor: string, scope: string): boolean {
  const a = normalizeScope(ancestor).toLowerCase();
  const s = normalizeScope(scope).toLowerCase();
  if (a === '/') return true;
  return s === a || s.startsWith(a + '/');
}

/** Either scope covers the other: they sit on one branch of the tree. */
export function scopesRelated(a: string, b: string): boolean {
  return scopeCovers(a, b) || scopeCovers(b, a);
}

export function sameScope(a: string, b: string): boolean {
  return normalizeScope(a).toLowerCase() === normalizeScope(b).toLowerCase();
}

/** The subscription id a scope belongs to, as spelled in the scope; undefined above subscriptions. */
export function subscriptionIdOf(scope: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(normalizeScope(scope))?.[1];
}

/**
 * Scopes a role assignment or assignable scope may name: the root, a management group, a subscription,
 * a resource group, or a resource (provider namespace followed by type/name pairs).
 */
export function isValidScope(scope: string): boolean {
  const s = normalizeScope(scope);
  if (s === '/') return true;
  if (/^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i.test(s)) return true;
  const segments = s.split('/').slice(1);
  if (segments[0]?.toLowerCase() !== 'subscriptions' || segments.length < 2) return false;
  if (segments.length === 2) return true;
  if (segments[2]?.toLowerCase() !== 'resourcegroups' || segments.length < 4) return false;
  if (segments.length === 4) return true;
  return isResourcePath(segments.slice(4));
}

// providers/{ns}/{type}/{name}[/{type}/{name}...][/providers/{ns}/{type}/{name}...]
function isResourcePath(segments: string[]): boolean {
  let i = 0;
  while (i < segments.length) {
    if (segments[i]?.toLowerCase() !== 'providers' || i + 1 >= segments.length) return false;
    i += 2;
    const start = i;
    while (i < segments.length && segments[i]?.toLowerCase() !== 'providers') i += 1;
    const pairs = i - start;
    if (pairs === 0 || pairs % 2 !== 0) return false;
  }
  return true;
}
