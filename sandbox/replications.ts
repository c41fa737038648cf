// Microsoft.ContainerRegistry/registries/replications with ARM's long-running-operation protocol:
// PUT/PATCH answer 201 + Azure-AsyncOperation, DELETE answers 202 + Location (see operations.ts); a write
// that provisions nothing (tags only, or no change) completes at once with 200.
import { CONTAINER_REGISTRY_API_VERSIONS } from './apiVersions';
import { invalidRequestContent, locationNotAvailable, resourceNotFound } from './armErrors';
import type { SandboxContext } from './context';
import { lifecycleEnv } from './context';
import { asyncOperationUrl, operationResultUrl } from './operations';
import { byName, pageOf } from './paging';
import type { ReplicaSettings, ReplicaView } from './replicaLifecycle';
import {
  applyInPlace,
  isBusy,
  isListed,
  settleRegistry,
  startCreate,
  startDelete,
  startUpdate,
  viewReplica,
} from './replicaLifecycle';
import { REGISTRY_TYPE, REPLICATION_TYPE, key, replicationId } from './resourceIds';
import type { Route, RouteParams } from './router';
import { isHomeReplica, isTags, requireRegistry } from './registries';
import type { RegistryRecord, ReplicaRecord } from './state';
import { ArmError } from './types';
import type { SandboxRequest, SandboxResponse } from './types';

const REPLICATIONS_PATH =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}/replications';
const REPLICATION_PATH = `${REPLICATIONS_PATH}/{replicationName}`;
const REPLICATION_NAME = /^[a-zA-Z0-9]{5,50}$/;

export const replicationRoutes: Route[] = [
  {
    method: 'GET',
    template: REPLICATIONS_PATH,
    operation: 'Replications_List',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries/replications',
    handle: (req, params, ctx) => {
      const registry = requireRegistry(req, params, ctx, { action: 'replications/read' });
      settleRegistry(registry, lifecycleEnv(ctx));
      const now = ctx.clock.now();
      const listed = [...registry.replicas.values()].filter((replica) => isListed(replica, now));
      const page = pageOf(byName(listed), req, ctx.config.pageSize);
      return {
        status: 200,
        body: { ...page, value: page.value.map((r) => renderReplica(registry, r, ctx)) },
      };
    },
  },
  {
    method: 'GET',
    template: REPLICATION_PATH,
    operation: 'Replications_Get',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries/replications',
    handle: (req, params, ctx) => {
      const { registry, replica } = requireReplica(req, params, ctx, 'read');
      return { status: 200, body: renderReplica(registry, replica, ctx) };
    },
  },
  {
    method: 'PUT',
    template: REPLICATION_PATH,
    operation: 'Replications_Create',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries/replications',
    handle: (req, params, ctx) => putReplication(req, params, ctx),
  },
  {
    method: 'PATCH',
    template: REPLICATION_PATH,
    operation: 'Replications_Update',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries/replications',
    handle: (req, params, ctx) => patchReplication(req, params, ctx),
  },
  {
    method: 'DELETE',
    template: REPLICATION_PATH,
    operation: 'Replications_Delete',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries/replications',
    handle: (req, params, ctx) => deleteReplication(req, params, ctx),
  },
];

