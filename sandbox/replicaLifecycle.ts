// How replicas come and go: starting create/update/delete operations, deciding their fate, and
// computing what a replica looks like at a given virtual time. No HTTP here.
import { randomUUID } from 'node:crypto';
import { CONTAINER_REGISTRY_API_VERSION } from './apiVersions';
import type { Clock } from './clock';
import type { OperationRecord, RegistryRecord, ReplicaRecord } from './state';
import { createdSystemData, identityTypeOf, modifiedSystemData } from './state';
import type { Principal, ProvisioningTimings } from './types';

/** The permission whose absence leaves replicas of private-endpoint registries provisioning forever. */
export const PRIVATE_LINK_PROXY_WRITE = 'Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write';

export type ProvisioningState = 'Creating' | 'Updating' | 'Deleting' | 'Succeeded' | 'Failed';
export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface LifecycleEnv {
  operations: Map<string, OperationRecord>;
  clock: Clock;
  timings: ProvisioningTimings;
  /** How long (virtual ms) a new replica stays out of list answers after its PUT. */
  listLagMs: number;
  isAllowed(principalId: string, scope: string, action: string): boolean;
  /** Consumes a matching `replicationFailure` fault rule, if any. */
  takeReplicationFailure(registryId: string, location: string): { code: string; message: string } | undefined;
}

export interface ReplicaView {
  provisioningState: ProvisioningState;
  displayStatus: string;
  /** Only failures explain themselves; ACR sends no message for Ready or Syncing replicas. */
  message?: string;
  /** Wall-clock ms at which the current status began. */
  since: number;
}

export interface ReplicaSettings {
  location: string;
  tags: Record<string, string>;
  regionEndpointEnabled: boolean;
  zoneRedundancy: 'Enabled' | 'Disabled';
}

export function operationEndsAt(op: OperationRecord): number {
  return op.startedAt + op.durationMs;
}

/** When a succeeded create has finished copying content and shows Ready (virtual ms). */
function syncEndsAt(op: OperationRecord): number {
  return operationEndsAt(op) + (op.kind === 'create' ? (op.syncMs ?? 0) : 0);
}

/** Whether lists show the replica yet at virtual time `now` (new replicas lag behind their PUT). */
export function isListed(replica: ReplicaRecord, now: number): boolean {
  return replica.listedFrom === undefined || replica.listedFrom <= now;
}

export function operationStatus(op: OperationRecord, now: number): OperationStatus {
  if (op.canceledAt !== undefined && op.canceledAt <= now) return 'Canceled';
  if (now < operationEndsAt(op)) return 'InProgress';
  return op.outcome;
}

/** What a replica shows at virtual time `now`. */
export function viewReplica(
  replica: ReplicaRecord,
  env: Pick<LifecycleEnv, 'operations' | 'clock'>,
): ReplicaView {
  const op = replica.operationId === undefined ? undefined : env.operations.get(replica.operationId);
  if (!op) return ready(replica.wallSince);
  const now = env.clock.now();
  const status = operationStatus(op, now);
  if (status === 'InProgress') {
    if (op.kind === 'delete')
      return { provisioningState: 'Deleting', displayStatus: 'Deleting', since: op.wallStartedAt };
    return {
      provisioningState: op.kind === 'create' ? 'Creating' : 'Updating',
      displayStatus: 'Provisioning',
      since: op.wallStartedAt,
    };
  }
  const endedAt = env.clock.wallTimeOf(operationEndsAt(op));
  if (status === 'Failed') {
    return {
      provisioningState: 'Failed',
      displayStatus: 'Failed',
      message: op.error?.message ?? 'The replication failed.',
      since: endedAt,
    };
  }
  // A new replica reports Succeeded while its content is still being copied ("Syncing"), then Ready.
  if (now < syncEndsAt(op))
    return { provisioningState: 'Succeeded', displayStatus: 'Syncing', since: endedAt };
  return ready(op.kind === 'create' ? env.clock.wallTimeOf(syncEndsAt(op)) : endedAt);
}

function ready(since: number): ReplicaView {
  return { provisioningState: 'Succeeded', displayStatus: 'Ready', since };
}

/** Removes replicas whose deletion has completed, remembering when, for the recreate block. */
export function settleRegistry(
  registry: RegistryRecord,
  env: Pick<LifecycleEnv, 'operations' | 'clock'>,
): void {
  const now = env.clock.now();
  for (const [name, replica] of registry.replicas) {
    const op = replica.operationId === undefined ? undefined : env.operations.get(replica.operationId);
    if (op?.kind === 'delete' && operationStatus(op, now) !== 'InProgress') {
      registry.replicas.delete(name);
      registry.deletedReplicas.set(name, operationEndsAt(op));
    }
  }
}

/** Whether an operation on the replica is under way (a stuck create counts). */
export function isBusy(replica: ReplicaRecord, env: Pick<LifecycleEnv, 'operations' | 'clock'>): boolean {
  const op = replica.operationId === undefined ? undefined : env.operations.get(replica.operationId);
  return op !== undefined && operationStatus(op, env.clock.now()) === 'InProgress';
}

/** True when the creator lacks the private-link permission on any of the registry's private endpoints. */
export function createWouldStick(
  registry: RegistryRecord,
  principalId: string,
  env: Pick<LifecycleEnv, 'isAllowed'>,
): boolean {
  return registry.privateEndpoints.some(
    (endpoint) => !env.isAllowed(principalId, endpoint, PRIVATE_LINK_PROXY_WRITE),
  );
}

export function createDurationMs(timings: ProvisioningTimings, sizeGiB: number): number {
  return (timings.createSeconds + timings.createSecondsPerGiB * sizeGiB) * 1000;
}

