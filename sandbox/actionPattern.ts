// Matching of RBAC action strings against role permission patterns.

const cache = new Map<string, RegExp>();

/**
 * ARM action patterns: `*` stands for any run of characters (slashes included), so `*`, `*\/read`,
 * `Microsoft.Network/*` and `Microsoft.ContainerRegistry/registries/*\/write` all work; comparison
 * ignores case.
 */
export function actionMatches(pattern: string, action: string): boolean {
  let re = cache.get(pattern);
  if (re === undefined) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`, 'i');
    cache.set(pattern, re);
  }
  return re.test(action);
}

export function anyMatches(patterns: readonly string[], action: string): boolean {
  return patterns.some((pattern) => actionMatches(pattern, action));
}
