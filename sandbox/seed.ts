// Applying a seed document to the sandbox. Seeding is additive (each test file seeds its own
// subscription); re-seeding a registry id replaces that registry.
import { readFile } from 'node:fs/promises';
import type { SandboxContext } from './context';
import { lifecycleEnv } from './context';
import type { ReplicaSettings } from './replicaLifecycle';
import { seedFailedReplica, startCreate } from './replicaLifecycle';
import { newRegistry } from './registries';
import { key, parseRegistryId, parseResourceGroupScoped } from './resourceIds';
import { CONTAINER_REGISTRY_API_VERSION } from './apiVersions';
import type { RegistryRecord } from './state';
import { createdSystemData, identityTypeOf } from './state';
import type { Principal, SeedDocument, SeedRegistry, SeedReplica } from './types';

/** Recorded as creator of seeded resources that name none. */
export const SEED_CREATOR: Principal = {
  objectId: '00000000-0000-0000-0000-000000000000',
  appId: '00000000-0000-0000-0000-000000000000',
  clientId: '00000000-0000-0000-0000-000000000000',
  displayName: 'Seed',
  type: 'User',
};

export class SeedError extends Error {
  override readonly name = 'SeedError';
}

export async function readSeedFile(file: string): Promise<SeedDocument> {
  return JSON.parse(await readFile(file, 'utf8')) as SeedDocument;
}

export function applySeed(doc: SeedDocument, ctx: SandboxContext): void {
  const { state } = ctx;
  if (doc.tenantId !== undefined && key(doc.tenantId) !== key(state.tenantId)) {
    throw new SeedError(
      `The seed's tenant '${doc.tenantId}' differs from the sandbox tenant '${state.tenantId}'.`,
    );
  }
  for (const p of doc.principals ?? []) {
    if (!p.objectId || !p.appId) throw new SeedError('Every principal needs objectId and appId.');
    state.principals.set(key(p.objectId), {
      objectId: p.objectId,
      appId: p.appId,
      clientId: p.clientId ?? p.appId,
      displayName: p.displayName,
      type: p.type ?? 'ServicePrincipal',
      ...(p.resourceId !== undefined ? { resourceId: p.resourceId } : {}),
      systemAssigned: p.systemAssigned ?? false,
    });
  }
  for (const s of doc.subscriptions ?? []) {
    const existing = state.subscription(s.subscriptionId);
    const resourceGroups = existing?.resourceGroups ?? new Map<string, string>();
    for (const group of s.resourceGroups ?? []) resourceGroups.set(key(group), group);
    state.subscriptions.set(key(s.subscriptionId), {
      subscriptionId: s.subscriptionId,
      displayName: s.displayName ?? existing?.displayName ?? s.subscriptionId,
      locations: [...s.locations],
      resourceGroups,
    });
  }
  // Role assignments first: seeded creates are judged against them.
  try {
    ctx.rbac.seed(doc.roleDefinitions ?? [], doc.roleAssignments ?? []);
  } catch (error) {
    throw new SeedError(error instanceof Error ? error.message : String(error));
  }
  for (const seed of doc.registries ?? []) seedRegistry(seed, ctx);
  if (doc.faults) ctx.faults.add(doc.faults);
}

function seedRegistry(seed: SeedRegistry, ctx: SandboxContext): void {
  const { state } = ctx;
  const ref = parseRegistryId(seed.id);
  if (!ref) throw new SeedError(`'${seed.id}' is not a container registry resource id.`);
  const subscription = state.subscription(ref.subscriptionId);
  if (!subscription)
    throw new SeedError(
      `Registry '${seed.id}' is in subscription '${ref.subscriptionId}', which is not seeded.`,
    );
  if (!['Basic', 'Standard', 'Premium'].includes(seed.sku))
    throw new SeedError(`Registry '${seed.id}' has an unknown SKU '${seed.sku}'.`);
  subscription.resourceGroups.set(key(ref.resourceGroup), ref.resourceGroup);
  for (const endpoint of seed.privateEndpoints ?? []) {
    const scope = parseResourceGroupScoped(endpoint);
    if (!scope) throw new SeedError(`Private endpoint '${endpoint}' is not a resource-group-scoped id.`);
    state
      .subscription(scope.subscriptionId)
      ?.resourceGroups.set(key(scope.resourceGroup), scope.resourceGroup);
  }
  const registry = newRegistry({
    id: seed.id,
    subscriptionId: ref.subscriptionId,
    resourceGroup: ref.resourceGroup,
    name: ref.name,
    location: seed.location,
    sku: seed.sku,
    tags: seed.tags ?? {},
    privateEndpoints: [...(seed.privateEndpoints ?? [])],
    sizeGiB: seed.sizeGiB ?? 0,
    createdBy: creator(seed.createdBy, ctx),
    wallNow: ctx.clock.wallNow(),
  });
  state.registries.set(key(seed.id), registry);
  for (const replica of seed.replicas ?? []) seedReplica(registry, replica, seed.createdBy, ctx);
}

function seedReplica(
  registry: RegistryRecord,
  seed: SeedReplica,
  registryCreator: string | undefined,
  ctx: SandboxContext,
): void {
  const name = seed.name ?? seed.location;
  const settings: ReplicaSettings = {
    location: seed.location,
    tags: seed.tags ?? {},
    regionEndpointEnabled: seed.regionEndpointEnabled ?? true,
    zoneRedundancy: seed.zoneRedundancy ?? 'Disabled',
  };
  const env = lifecycleEnv(ctx);
  if (seed.creating) {
    const principal = ctx.state.principal(seed.creating.createdBy);
    if (!principal)
      throw new SeedError(
        `Replica '${name}' of '${registry.id}' is being created by unknown principal '${seed.creating.createdBy}'.`,
      );
    startCreate(registry, name, settings, principal, CONTAINER_REGISTRY_API_VERSION, env);
    return;
  }
  const createdBy = creator(seed.createdBy ?? registryCreator, ctx);
  if (seed.failed) {
    seedFailedReplica(registry, name, settings, createdBy, env);
    return;
  }
  const wallNow = ctx.clock.wallNow();
  registry.replicas.set(key(name), {
    name,
    ...settings,
    systemData: createdSystemData(createdBy.objectId, identityTypeOf(createdBy), wallNow),
    wallSince: wallNow,
  });
}

function creator(objectId: string | undefined, ctx: SandboxContext): Principal {
  if (objectId === undefined) return SEED_CREATOR;
  return ctx.state.principal(objectId) ?? { ...SEED_CREATOR, objectId, type: 'ServicePrincipal' };
}