export function syncDurationMs(timings: ProvisioningTimings, sizeGiB: number): number {
  return (timings.syncSeconds + timings.syncSecondsPerGiB * sizeGiB) * 1000;
}

/** Starts creating (or re-creating a Failed) replica; the outcome is decided now, from RBAC and fault rules. */
export function startCreate(
  registry: RegistryRecord,
  name: string,
  settings: ReplicaSettings,
  principal: Principal,
  apiVersion: string,
  env: LifecycleEnv,
): { replica: ReplicaRecord; operation: OperationRecord } {
  const stuck = createWouldStick(registry, principal.objectId, env);
  const failure = stuck ? undefined : env.takeReplicationFailure(registry.id, settings.location);
  const operation = recordOperation(env, registry, name, settings.location, 'create', apiVersion, {
    durationMs: stuck ? Infinity : createDurationMs(env.timings, registry.sizeGiB),
    outcome: failure ? 'Failed' : 'Succeeded',
    ...(failure ? { error: failure } : { syncMs: syncDurationMs(env.timings, registry.sizeGiB) }),
  });
  const wallNow = env.clock.wallNow();
  const previous = registry.replicas.get(name.toLowerCase());
  const replica: ReplicaRecord = {
    name: previous?.name ?? name,
    ...settings,
    systemData: previous
      ? modifiedSystemData(previous.systemData, principal, wallNow)
      : createdSystemData(principal.objectId, identityTypeOf(principal), wallNow),
    operationId: operation.id,
    wallSince: wallNow,
    ...(previous === undefined && env.listLagMs > 0
      ? { listedFrom: env.clock.now() + env.listLagMs }
      : previous?.listedFrom !== undefined
        ? { listedFrom: previous.listedFrom }
        : {}),
  };
  registry.replicas.set(name.toLowerCase(), replica);
  registry.deletedReplicas.delete(name.toLowerCase());
  return { replica, operation };
}

/** Applies an update (settings change at once) and starts its operation. */
export function startUpdate(
  registry: RegistryRecord,
  replica: ReplicaRecord,
  changes: Partial<Pick<ReplicaSettings, 'tags' | 'regionEndpointEnabled'>>,
  principal: Principal,
  apiVersion: string,
  env: LifecycleEnv,
): OperationRecord {
  const operation = recordOperation(env, registry, replica.name, replica.location, 'update', apiVersion, {
    durationMs: env.timings.updateSeconds * 1000,
    outcome: 'Succeeded',
  });
  if (changes.tags !== undefined) replica.tags = changes.tags;
  if (changes.regionEndpointEnabled !== undefined)
    replica.regionEndpointEnabled = changes.regionEndpointEnabled;
  replica.systemData = modifiedSystemData(replica.systemData, principal, env.clock.wallNow());
  replica.operationId = operation.id;
  return operation;
}

/**
 * Applies a change that needs no provisioning (tags only, or nothing at all): ACR answers such a PATCH
 * or PUT at once with 200 and Succeeded, without a long-running operation.
 */
export function applyInPlace(
  replica: ReplicaRecord,
  changes: Partial<Pick<ReplicaSettings, 'tags'>>,
  principal: Principal,
  env: Pick<LifecycleEnv, 'clock'>,
): void {
  if (changes.tags !== undefined) replica.tags = changes.tags;
  replica.systemData = modifiedSystemData(replica.systemData, principal, env.clock.wallNow());
}

/** Starts deleting a replica; an operation still under way on it (e.g. a stuck create) is canceled. */
export function startDelete(
  registry: RegistryRecord,
  replica: ReplicaRecord,
  apiVersion: string,
  env: LifecycleEnv,
): OperationRecord {
  const current = replica.operationId === undefined ? undefined : env.operations.get(replica.operationId);
  if (current && operationStatus(current, env.clock.now()) === 'InProgress')
    current.canceledAt = env.clock.now();
  const operation = recordOperation(env, registry, replica.name, replica.location, 'delete', apiVersion, {
    durationMs: env.timings.deleteSeconds * 1000,
    outcome: 'Succeeded',
  });
  replica.operationId = operation.id;
  return operation;
}

/** Seeds a replica whose last create ended Failed. */
export function seedFailedReplica(
  registry: RegistryRecord,
  name: string,
  settings: ReplicaSettings,
  createdBy: Principal,
  env: LifecycleEnv,
): ReplicaRecord {
  const operation = recordOperation(
    env,
    registry,
    name,
    settings.location,
    'create',
    CONTAINER_REGISTRY_API_VERSION,
    {
      durationMs: 0,
      outcome: 'Failed',
      error: {
        code: 'ReplicationProvisioningFailed',
        message: `The replication '${name}' failed to provision in location '${settings.location}'.`,
      },
    },
  );
  const replica: ReplicaRecord = {
    name,
    ...settings,
    systemData: createdSystemData(createdBy.objectId, identityTypeOf(createdBy), env.clock.wallNow()),
    operationId: operation.id,
    wallSince: env.clock.wallNow(),
  };
  registry.replicas.set(name.toLowerCase(), replica);
  return replica;
}

function recordOperation(
  env: LifecycleEnv,
  registry: RegistryRecord,
  replicaName: string,
  location: string,
  kind: OperationRecord['kind'],
  apiVersion: string,
  fate: Pick<OperationRecord, 'durationMs' | 'outcome' | 'error' | 'syncMs'>,
): OperationRecord {
  const operation: OperationRecord = {
    id: `replications-${randomUUID()}`,
    kind,
    subscriptionId: registry.subscriptionId,
    registryKey: registry.id.toLowerCase(),
    replicaName,
    location,
    startedAt: env.clock.now(),
    wallStartedAt: env.clock.wallNow(),
    apiVersion,
    ...fate,
  };
  env.operations.set(operation.id, operation);
  return operation;
}
