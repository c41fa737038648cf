// Names and shapes of the healing orchestrations (the sweep, and the heal of one replica) and of their
// activities, shared by the registrations, the use cases that start a sweep and the orchestrations.
import type { HealPolicy, SweepRequest, SweepSummary } from '../../domain';

export type { HealRequest, HealResult, ReplicaView, SweepSummary } from '../../domain';

/** Input `SweepInput`; output `SweepSummary` (undefined for a generation that continued as new). */
export const SWEEP_ORCHESTRATION = 'healSweep';
/** Input `HealRequest`; output `HealResult`. Runs under the replica's instance id. */
export const HEAL_REPLICA_ORCHESTRATION = 'healReplica';

/** Input a registry's resource id, or null for every registry in scope; output `SweepRegistry[]`. */
export const LIST_SWEEP_REGISTRIES_ACTIVITY = 'sweepListRegistries';
/** Input `ScanRequest`; output `ScanResult`. */
export const SCAN_REGISTRY_ACTIVITY = 'sweepScanRegistry';
/** Input the replica's resource id; output its `ReplicaView`, or null when it no longer exists. */
export const CAPTURE_REPLICA_ACTIVITY = 'healCaptureReplica';
/** Input `HealNotification`; output whether it was posted. */
export const NOTIFY_ACTIVITY = 'healNotify';

export interface SweepProgress {
  registries: SweepRegistry[];
  /** Registries before this index are done. */
  offset: number;
  generation: number;
  summary: SweepSummary;
}

export interface SweepInput {
  request: SweepRequest;
  progress?: SweepProgress;
}

/** A registry a sweep covers, with the policy and threshold its tags (or the settings) give it. */
export interface SweepRegistry {
  registryId: string;
  policy: HealPolicy;
  thresholdMinutes: number;
}

export interface ScanRequest {
  registryId: string;
  /** The sweep's time (replay-safe), used as the watch store's clock. */
  now: string;
  thresholdMinutes: number;
}

/** A replica confirmed by GET to be a suspect. */
export interface Suspect {
  replicaId: string;
  location: string;
  provisioningState: string;
  displayStatus?: string;
  statusMessage?: string;
  firstSeenAt?: string;
  minutesInState: number;
}

export interface ScanResult {
  registryId: string;
  replicas: number;
  suspects: Suspect[];
}

export interface HealNotification {
  kind: 'escalated' | 'slow' | 'awaiting-approval';
  replicaId: string;
  instanceId: string;
  summary: string;
  detail?: Record<string, unknown>;
}