function putReplication(req: SandboxRequest, params: RouteParams, ctx: SandboxContext): SandboxResponse {
  const name = params['replicationName'] ?? '';
  const registry = registryFor(req, params, ctx, 'replications/write', true);
  const body = parseCreateBody(req.body);
  if (!REPLICATION_NAME.test(name)) {
    throw new ArmError(
      400,
      'InvalidResourceName',
      `Replication name '${name}' must be 5 to 50 alphanumeric characters.`,
    );
  }
  requirePremium(registry);
  const subscription = ctx.state.subscription(registry.subscriptionId);
  const offered = subscription?.locations ?? [];
  if (!offered.some((l) => key(l) === key(body.location)))
    throw locationNotAvailable(body.location, REPLICATION_TYPE, offered);

  const env = lifecycleEnv(ctx);
  const existing = registry.replicas.get(key(name));
  if (existing) {
    refuseWhileBusy(existing, ctx);
    if (key(existing.location) !== key(body.location))
      throw locationChange(registry, existing, body.location);
    const wantedZones = body.zoneRedundancy ?? existing.zoneRedundancy;
    if (wantedZones !== existing.zoneRedundancy) throw zoneRedundancyChange(existing);
    const failed = viewReplica(existing, env).provisioningState === 'Failed';
    if (!failed) {
      // A PUT on a healthy replica is an update of its mutable settings; one that changes nothing is
      // answered at once (recorded: azure-sdk-for-python test_mgmt_containerregistry.test_replication).
      const tags = body.tags ?? {};
      const regionEndpointEnabled = body.regionEndpointEnabled ?? true;
      if (sameTags(tags, existing.tags) && regionEndpointEnabled === existing.regionEndpointEnabled) {
        applyInPlace(existing, {}, req.principal, env);
        return { status: 200, body: renderReplica(registry, existing, ctx) };
      }
      const operation = startUpdate(
        registry,
        existing,
        { tags, regionEndpointEnabled },
        req.principal,
        apiVersionOf(req),
        env,
      );
      return accepted201(req, registry, existing, operation.id, ctx);
    }
  } else {
    refuseRecentlyDeleted(registry, name, ctx);
  }
  const settings: ReplicaSettings = {
    location: existing?.location ?? body.location,
    tags: body.tags ?? {},
    regionEndpointEnabled: body.regionEndpointEnabled ?? true,
    zoneRedundancy: body.zoneRedundancy ?? 'Disabled',
  };
  const { replica, operation } = startCreate(registry, name, settings, req.principal, apiVersionOf(req), env);
  return accepted201(req, registry, replica, operation.id, ctx);
}

function patchReplication(req: SandboxRequest, params: RouteParams, ctx: SandboxContext): SandboxResponse {
  const { registry, replica } = requireReplica(req, params, ctx, 'write');
  const changes = parseUpdateBody(req.body);
  refuseWhileBusy(replica, ctx);
  if (changes.zoneRedundancy !== undefined && changes.zoneRedundancy !== replica.zoneRedundancy)
    throw zoneRedundancyChange(replica);
  const env = lifecycleEnv(ctx);
  if (viewReplica(replica, env).provisioningState === 'Failed') {
    // Sandbox choice: a Failed replica is healed by delete and create, not by an update.
    throw new ArmError(
      409,
      'ReplicationInFailedState',
      `The replication '${replica.name}' is in state 'Failed' and cannot be updated. Delete it and create it again.`,
    );
  }
  if (
    changes.regionEndpointEnabled === undefined ||
    changes.regionEndpointEnabled === replica.regionEndpointEnabled
  ) {
    // Tags are ARM metadata: ACR applies them at once and answers 200 with the replica, Succeeded
    // (recorded: azure-sdk-for-python test_cli_mgmt_containerregistry_registry.test_replications).
    applyInPlace(replica, changes.tags !== undefined ? { tags: changes.tags } : {}, req.principal, env);
    return { status: 200, body: renderReplica(registry, replica, ctx) };
  }
  const operation = startUpdate(
    registry,
    replica,
    {
      ...(changes.tags !== undefined ? { tags: changes.tags } : {}),
      ...(changes.regionEndpointEnabled !== undefined
        ? { regionEndpointEnabled: changes.regionEndpointEnabled }
        : {}),
    },
    req.principal,
    apiVersionOf(req),
    env,
  );
  return accepted201(req, registry, replica, operation.id, ctx);
}

