// Plans a registry against its declaration with ARM as it is now, for the REST plan, chat, dry runs and
// the apply orchestration alike. A list of replicas can be stale, so every replica a step would change
// (or create) is read again by id before the plan is made; the size and the private-link permission are
// read only when a step needs them.
import type { ArmClients } from '../../azure/armClients';
import type { DeclarationState, DesiredReplicaStore } from '../../azure/desiredReplicaStore';
import { registrySizeGiB } from '../../azure/registryUsage';
import type { ReplicaGateway } from '../../azure/replicas';
import { healPolicy } from '../../config/settings';
import { healPolicyFor, isChange, isPremium, normaliseRegion, planReplicaSet, replicaId } from '../../domain';
import type { ApplyTrigger, RegistryId, RegistryView, ReplicaSetPlan, ReplicaView } from '../../domain';
import type { PrivateLinkAccess } from '../replicaOperation/preflight';

export interface PlannerDeps {
  replicas: ReplicaGateway;
  access: PrivateLinkAccess;
  clients: ArmClients;
  store: DesiredReplicaStore;
}

export type PlanVerdict =
  | {
      ok: true;
      registry: RegistryView;
      declaration: NonNullable<DeclarationState['current']>;
      plan: ReplicaSetPlan;
      sizeGiB?: number;
    }
  | {
      ok: false;
      status: 404 | 422;
      refusal: 'declaration-not-found' | 'registry-not-found' | 'not-premium';
      detail: string;
    };

export async function planRegistry(
  deps: PlannerDeps,
  registry: RegistryId,
  trigger: ApplyTrigger,
  parallelism: number,
): Promise<PlanVerdict> {
  const { current } = await deps.store.read(registry);
  if (current === undefined) {
    return {
      ok: false,
      status: 404,
      refusal: 'declaration-not-found',
      detail: `Registry ${registry.registryName} has no desired replica set; PUT one, or import what it has now.`,
    };
  }
  const view = await deps.replicas.getRegistry(registry);
  if (view === undefined) {
    return {
      ok: false,
      status: 404,
      refusal: 'registry-not-found',
      detail: `Registry ${registry.registryName} was not found.`,
    };
  }
  if (!isPremium(view)) {
    return {
      ok: false,
      status: 422,
      refusal: 'not-premium',
      detail: `Geo-replication needs a Premium registry; ${view.name} is ${view.sku}.`,
    };
  }
  const approval = { trigger, registryPolicy: healPolicyFor(view.tags, healPolicy()) };
  const input = { declaration: current.declaration, homeRegion: view.location, approval };
  const listed = await deps.replicas.listReplicas(registry);
  const draft = planReplicaSet({ ...input, replicas: listed }, parallelism);
  if (draft.inSync) return { ok: true, registry: view, declaration: current, plan: draft };

  const replicas = await confirmByGet(deps.replicas, registry, listed, draft);
  const changes = planReplicaSet({ ...input, replicas }, parallelism).steps.filter(isChange);
  const creates = changes.some((step) => step.kind === 'create' || step.kind === 'recreate');
  const sizeGiB = changes.length > 0 ? await registrySizeGiB(deps.clients, registry) : undefined;
  const privateLink =
    creates && view.privateEndpoints.length > 0
      ? {
          privateEndpoints: view.privateEndpoints,
          missingAt: await deps.access.missingPrivateLinkPermission(view.privateEndpoints),
        }
      : undefined;
  const plan = planReplicaSet(
    {
      ...input,
      replicas,
      ...(sizeGiB === undefined ? {} : { sizeGiB }),
      ...(privateLink === undefined ? {} : { privateLink }),
    },
    parallelism,
  );
  return {
    ok: true,
    registry: view,
    declaration: current,
    plan,
    ...(sizeGiB === undefined ? {} : { sizeGiB }),
  };
}

/**
 * The listed replicas, with every one a draft step would change read again by id (a replica the list
 * still shows may be gone, one it does not show yet may exist): the GET decides, as in a sweep.
 */
async function confirmByGet(
  gateway: ReplicaGateway,
  registry: RegistryId,
  listed: readonly ReplicaView[],
  draft: ReplicaSetPlan,
): Promise<ReplicaView[]> {
  const names = draft.steps
    .filter((step) => isChange(step) && step.replicaName !== undefined)
    .map((step) => step.replicaName ?? '');
  const confirmed = await Promise.all(names.map((name) => gateway.getReplica(replicaId(registry, name))));
  const byRegion = new Map(listed.map((replica) => [normaliseRegion(replica.location), replica]));
  names.forEach((name, i) => {
    const found = confirmed[i];
    for (const [region, replica] of byRegion) {
      if (replica.name.toLowerCase() === name.toLowerCase()) byRegion.delete(region);
    }
    if (found !== undefined) byRegion.set(normaliseRegion(found.location), found);
  });
  return [...byRegion.values()];
}
