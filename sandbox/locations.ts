// Microsoft.Resources subscriptions: list, get, and the locations offered to a subscription
// (as @azure/arm-resources-subscriptions reads them).
import { SUBSCRIPTIONS_API_VERSIONS } from './apiVersions';
import type { SandboxContext } from './context';
import { authorize } from './context';
import { REGIONS, regionalDisplayName } from './regions';
import { requireSubscription } from './registries';
import { subscriptionScope } from './resourceIds';
import type { Route } from './router';
import type { SubscriptionRecord } from './state';

const SUBSCRIPTION_READ = 'Microsoft.Resources/subscriptions/read';
/**
 * Listing a subscription's locations is its own operation, `Microsoft.Resources/subscriptions/locations/
 * read` ("Gets the list of locations supported", Azure permissions for Management and governance);
 * reading the subscription does not include it.
 */
const LOCATIONS_READ = 'Microsoft.Resources/subscriptions/locations/read';

export const subscriptionRoutes: Route[] = [
  {
    method: 'GET',
    template: '/subscriptions',
    operation: 'Subscriptions_List',
    apiVersions: SUBSCRIPTIONS_API_VERSIONS,
    handle: (req, _params, ctx) => {
      const visible = [...ctx.state.subscriptions.values()].filter((s) =>
        ctx.rbac.isAllowed(req.principal.objectId, subscriptionScope(s.subscriptionId), SUBSCRIPTION_READ),
      );
      return { status: 200, body: { value: visible.map((s) => renderSubscription(s, ctx)) } };
    },
  },
  {
    method: 'GET',
    template: '/subscriptions/{subscriptionId}',
    operation: 'Subscriptions_Get',
    apiVersions: SUBSCRIPTIONS_API_VERSIONS,
    handle: (req, params, ctx) => {
      const subscription = requireSubscription(ctx, params);
      authorize(ctx, req.principal, subscriptionScope(subscription.subscriptionId), SUBSCRIPTION_READ);
      return { status: 200, body: renderSubscription(subscription, ctx) };
    },
  },
  {
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/locations',
    operation: 'Subscriptions_ListLocations',
    apiVersions: SUBSCRIPTIONS_API_VERSIONS,
    handle: (req, params, ctx) => {
      const subscription = requireSubscription(ctx, params);
      authorize(ctx, req.principal, subscriptionScope(subscription.subscriptionId), LOCATIONS_READ);
      return {
        status: 200,
        body: {
          value: subscription.locations.map((name) => renderLocation(subscription.subscriptionId, name)),
        },
      };
    },
  },
];

function renderSubscription(subscription: SubscriptionRecord, ctx: SandboxContext): unknown {
  return {
    id: subscriptionScope(subscription.subscriptionId),
    subscriptionId: subscription.subscriptionId,
    tenantId: ctx.state.tenantId,
    displayName: subscription.displayName,
    state: 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
    authorizationSource: 'RoleBased',
    managedByTenants: [],
  };
}

export function renderLocation(subscriptionId: string, name: string): unknown {
  const id = `${subscriptionScope(subscriptionId)}/locations/${name}`;
  const info = REGIONS[name.toLowerCase()];
  if (!info)
    return {
      id,
      name,
      type: 'Region',
      displayName: name,
      regionalDisplayName: name,
      metadata: { regionType: 'Physical', regionCategory: 'Other' },
    };
  return {
    id,
    name,
    type: 'Region',
    displayName: info.displayName,
    regionalDisplayName: regionalDisplayName(info),
    metadata: {
      regionType: 'Physical',
      regionCategory: 'Recommended',
      geography: info.geography,
      geographyGroup: info.geographyGroup,
      longitude: info.longitude,
      latitude: info.latitude,
      physicalLocation: info.physicalLocation,
      ...(info.pairedRegion
        ? {
            pairedRegion: [
              {
                name: info.pairedRegion,
                id: `${subscriptionScope(subscriptionId)}/locations/${info.pairedRegion}`,
              },
            ],
          }
        : {}),
    },
  };
}