function deleteReplication(req: SandboxRequest, params: RouteParams, ctx: SandboxContext): SandboxResponse {
  const name = params['replicationName'] ?? '';
  const registry = registryFor(req, params, ctx, 'replications/delete', false);
  const replica = registry.replicas.get(key(name));
  if (!replica) return { status: 204 };
  if (isHomeReplica(registry, replica.name)) {
    // The code ARM reports when a deployment tries to remove the home replica.
    throw new ArmError(
      400,
      'HomeReplicationCannotBeDeleted',
      `The replication '${replica.name}' is in the registry's home location '${registry.location}' and cannot be deleted.`,
    );
  }
  const env = lifecycleEnv(ctx);
  const view = viewReplica(replica, env);
  const operationId =
    view.provisioningState === 'Deleting' && replica.operationId !== undefined
      ? replica.operationId
      : startDelete(registry, replica, apiVersionOf(req), env).id;
  return {
    status: 202,
    headers: {
      Location: operationResultUrl(
        req.baseUrl,
        registry.subscriptionId,
        replica.location,
        operationId,
        apiVersionOf(req),
        ctx,
      ),
    },
  };
}

/** The registry (settled) after authorization; replica-level actions are checked at the replica's id. */
function registryFor(
  req: SandboxRequest,
  params: RouteParams,
  ctx: SandboxContext,
  action: string,
  asParent: boolean,
): RegistryRecord {
  const registry = requireRegistry(req, params, ctx, { action, scope: replicaScope(params), asParent });
  settleRegistry(registry, lifecycleEnv(ctx));
  return registry;
}

function requireReplica(
  req: SandboxRequest,
  params: RouteParams,
  ctx: SandboxContext,
  action: 'read' | 'write',
): { registry: RegistryRecord; replica: ReplicaRecord } {
  const registry = registryFor(req, params, ctx, `replications/${action}`, false);
  const name = params['replicationName'] ?? '';
  const replica = registry.replicas.get(key(name));
  if (!replica)
    throw resourceNotFound(`${REGISTRY_TYPE}/${registry.name}/replications/${name}`, registry.resourceGroup);
  return { registry, replica };
}

function replicaScope(params: RouteParams): string {
  return replicationId(
    {
      subscriptionId: params['subscriptionId'] ?? '',
      resourceGroup: params['resourceGroupName'] ?? '',
      name: params['registryName'] ?? '',
    },
    params['replicationName'] ?? '',
  );
}

function accepted201(
  req: SandboxRequest,
  registry: RegistryRecord,
  replica: ReplicaRecord,
  operationId: string,
  ctx: SandboxContext,
): SandboxResponse {
  // The answer to the write names no displayStatus yet, only when the status was taken (as recorded).
  const body = renderReplica(registry, replica, ctx) as { properties: { status: { timestamp: string } } };
  body.properties.status = { timestamp: body.properties.status.timestamp };
  return {
    status: 201,
    body,
    headers: {
      'Azure-AsyncOperation': asyncOperationUrl(
        req.baseUrl,
        replicationId(registry, replica.name),
        operationId,
        apiVersionOf(req),
        ctx,
      ),
    },
  };
}

export function renderReplica(
  registry: RegistryRecord,
  replica: ReplicaRecord,
  ctx: SandboxContext,
): unknown {
  const view: ReplicaView = viewReplica(replica, lifecycleEnv(ctx));
  return {
    id: replicationId(registry, replica.name),
    name: replica.name,
    type: REPLICATION_TYPE,
    location: replica.location,
    tags: replica.tags,
    systemData: replica.systemData,
    properties: {
      provisioningState: view.provisioningState,
      status: {
        displayStatus: view.displayStatus,
        ...(view.message === undefined ? {} : { message: view.message }),
        timestamp: new Date(view.since).toISOString(),
      },
      regionEndpointEnabled: replica.regionEndpointEnabled,
      zoneRedundancy: replica.zoneRedundancy,
    },
  };
}

