// Microsoft.ContainerRegistry/registries: get, list (subscription and resource group, paged), create or
// update (synchronous: the spec's LRO allows a final 200/201), quota usages, and private endpoint
// connections.
import { createHash } from 'node:crypto';
import { CONTAINER_REGISTRY_API_VERSIONS } from './apiVersions';
import {
  invalidRequestContent,
  locationNotAvailable,
  parentResourceNotFound,
  resourceGroupNotFound,
  resourceNotFound,
  subscriptionNotFound,
} from './armErrors';
import type { SandboxContext } from './context';
import { authorize } from './context';
import { byName, pageOf } from './paging';
import {
  PRIVATE_ENDPOINT_CONNECTION_TYPE,
  REGISTRY_TYPE,
  key,
  registryId,
  resourceGroupScope,
  resourceName,
  subscriptionScope,
} from './resourceIds';
import type { Route, RouteParams } from './router';
import type { RegistryRecord, SubscriptionRecord } from './state';
import { createdSystemData, identityTypeOf, modifiedSystemData } from './state';
import { ArmError } from './types';
import type { Principal, SandboxRequest, SandboxResponse } from './types';

const REGISTRY_PATH =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}';
const SKUS = ['Basic', 'Standard', 'Premium'] as const;
const REGISTRY_NAME = /^[a-zA-Z0-9]{5,50}$/;

export const registryRoutes: Route[] = [
  {
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry/registries',
    operation: 'Registries_List',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries',
    handle: (req, params, ctx) => {
      const subscription = requireSubscription(ctx, params);
      authorize(ctx, req.principal, subscriptionScope(subscription.subscriptionId), `${REGISTRY_TYPE}/read`);
      return listRegistries(ctx.state.registriesIn(subscription.subscriptionId), req, ctx);
    },
  },
  {
    method: 'GET',
    template:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries',
    operation: 'Registries_ListByResourceGroup',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries',
    handle: (req, params, ctx) => {
      const subscription = requireSubscription(ctx, params);
      const group = params['resourceGroupName'] ?? '';
      authorize(
        ctx,
        req.principal,
        resourceGroupScope(subscription.subscriptionId, group),
        `${REGISTRY_TYPE}/read`,
      );
      if (!ctx.state.resourceGroupExists(subscription.subscriptionId, group))
        throw resourceGroupNotFound(group);
      return listRegistries(ctx.state.registriesIn(subscription.subscriptionId, group), req, ctx);
    },
  },
  {
    method: 'GET',
    template: REGISTRY_PATH,
    operation: 'Registries_Get',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries',
    handle: (req, params, ctx) => ({
      status: 200,
      body: renderRegistry(requireRegistry(req, params, ctx, { action: 'read' })),
    }),
  },
  {
    method: 'PUT',
    template: REGISTRY_PATH,
    operation: 'Registries_Create',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries',
    handle: (req, params, ctx) => putRegistry(req, params, ctx),
  },
  {
    method: 'GET',
    template: `${REGISTRY_PATH}/listUsages`,
    operation: 'Registries_ListUsages',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries',
    handle: (req, params, ctx) => {
      const registry = requireRegistry(req, params, ctx, { action: 'listUsages/read' });
      return { status: 200, body: { value: usagesOf(registry) } };
    },
  },
  {
    method: 'GET',
    template: `${REGISTRY_PATH}/privateEndpointConnections`,
    operation: 'PrivateEndpointConnections_List',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries/privateEndpointConnections',
    handle: (req, params, ctx) => {
      const registry = requireRegistry(req, params, ctx, { action: 'privateEndpointConnections/read' });
      return { status: 200, body: pageOf(privateEndpointConnections(registry), req, ctx.config.pageSize) };
    },
  },
  {
    method: 'GET',
    template: `${REGISTRY_PATH}/privateEndpointConnections/{privateEndpointConnectionName}`,
    operation: 'PrivateEndpointConnections_Get',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries/privateEndpointConnections',
    handle: (req, params, ctx) => {
      const registry = requireRegistry(req, params, ctx, { action: 'privateEndpointConnections/read' });
      const name = params['privateEndpointConnectionName'] ?? '';
      const connection = privateEndpointConnections(registry).find(
        (candidate) => candidate.name.toLowerCase() === name.toLowerCase(),
      );
      if (!connection)
        throw resourceNotFound(
          `${REGISTRY_TYPE}/${registry.name}/privateEndpointConnections/${name}`,
          registry.resourceGroup,
        );
      return { status: 200, body: connection };
    },
  },
];

export function requireSubscription(ctx: SandboxContext, params: RouteParams): SubscriptionRecord {
  const subscriptionId = params['subscriptionId'] ?? '';
  const subscription = ctx.state.subscription(subscriptionId);
  if (!subscription) throw subscriptionNotFound(subscriptionId);
  return subscription;
}

