// Names and shapes of the healing orchestrations (the sweep, and the heal of one replica) and of their
// activities, shared by the registrations, the use cases that start a sweep and the orchestrations.
import type {
  BudgetReport,
  HealRequest,
  HealResult,
  ListedRegistry,
  PositionRange,
  ReplicaView,
  SweepRequest,
  SweepSource,
  SweepSummary,
} from '../../domain';
import type { DriftFinding } from '../desiredReplicas/desiredReplicas.contract';

export type {
  BudgetReport,
  HealRequest,
  HealResult,
  ListedRegistry,
  ReplicaView,
  SweepSummary,
} from '../../domain';

/** Input `SweepInput`; output `SweepSummary` (undefined for a generation that continued as new). */
export const SWEEP_ORCHESTRATION = 'healSweep';
/** Input `HealRequest`; output `HealResult`. Runs under the replica's instance id. */
export const HEAL_REPLICA_ORCHESTRATION = 'healReplica';

/** Input a registry's resource id, or null for every registry in scope; output `SweepSource[]`. */
export const SWEEP_SOURCES_ACTIVITY = 'sweepSources';
/** Input `ListSourceRequest`; output `ListSourceResult`. */
export const LIST_SWEEP_SOURCE_ACTIVITY = 'sweepListSource';
/** Input `ScanBatch`; output `ScanBatchResult`. */
export const SCAN_REGISTRIES_ACTIVITY = 'sweepScanRegistries';
/** Input the replica's resource id; output `HealEvidenceRead`. */
export const GATHER_EVIDENCE_ACTIVITY = 'healGatherEvidence';
/** Input `HealNotification`; output whether it was posted. */
export const NOTIFY_ACTIVITY = 'healNotify';
/** Input `HealLaunch[]`; output `HealStart[]`, in the same order. */
export const START_HEAL_ACTIVITY = 'sweepStartHeals';
/** Input `HealLaunch[]`; output `HealProgress[]`, in the same order. */
export const READ_HEALS_ACTIVITY = 'sweepReadHeals';

/** Where one listing of a sweep stands: how far ARM's list was read, how far it was scanned. */
export interface SourceProgress {
  source: SweepSource;
  /** ARM's continuation link for the next page; absent before the first page and after the last. */
  next?: string;
  /** The listing is complete. */
  listed: boolean;
  /** Registries written to the sweep's listing so far. */
  written: number;
  /** Registries handed to scans so far. */
  dispatched: number;
  /** Listing calls that failed in a row (the listing is given up after a few). */
  failures?: number;
  /**
   * Positions handed to scans that stopped short (ARM's budget called for a rest), to be scanned again
   * first: a few ranges per batch that was in flight (see ScanBatchResult.unscanned).
   */
  returned?: PositionRange[];
}

/** A suspect waiting for a free heal: what its heal request needs beyond the sweep's own. */
export interface QueuedSuspect {
  replicaId: string;
  policy: ListedRegistry['policy'];
  thresholdMinutes: number;
  firstSeenAt?: string;
}

/** What a sweep carries from one generation to the next: positions, counts and bounded lists only. */
export interface SweepProgress {
  generation: number;
  startedAt: string;
  sources: SourceProgress[];
  summary: SweepSummary;
  /** Scan windows per subscription (lower-case id), narrowed while ARM throttles. */
  windows: Record<string, number>;
  /** Heals started and not yet ended (at most the sweep's parallelism). */
  running: HealLaunch[];
  /** When each running heal started (same order), for the estimate of time left. */
  runningSince: string[];
  /** Suspects waiting for a free heal (at most MAX_QUEUED_SUSPECTS). */
  queued: QueuedSuspect[];
  /** When the sweep looks at its running heals next (ISO), carried so that a new generation keeps it. */
  nextHealPollAt?: string;
  /** Heals that ended, and how long they took in all, for the estimate of time left. */
  healsEnded: number;
  healSeconds: number;
  /** Entries not yet written to the audit trail (fewer than an entry holds). */
  unauditedResults: SweepEntryRecord[];
  unauditedFailures: { registryId: string; reason: string }[];
  /** Drift found and not yet handed over to the desired replica sets (fewer than a hand-over holds). */
  unhandedDrift: DriftFinding[];
  /** Audit entries of results and failed scans written so far (their ids). */
  auditedBatches: number;
  /** The latest budget each subscription's scans reported, and the 429s they met in all. */
  remainingReads: Record<string, number>;
  throttled: number;
  /** Subscriptions (lower-case id) resting for ARM's budget, until when (ISO), and how many rests in all. */
  resting: Record<string, string>;
  rests: number;
}

/** A result as the audit trail keeps it among a sweep's results. */
export type SweepEntryRecord = SweepSummary['results'][number];

export interface SweepInput {
  request: SweepRequest;
  progress?: SweepProgress;
}

export interface ListSourceRequest {
  /** Names the sweep's listing (its instance id). */
  listingKey: string;
  sourceIndex: number;
  source: SweepSource;
  /** ARM's continuation link; absent for the first page. */
  next?: string;
  /** Position at which to write what this call lists. */
  start: number;
  /** Only registries with HEAL_REGISTRY_TAG, as a fleet's sweep asks (a registry's own sweep does not). */
  byTag: boolean;
}

export interface ListSourceResult {
  /** Registries in scope written from `start` on. */
  written: number;
  /** ARM's continuation link for the next call; absent when the listing is complete or not yet begun. */
  next?: string;
  /** The listing is complete. */
  done: boolean;
  /** The call stopped short for ARM's budget: how long (ms) the subscription should rest. */
  restMs?: number;
  budget: BudgetReport;
}

export interface ScanBatch {
  listingKey: string;
  sourceIndex: number;
  subscriptionId: string;
  /** Positions [from, to) of the source's listing, within one page. */
  from: number;
  to: number;
  /**
   * Slots of the sweep's window the batch holds: how many of its registries are in flight at once (1 when
   * absent).
   */
  slots?: number;
  /** The sweep's time (replay-safe), used as the watch store's clock. */
  now: string;
}

export interface ScanBatchResult {
  /** Registries scanned (or whose scan failed). */
  scanned: number;
  /**
   * The batch stopped short for ARM's budget: how long (ms) the subscription should rest. The positions
   * in `unscanned` were not scanned (without it, those after the first `scanned`).
   */
  restMs?: number;
  /** Positions of the batch not scanned, when it stopped short: a few ranges, in order. */
  unscanned?: PositionRange[];
  suspects: FoundSuspect[];
  failures: { registryId: string; reason: string }[];
  /** What the desired replica sets of the scanned registries say, for the sweep to hand over. */
  drift: DriftFinding[];
  budget: BudgetReport;
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

/** A suspect with what its registry's tags (or the settings) say about healing it. */
export interface FoundSuspect extends Suspect {
  policy: ListedRegistry['policy'];
  thresholdMinutes: number;
}

export interface ScanRequest {
  registryId: string;
  /** The sweep's time (replay-safe), used as the watch store's clock. */
  now: string;
  thresholdMinutes: number;
}

export interface ScanResult {
  registryId: string;
  replicas: number;
  suspects: Suspect[];
  /** How the registry differs from its desired replica set, from the same list (see desiredReplicas). */
  drift?: DriftFinding;
}

/**
 * What a heal reads once and works from: the replica (null when it no longer exists), its registry's
 * private endpoints, and where the app's identity lacks the private-link permission.
 */
export interface HealEvidenceRead {
  replica: ReplicaView | null;
  privateEndpoints: string[];
  missingAt: string[];
  principalId: string;
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
