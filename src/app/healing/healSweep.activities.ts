// Activities of a sweep: find the registries it covers, and scan one registry for suspects with one
// list of its replicas, the watch store, and one GET per suspect (List may be stale; GET decides).
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

import { armClients } from '../../azure/armClients';
import { listRegistriesInScope } from '../../azure/fleet';
import { ReplicaGateway } from '../../azure/replicas';
import type { WatchStore } from '../../azure/watchStore';
import { watchStore } from '../../azure/watchStoreFactory';
import { telemetry } from '../../telemetry/telemetry';
import { healPolicy, healRegistryTag, registryScope, stuckAfterMinutes } from '../../config/settings';
import type { TagFilter } from '../../config/settings';
import {
  healPolicyFor,
  isPremium,
  parseRegistryId,
  parseReplicaId,
  stuckAfterMinutesFor,
} from '../../domain';
import type { HealPolicy, RegistryScope, RegistryView, ReplicaView } from '../../domain';
import { isWatchedSuspect, minutesBetween, watchedState } from '../../domain/watch';
import { scopeVerdict } from '../scope/scopeGuard';
import { replicaSetDriftCheck } from '../desiredReplicas/replicaSetDrift';
import type { DriftCheck } from '../desiredReplicas/replicaSetDrift';
import { LIST_SWEEP_REGISTRIES_ACTIVITY, SCAN_REGISTRY_ACTIVITY } from './healing.contract';
import type { ScanRequest, ScanResult, Suspect, SweepRegistry } from './healing.contract';

export interface SweepSelection {
  scope: RegistryScope;
  tag?: TagFilter;
  policy: HealPolicy;
  thresholdMinutes: number;
}

export async function listSweepRegistriesWith(
  gateway: ReplicaGateway,
  selection: SweepSelection,
): Promise<SweepRegistry[]> {
  const registries = await listRegistriesInScope(gateway, selection.scope);
  return registries
    .filter((r) => isPremium(r) && carriesTag(r, selection.tag))
    .map((r) => ({
      registryId: r.id,
      policy: healPolicyFor(r.tags, selection.policy),
      thresholdMinutes: stuckAfterMinutesFor(r.tags, selection.thresholdMinutes),
    }));
}

/** Tag names compare case-insensitively in ARM; values as written. */
function carriesTag(registry: RegistryView, tag: TagFilter | undefined): boolean {
  if (tag === undefined) return true;
  const name = Object.keys(registry.tags).find((k) => k.toLowerCase() === tag.name.toLowerCase());
  return name !== undefined && registry.tags[name] === tag.value;
}

export async function scanRegistryWith(
  gateway: ReplicaGateway,
  store: WatchStore,
  { registryId, now, thresholdMinutes }: ScanRequest,
  checkDrift: DriftCheck = replicaSetDriftCheck(),
): Promise<ScanResult> {
  const registry = parseRegistryId(registryId);
  const replicas = await gateway.listReplicas(registry);
  telemetry().replicasObserved(
    registryId,
    replicas.map((r) => r.provisioningState),
  );
  // The desired replica set is checked against this very list: drift costs no ARM request.
  const drift = await checkDrift(registry, replicas);
  const firstSeen = await store.observe(
    registry,
    replicas.map((r) => ({
      name: r.name.toLowerCase(),
      replicaId: r.id,
      provisioningState: r.provisioningState,
      ...(r.displayStatus === undefined ? {} : { displayStatus: r.displayStatus }),
    })),
    now,
  );
  const listed = replicas.filter((r) =>
    isWatchedSuspect(
      r.provisioningState,
      r.displayStatus,
      firstSeen[r.name.toLowerCase()],
      now,
      thresholdMinutes,
    ),
  );
  const confirmed = await Promise.all(
    listed.map(async (r) => confirm(gateway, r, firstSeen[r.name.toLowerCase()], now, thresholdMinutes)),
  );
  return {
    registryId,
    replicas: replicas.length,
    suspects: confirmed.filter((s): s is Suspect => s !== undefined),
    ...(drift === undefined ? {} : { drift }),
  };
}

/**
 * The GET decides: a replica that is gone, healthy, or in another state than the list showed (its
 * first-seen time then starts again) is not a suspect this time.
 */
async function confirm(
  gateway: ReplicaGateway,
  listed: ReplicaView,
  firstSeenAt: string | undefined,
  now: string,
  thresholdMinutes: number,
): Promise<Suspect | undefined> {
  const current = await gateway.getReplica(parseReplicaId(listed.id));
  if (current === undefined) return undefined;
  const sameState =
    watchedState(current.provisioningState, current.displayStatus) ===
    watchedState(listed.provisioningState, listed.displayStatus);
  const since = sameState ? firstSeenAt : undefined;
  if (!isWatchedSuspect(current.provisioningState, current.displayStatus, since, now, thresholdMinutes)) {
    return undefined;
  }
  return {
    replicaId: current.id,
    location: current.location,
    provisioningState: current.provisioningState,
    ...(current.displayStatus === undefined ? {} : { displayStatus: current.displayStatus }),
    ...(current.statusMessage === undefined ? {} : { statusMessage: current.statusMessage }),
    ...(since === undefined ? {} : { firstSeenAt: since }),
    minutesInState: since === undefined ? 0 : minutesBetween(since, now),
  };
}

function gateway(): ReplicaGateway {
  return new ReplicaGateway(armClients());
}

/**
 * The registries of a fleet sweep, or the one registry a registry's sweep was asked for: none when that
 * registry is outside REGISTRY_SCOPE, since a sweep may be started directly with any input.
 */
export const listSweepRegistries: ActivityHandler = async (
  registryId: string | null,
  context: InvocationContext,
): Promise<SweepRegistry[]> => {
  if (registryId !== null) {
    const verdict = scopeVerdict(registryId);
    if (!verdict.inScope) {
      context.warn(`a sweep was asked for a registry it may not touch: ${verdict.reason}`);
      return [];
    }
  }
  const tag = registryId === null ? healRegistryTag() : undefined;
  const scope =
    registryId === null
      ? registryScope()
      : { subscriptions: [], resourceGroups: [], registries: [parseRegistryId(registryId)] };
  return listSweepRegistriesWith(gateway(), {
    scope,
    ...(tag === undefined ? {} : { tag }),
    policy: healPolicy(),
    thresholdMinutes: stuckAfterMinutes(),
  });
};

export const scanRegistry: ActivityHandler = async (request: ScanRequest): Promise<ScanResult> =>
  scanRegistryWith(gateway(), watchStore(), request);

df.app.activity(LIST_SWEEP_REGISTRIES_ACTIVITY, { handler: listSweepRegistries });
df.app.activity(SCAN_REGISTRY_ACTIVITY, { handler: scanRegistry });
