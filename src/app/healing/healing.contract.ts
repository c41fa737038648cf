// Names and shapes of the healing orchestrations (the sweep, and the heal of one replica) and of their
// activities, shared by the registrations, the use cases that start a sweep and the orchestrations.
import type { HealPolicy, HealRequest, HealResult, SweepRequest, SweepSummary } from '../../domain';
import type { DriftFinding } from '../desiredReplicas/desiredReplicas.contract';

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
/** Input `HealLaunch`; output `HealStart`. */
export const START_HEAL_ACTIVITY = 'sweepStartHeal';
/** Input `HealLaunch[]`; output `HealProgress[]`, in the same order. */
export const READ_HEALS_ACTIVITY = 'sweepReadHeals';

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
  /** How the registry differs from its desired replica set, from the same list (see desiredReplicas). */
  drift?: DriftFinding;
}

export interface HealNotification {
  kind: 'escalated' | 'slow' | 'awaiting-approval';
  replicaId: string;
  instanceId: string;
  summary: string;
  detail?: Record<string, unknown>;
}

/** A heal the sweep starts as an orchestration of its own, under the replica's instance id. */
export interface HealLaunch {
  instanceId: string;
  request: HealRequest;
}

/** Where a started heal is: still running, or finished with its result or a reason it has none. */
export type HealProgress =
  | { instanceId: string; done: false }
  | { instanceId: string; done: true; result: HealResult }
  | { instanceId: string; done: true; failure: string };

export type EndedHeal = Extract<HealProgress, { done: true }>;

/** What starting a heal came to: started, left alone because another operation holds the replica, or failed. */
export type HealStart =
  | { outcome: 'started' }
  | { outcome: 'busy'; name: string; runtimeStatus: string; operation?: string }
  | { outcome: 'failed'; reason: string };
