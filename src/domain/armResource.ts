// Generic ARM resource ids (private endpoints, scopes), as opposed to the registry and replica ids the
// app validates strictly in resourceId.ts.

export interface ArmResource {
  subscriptionId: string;
  resourceGroup: string;
  provider: string;
  type: string;
  name: string;
}

const RESOURCE = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/([^/]+)\/([^/]+)$/i;

/** A top-level resource id, e.g. a private endpoint's; throws on anything else. */
export function parseArmResourceId(id: string): ArmResource {
  const match = RESOURCE.exec(id.trim().replace(/\/+$/, ''));
  if (match === null) throw new Error(`not a top-level ARM resource id: ${id}`);
  const [, subscriptionId = '', resourceGroup = '', provider = '', type = '', name = ''] = match;
  return { subscriptionId, resourceGroup, provider, type, name };
}

/** `/subscriptions/{id}` of any scope below a subscription. */
export function subscriptionScopeOf(id: string): string {
  const match = /^\/subscriptions\/([^/]+)/i.exec(id.trim());
  if (match === null) throw new Error(`not a scope within a subscription: ${id}`);
  return `/subscriptions/${match[1] ?? ''}`;
}

/** The form SDK scope parameters want: without the leading slash (one would be doubled on the wire). */
export function scopeParameter(scope: string): string {
  return scope.replace(/^\/+/, '');
}
