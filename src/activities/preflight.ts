// Checks a replica request against ARM's current state before anything is changed. The HTTP trigger
// runs it to answer at once; the orchestration runs it again, since the state may change in between.
import type { ReplicaGateway, RegistryView, ReplicaView } from '../azure/replicas';
import { parseReplicaId, registryOfReplica, sameRegion } from '../domain';
import type { ReplicaOperationRequest } from '../domain';

export type PreflightRefusal =
  | 'registry-not-found'
  | 'replica-not-found'
  | 'replica-exists'
  | 'not-premium'
  | 'home-region'
  | 'region-not-offered';

export type PreflightVerdict =
  | { ok: true; registry: RegistryView; replica?: ReplicaView }
  | { ok: false; status: 404 | 409 | 422; refusal: PreflightRefusal; detail: string };

export async function checkReplicaRequest(
  replicas: ReplicaGateway,
  request: ReplicaOperationRequest,
): Promise<PreflightVerdict> {
  const replicaId = parseReplicaId(request.replicaId);
  const registry = await replicas.getRegistry(registryOfReplica(replicaId));
  if (registry === undefined) {
    return refuse(404, 'registry-not-found', `registry ${replicaId.registryName} was not found`);
  }
  if (registry.sku.toLowerCase() !== 'premium') {
    return refuse(
      422,
      'not-premium',
      `geo-replication needs a Premium registry; ${registry.name} is ${registry.sku}`,
    );
  }
  const replica = await replicas.getReplica(replicaId);

  if (request.kind === 'create') {
    const location = request.location ?? '';
    if (sameRegion(location, registry.location)) {
      return refuse(
        422,
        'home-region',
        `${location} is the registry's home region, which always has a replica`,
      );
    }
    if (replica !== undefined) {
      return refuse(
        409,
        'replica-exists',
        `replica ${replicaId.replicaName} already exists (${replica.provisioningState})`,
      );
    }
    const offered = await replicas.listLocations(replicaId.subscriptionId);
    if (!offered.some((name) => sameRegion(name, location))) {
      return refuse(
        422,
        'region-not-offered',
        `region ${location} is not offered to subscription ${replicaId.subscriptionId}`,
      );
    }
    return { ok: true, registry };
  }

  if (replica === undefined) {
    return refuse(404, 'replica-not-found', `replica ${replicaId.replicaName} was not found`);
  }
  if (request.kind === 'delete' && sameRegion(replica.location, registry.location)) {
    return refuse(422, 'home-region', `${replica.name} is the home region's replica and cannot be deleted`);
  }
  return { ok: true, registry, replica };
}

function refuse(status: 404 | 409 | 422, refusal: PreflightRefusal, detail: string): PreflightVerdict {
  return { ok: false, status, refusal, detail };
}
