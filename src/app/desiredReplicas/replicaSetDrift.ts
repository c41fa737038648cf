// The sweep's hook: given a registry and the replicas its scan has just listed, how the registry differs
// from its declaration. It reads the declaration table (one query per registry, or one per scan batch of a
// subscription's registries, see SweepDeclarationsRead) and no ARM at all, so a
// sweep that checks drift makes exactly the ARM requests it made before. The sweep hands what this finds
// to the apply orchestration (see desiredReplicas.steps.ts).
import type { DesiredReplicaStore, SweepDeclaration } from '../../azure/desiredReplicaStore';
import { desiredReplicaStore } from '../../azure/desiredReplicaStoreFactory';
import { canonicalJson, digest, driftOf, formatRegistryId, hasDrift, planReplicaSet } from '../../domain';
import type { RegistryId, ReplicaView } from '../../domain';
import type { DriftFinding } from './desiredReplicas.contract';

/**
 * What the sweep's scan calls per registry, with the replicas ARM is listing (so the declaration is read
 * meanwhile); undefined when there is nothing to report or clear.
 */
export type DriftCheck = (
  registry: RegistryId,
  replicas: Promise<readonly ReplicaView[]>,
  /** The registry's declaration when a scan has read it already (see SweepDeclarationsRead). */
  declaration?: SweepDeclaration,
) => Promise<DriftFinding | undefined>;

/**
 * What a batch of a subscription's registries is checked against, read in one query: a lookup by
 * registry, or undefined when the subscription has too many declarations for one read (or the read
 * failed), and each registry's own is read instead.
 */
export type SweepDeclarationsRead = (
  subscriptionId: string,
) => Promise<((registry: RegistryId) => SweepDeclaration) | undefined>;

/** Declaration rows (current and reported drift) one read of a subscription may return at most. */
export const DECLARATIONS_PER_SUBSCRIPTION_READ = 1000;

export function replicaSetDeclarations(
  store: () => DesiredReplicaStore = desiredReplicaStore,
): SweepDeclarationsRead {
  return async (subscriptionId) => {
    try {
      return await store().readSubscriptionForSweep(subscriptionId, DECLARATIONS_PER_SUBSCRIPTION_READ);
    } catch {
      return undefined;
    }
  };
}

/**
 * A finding when the registry has a declaration and either differs from it or differed at the last
 * report (so the report can be cleared). Never throws: a declaration table that cannot be read must not
 * fail the scan the heals depend on (a listing that fails fails the scan itself); the next sweep checks
 * again.
 */
export function replicaSetDriftCheck(store: () => DesiredReplicaStore = desiredReplicaStore): DriftCheck {
  return async (registry, replicas, declaration) => {
    try {
      const { current, reported } = declaration ?? (await store().readForSweep(registry));
      if (current === undefined) return undefined;
      const listed = await replicas;
      const plan = planReplicaSet({
        declaration: current.declaration,
        homeRegion: current.homeRegion,
        replicas: listed,
        // Approvals are the apply's business; drift is the same under every policy.
        approval: { trigger: 'drift', registryPolicy: 'auto' },
      });
      const drift = driftOf(plan);
      const now = hasDrift(drift) ? digest(canonicalJson(drift)).slice(0, 32) : '';
      const previous = reported?.digest ?? '';
      if (now === '' && previous === '') return undefined;
      return {
        registryId: formatRegistryId(registry),
        drift,
        policy: current.declaration.drift,
        digest: now,
        previousDigest: previous,
        declarationVersion: current.version,
      };
    } catch {
      return undefined;
    }
  };
}