export interface RegistryAccess {
  /** Checked as `Microsoft.ContainerRegistry/registries/{action}`. */
  action: string;
  /** Where the action is checked; the registry itself when absent. */
  scope?: string;
  /** Child-resource writes report a missing registry as ARM's ParentResourceNotFound. */
  asParent?: boolean;
}

/**
 * Resolves the registry of a registry-scoped route, in ARM's order: subscription, authorization,
 * resource group, resource.
 */
export function requireRegistry(
  req: SandboxRequest,
  params: RouteParams,
  ctx: SandboxContext,
  access: RegistryAccess,
): RegistryRecord {
  const subscription = requireSubscription(ctx, params);
  const group = params['resourceGroupName'] ?? '';
  const name = params['registryName'] ?? '';
  const id = registryId({ subscriptionId: subscription.subscriptionId, resourceGroup: group, name });
  authorize(ctx, req.principal, access.scope ?? id, `${REGISTRY_TYPE}/${access.action}`);
  if (!ctx.state.resourceGroupExists(subscription.subscriptionId, group)) throw resourceGroupNotFound(group);
  const registry = ctx.state.registry(id);
  if (!registry)
    throw access.asParent
      ? parentResourceNotFound(`${REGISTRY_TYPE}/${name}`)
      : resourceNotFound(`${REGISTRY_TYPE}/${name}`, group);
  return registry;
}

function listRegistries(
  registries: RegistryRecord[],
  req: SandboxRequest,
  ctx: SandboxContext,
): SandboxResponse {
  const page = pageOf(byName(registries), req, ctx.config.pageSize);
  return { status: 200, body: { ...page, value: page.value.map(renderRegistry) } };
}

function putRegistry(req: SandboxRequest, params: RouteParams, ctx: SandboxContext): SandboxResponse {
  const subscription = requireSubscription(ctx, params);
  const group = params['resourceGroupName'] ?? '';
  const name = params['registryName'] ?? '';
  const id = registryId({ subscriptionId: subscription.subscriptionId, resourceGroup: group, name });
  authorize(ctx, req.principal, id, `${REGISTRY_TYPE}/write`);
  if (!ctx.state.resourceGroupExists(subscription.subscriptionId, group)) throw resourceGroupNotFound(group);
  const body = parseRegistryBody(req.body);
  if (!subscription.locations.some((l) => key(l) === key(body.location))) {
    throw locationNotAvailable(body.location, REGISTRY_TYPE, subscription.locations);
  }
  const existing = ctx.state.registry(id);
  const wallNow = ctx.clock.wallNow();
  if (existing) {
    if (key(existing.location) !== key(body.location)) throw invalidLocationChange(existing, body.location);
    existing.sku = body.sku;
    if (body.tags) existing.tags = body.tags;
    existing.systemData = modifiedSystemData(existing.systemData, req.principal, wallNow);
    return { status: 200, body: renderRegistry(existing) };
  }
  if (!REGISTRY_NAME.test(name)) {
    throw new ArmError(
      400,
      'InvalidResourceName',
      `Registry name '${name}' must be 5 to 50 alphanumeric characters.`,
    );
  }
  const registry = newRegistry({
    id,
    subscriptionId: subscription.subscriptionId,
    resourceGroup: group,
    name,
    location: body.location,
    sku: body.sku,
    tags: body.tags ?? {},
    privateEndpoints: [],
    sizeGiB: 0,
    createdBy: req.principal,
    wallNow,
  });
  ctx.state.registries.set(key(id), registry);
  return { status: 201, body: renderRegistry(registry) };
}

export interface NewRegistry {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  sku: RegistryRecord['sku'];
  tags: Record<string, string>;
  privateEndpoints: string[];
  sizeGiB: number;
  createdBy: Principal;
  wallNow: number;
}

/**
 * The registry service's own application, which creates every registry's home replica: recorded
 * replication lists show the home replica with `createdByType: "Application"` and a service id as
 * creator, whoever created the registry (Azure/azure-cli acr recordings,
 * test_acr_create_replication.yaml).
 */
export const REGISTRY_SERVICE_APP_ID = '8e2a3c5d-7f10-4b6e-9a21-3d4c5b6a7e80';

/** A registry record with its home replica (named after the registry's location, as ACR does). */
export function newRegistry(input: NewRegistry): RegistryRecord {
  const systemData = createdSystemData(
    input.createdBy.objectId,
    identityTypeOf(input.createdBy),
    input.wallNow,
  );
  const registry: RegistryRecord = {
    id: input.id,
    subscriptionId: input.subscriptionId,
    resourceGroup: input.resourceGroup,
    name: input.name,
    location: input.location,
    sku: input.sku,
    tags: input.tags,
    privateEndpoints: input.privateEndpoints,
    sizeGiB: input.sizeGiB,
    systemData,
    creationDate: new Date(input.wallNow).toISOString(),
    replicas: new Map(),
    deletedReplicas: new Map(),
  };
  registry.replicas.set(key(input.location), {
    name: input.location,
    location: input.location,
    tags: {},
    regionEndpointEnabled: true,
    zoneRedundancy: 'Disabled',
    systemData: createdSystemData(REGISTRY_SERVICE_APP_ID, 'Application', input.wallNow),
    wallSince: input.wallNow,
  });
  return registry;
}

