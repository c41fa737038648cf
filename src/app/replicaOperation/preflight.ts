// Checks a replica request against the scope and ARM's current state before anything is changed. The use
// case runs it to answer at once; the orchestration runs it again (as its preflight activity), since the
// state may change in between and an orchestration may be started with input no transport checked.
import type { ReplicaGateway } from '../../azure/replicas';
import { healPolicy } from '../../config/settings';
import {
  PRIVATE_LINK_ACTION,
  healPolicyFor,
  isPremium,
  parseReplicaId,
  planArmActions,
  registryOfReplica,
  sameRegion,
} from '../../domain';
import type { HealPolicy, PrivateLinkPlan, ReplicaOperationRequest } from '../../domain';
import { privateLinkRolePlan } from '../privateLink/privateLinkRole';
import { scopeVerdict } from '../scope/scopeGuard';
import type { PreflightRefusal, PreflightVerdict } from './replicaOperation.contract';

/** The part of the access gateway a preflight needs. */
export interface PrivateLinkAccess {
  principalId(): Promise<string>;
  missingPrivateLinkPermission(privateEndpointIds: readonly string[]): Promise<string[]>;
}

export async function checkReplicaRequest(
  replicas: ReplicaGateway,
  access: PrivateLinkAccess,
  request: ReplicaOperationRequest,
  fallbackPolicy: HealPolicy = healPolicy(),
): Promise<PreflightVerdict> {
  const verdict = await checkRegistryAndReplica(replicas, request);
  if (!verdict.ok) return verdict;
  const createsReplica = planArmActions(request, verdict.replica).some((action) => action.kind === 'create');
  const privateEndpoints = verdict.registry.privateEndpoints;
  if (!createsReplica || privateEndpoints.length === 0) return verdict;

  // Only `auto` lets the app grant the permission itself; otherwise refuse before anything is written.
  const need: PrivateLinkPlan = {
    privateEndpoints,
    missingAt: await access.missingPrivateLinkPermission(privateEndpoints),
    policy: healPolicyFor(verdict.registry.tags, fallbackPolicy),
  };
  // Under `auto` the app grants the permission itself, when it has a role it may assign.
  const grant = need.policy === 'auto' ? privateLinkRolePlan() : undefined;
  if (need.missingAt.length > 0 && (need.policy !== 'auto' || grant?.ok === false)) {
    // Creating now would leave the replica stuck in provisioning; say what to grant instead.
    const principalId = await access.principalId();
    const remedy =
      grant?.ok === false
        ? `The app may not grant it: ${grant.reason}.`
        : `Grant that action to the identity at those private endpoints, or set the registry's heal ` +
          `policy to auto (now ${need.policy}) so the app grants it itself, then try again.`;
    return {
      ok: false,
      status: 422,
      refusal: 'missing-private-link-permission',
      detail:
        `The app's identity (object id ${principalId}) lacks ${PRIVATE_LINK_ACTION} at ` +
        `${need.missingAt.join(', ')}; a replica created now would stay stuck in provisioning. ${remedy}`,
      extensions: {
        principalId,
        action: PRIVATE_LINK_ACTION,
        missingAt: need.missingAt,
        policy: need.policy,
      },
    };
  }
  return { ...verdict, privateLink: need };
}

async function checkRegistryAndReplica(
  replicas: ReplicaGateway,
  request: ReplicaOperationRequest,
): Promise<PreflightVerdict> {
  const scope = scopeVerdict(request.replicaId);
  if (!scope.inScope) return refuse(403, 'out-of-scope', scope.reason);
  const replicaId = parseReplicaId(request.replicaId);
  const registry = await replicas.getRegistry(registryOfReplica(replicaId));
  if (registry === undefined) {
    return refuse(404, 'registry-not-found', `registry ${replicaId.registryName} was not found`);
  }
  if (!isPremium(registry)) {
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

function refuse(status: 403 | 404 | 409 | 422, refusal: PreflightRefusal, detail: string): PreflightVerdict {
  return { ok: false, status, refusal, detail };
}
