// The sweep's hook: given a registry and the replicas its scan has just listed, how the registry differs
// from its declaration. It reads the declaration table (one query per registry) and no ARM at all, so a
// sweep that checks drift makes exactly the ARM requests it made before. The sweep hands what this finds
// to the apply orchestration (see desiredReplicas.steps.ts).
import type { DesiredReplicaStore } from '../../azure/desiredReplicaStore';
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
) => Promise<DriftFinding | undefined>;

/**
 * A finding when the registry has a declaration and either differs from it or differed at the last
 * report (so the report can be cleared). Never throws: a declaration table that cannot be read must not
 * fail the scan the heals depend on (a listing that fails fails the scan itself); the next sweep checks
 * again.
 */
export function replicaSetDriftCheck(store: () => DesiredReplicaStore = desiredReplicaStore): DriftCheck {
  return async (registry, replicas) => {
    try {
      const [{ current, reported }, listed] = await Promise.all([store().readForSweep(registry), replicas]);
      if (current === undefined) return undefined;
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