function sameTags(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

function requirePremium(registry: RegistryRecord): void {
  if (registry.sku === 'Premium') return;
  // Sandbox choice of code: ARM refuses geo-replication below Premium; its exact code is not documented.
  throw new ArmError(
    400,
    'RegistrySkuNotSupported',
    `Geo-replication is only supported for registries of SKU 'Premium'. The registry '${registry.name}' has SKU '${registry.sku}'.`,
  );
}

function refuseWhileBusy(replica: ReplicaRecord, ctx: SandboxContext): void {
  if (!isBusy(replica, lifecycleEnv(ctx))) return;
  const state = viewReplica(replica, lifecycleEnv(ctx)).provisioningState;
  throw new ArmError(
    409,
    'AnotherOperationInProgress',
    `Another operation is in progress on the replication '${replica.name}' (provisioning state '${state}'). Retry after it completes.`,
  );
}

function refuseRecentlyDeleted(registry: RegistryRecord, name: string, ctx: SandboxContext): void {
  const deletedAt = registry.deletedReplicas.get(key(name));
  if (deletedAt === undefined) return;
  const blockedUntil = deletedAt + ctx.config.recreateBlockSeconds * 1000;
  const remainingMs = blockedUntil - ctx.clock.now();
  if (remainingMs <= 0) return;
  // Real ARM accepts such a PUT and fails it later; a clear early 409 keeps the sandbox deterministic.
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000 / ctx.clock.speed()));
  throw new ArmError(
    409,
    'ReplicationRecentlyDeleted',
    `The replication '${name}' was deleted recently and its resources are still being cleaned up. Retry after ${seconds} seconds.`,
  );
}

function locationChange(registry: RegistryRecord, replica: ReplicaRecord, location: string): ArmError {
  return new ArmError(
    400,
    'InvalidResourceLocation',
    `The resource '${registry.name}/${replica.name}' already exists in location '${replica.location}' in resource group '${registry.resourceGroup}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
  );
}

function zoneRedundancyChange(replica: ReplicaRecord): ArmError {
  return new ArmError(
    400,
    'OperationNotAllowed',
    `Updating the zone redundancy of the replication '${replica.name}' is not supported. Delete the replication and create it again.`,
  );
}

interface CreateBody {
  location: string;
  tags?: Record<string, string>;
  regionEndpointEnabled?: boolean;
  zoneRedundancy?: 'Enabled' | 'Disabled';
}

function parseCreateBody(body: unknown): CreateBody {
  const object = requireObject(body);
  const { location } = object as { location?: unknown };
  if (typeof location !== 'string' || location === '') {
    throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
  }
  return { location, ...parseMutable(object) };
}

function parseUpdateBody(body: unknown): Omit<CreateBody, 'location'> {
  return parseMutable(requireObject(body));
}

function parseMutable(object: object): Omit<CreateBody, 'location'> {
  const { tags, properties } = object as { tags?: unknown; properties?: unknown };
  if (tags !== undefined && tags !== null && !isTags(tags))
    throw invalidRequestContent('The tags must be an object of strings.');
  const props = (typeof properties === 'object' && properties !== null ? properties : {}) as {
    regionEndpointEnabled?: unknown;
    zoneRedundancy?: unknown;
  };
  if (props.regionEndpointEnabled !== undefined && typeof props.regionEndpointEnabled !== 'boolean') {
    throw invalidRequestContent('properties.regionEndpointEnabled must be a boolean.');
  }
  if (
    props.zoneRedundancy !== undefined &&
    props.zoneRedundancy !== 'Enabled' &&
    props.zoneRedundancy !== 'Disabled'
  ) {
    throw invalidRequestContent("properties.zoneRedundancy must be 'Enabled' or 'Disabled'.");
  }
  return {
    ...(isTags(tags) ? { tags } : {}),
    ...(typeof props.regionEndpointEnabled === 'boolean'
      ? { regionEndpointEnabled: props.regionEndpointEnabled }
      : {}),
    ...(props.zoneRedundancy !== undefined ? { zoneRedundancy: props.zoneRedundancy } : {}),
  };
}

function requireObject(body: unknown): object {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequestContent('The request content is missing or is not a JSON object.');
  }
  return body;
}

function apiVersionOf(req: SandboxRequest): string {
  return req.query.get('api-version') ?? CONTAINER_REGISTRY_API_VERSIONS[0] ?? '';
}