export function isHomeReplica(registry: RegistryRecord, replicaName: string): boolean {
  return key(replicaName) === key(registry.location);
}

interface RegistryBody {
  location: string;
  sku: RegistryRecord['sku'];
  tags?: Record<string, string>;
}

function parseRegistryBody(body: unknown): RegistryBody {
  if (typeof body !== 'object' || body === null)
    throw invalidRequestContent('The request content is missing or is not a JSON object.');
  const { location, sku, tags } = body as { location?: unknown; sku?: { name?: unknown }; tags?: unknown };
  if (typeof location !== 'string' || location === '') {
    throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
  }
  const skuName = SKUS.find((s) => typeof sku?.name === 'string' && key(s) === key(sku.name));
  if (!skuName) throw invalidRequestContent(`The SKU name must be one of ${SKUS.join(', ')}.`);
  return { location, sku: skuName, ...(isTags(tags) ? { tags } : {}) };
}

export function isTags(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string')
  );
}

function invalidLocationChange(registry: RegistryRecord, location: string): ArmError {
  return new ArmError(
    400,
    'InvalidResourceLocation',
    `The resource '${registry.name}' already exists in location '${registry.location}' in resource group '${registry.resourceGroup}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
  );
}

export function renderRegistry(registry: RegistryRecord): unknown {
  const premium = registry.sku === 'Premium';
  return {
    id: registry.id,
    name: registry.name,
    type: REGISTRY_TYPE,
    location: registry.location,
    tags: registry.tags,
    sku: { name: registry.sku, tier: registry.sku },
    systemData: registry.systemData,
    properties: {
      loginServer: `${registry.name.toLowerCase()}.azurecr.io`,
      creationDate: registry.creationDate,
      provisioningState: 'Succeeded',
      adminUserEnabled: false,
      ...(premium ? { networkRuleSet: { defaultAction: 'Allow', ipRules: [] } } : {}),
      policies: {
        quarantinePolicy: { status: 'disabled' },
        trustPolicy: { type: 'Notary', status: 'disabled' },
        retentionPolicy: { days: 7, lastUpdatedTime: registry.creationDate, status: 'disabled' },
        exportPolicy: { status: 'enabled' },
        azureADAuthenticationAsArmPolicy: { status: 'enabled' },
      },
      encryption: { status: 'disabled' },
      dataEndpointEnabled: false,
      dataEndpointHostNames: [],
      privateEndpointConnections: privateEndpointConnections(registry),
      publicNetworkAccess: 'Enabled',
      networkRuleBypassOptions: 'AzureServices',
      networkRuleBypassAllowedForTasks: false,
      zoneRedundancy: 'Disabled',
      anonymousPullEnabled: false,
      roleAssignmentMode: 'LegacyRegistryPermissions',
    },
  };
}

function privateEndpointConnections(registry: RegistryRecord): { name: string }[] {
  return registry.privateEndpoints.map((endpointId) => {
    // ACR names connections "<endpoint>.<guid>"; a hash keeps the name stable across requests.
    const suffix = createHash('sha256').update(endpointId.toLowerCase()).digest('hex').slice(0, 32);
    const name = `${resourceName(endpointId)}.${suffix}`;
    return {
      id: `${registry.id}/privateEndpointConnections/${name}`,
      name,
      type: PRIVATE_ENDPOINT_CONNECTION_TYPE,
      properties: {
        privateEndpoint: { id: endpointId },
        privateLinkServiceConnectionState: {
          status: 'Approved',
          description: 'Auto-Approved',
          actionsRequired: 'None',
        },
        provisioningState: 'Succeeded',
      },
    };
  });
}

/** Storage included in each SKU, which ACR reports as the `Size` usage's limit. */
const INCLUDED_GIB: Record<RegistryRecord['sku'], number> = { Basic: 10, Standard: 100, Premium: 500 };

/**
 * The usages ACR reports: the content size in bytes (which may exceed the included storage: more is
 * billed, not refused), webhooks, and geo-replications (the home replica counts).
 */
function usagesOf(registry: RegistryRecord): object[] {
  const gib = 1024 ** 3;
  return [
    {
      name: 'Size',
      limit: INCLUDED_GIB[registry.sku] * gib,
      currentValue: Math.round(registry.sizeGiB * gib),
      unit: 'Bytes',
    },
    { name: 'Webhooks', limit: registry.sku === 'Premium' ? 500 : 10, currentValue: 0, unit: 'Count' },
    {
      name: 'Geo-replications',
      limit: registry.sku === 'Premium' ? -1 : 0,
      currentValue: registry.sku === 'Premium' ? registry.replicas.size : 0,
      unit: 'Count',
    },
  ];
}
