// The sweep's shapes and its tally: counts that stay the same size however large the fleet, plus bounded
// samples of results and failed scans (the audit trail has every one). Pure: app/healing runs it.
import type { ApprovalPolicy } from './approval';
import type { AuditActor, AuditChannel } from './audit';
import type { Diagnosis, HealOutcome, HealResult } from './healing';
import type { ChatReplyTarget } from './chatReplyTarget';
import type { PollingPolicy } from './polling';
import { namedInstanceId } from './instanceId';
import { registryKey } from './resourceId';
import type { RegistryId } from './resourceId';

/** One fleet sweep at a time: it runs under this instance id. */
export const SWEEP_INSTANCE_ID = 'sweep';

/** One registry's sweep has its own instance, so it never waits for (or blocks) the fleet's. */
export function registrySweepInstanceId(registry: RegistryId): string {
  return namedInstanceId('sweep', registryKey(registry));
}

/** How many results, and failed scans, a sweep's output names; the audit trail has all of them. */
export const SWEEP_SAMPLE_SIZE = 20;

export interface SweepRequest {
  actor: AuditActor;
  channel: AuditChannel;
  requestedAt: string;
  /** Heals report what they would do and change nothing. */
  dryRun: boolean;
  /** Registry scans in flight at once per subscription, and heals running at once. */
  parallelism: number;
  polling: PollingPolicy;
  maxAttempts: number;
  approvalTimeoutMinutes: number;
  /** Limits the sweep to this registry (a resource id), as `POST /api/registries/.../heal` asks. */
  registryId?: string;
  /** A chat-started sweep reports back, and asks for approvals, in the chat it came from. */
  replyTo?: ChatReplyTarget;
  /** Who may decide on the heals that wait for approval (their registry's policy is `approve`). */
  approvalPolicy: ApprovalPolicy;
}

/** What became of one suspect: the heal's result, or why no heal ran to the end. */
export interface SweepEntry extends Omit<HealResult, 'outcome' | 'diagnosis' | 'attempts'> {
  outcome: HealOutcome | 'failed' | 'deferred';
  diagnosis?: Diagnosis;
  attempts?: number;
}

/** A sweep's counts: what its status shows and its output keeps, the same size for any fleet. */
export interface SweepCounts {
  /** Registries in scope found so far: all of them once the listing is done. */
  registries: number;
  registriesScanned: number;
  /** Registries whose scan failed. */
  scanFailures: number;
  suspects: number;
  healed: number;
  /** Suspects left alone: slow but progressing, or busy with another operation. */
  skipped: number;
  reported: number;
  failed: number;
  escalated: number;
  rejected: number;
  healthy: number;
  /** Suspects found while the heals waiting to start were at their bound: left for the next sweep. */
  deferred: number;
}

export interface SweepSummary extends SweepCounts {
  /** The first registries whose scan failed (up to SWEEP_SAMPLE_SIZE). */
  failedScans: string[];
  /** The first results, one per suspect (up to SWEEP_SAMPLE_SIZE). */
  results: SweepEntry[];
}

export function emptySummary(): SweepSummary {
  return {
    registries: 0,
    registriesScanned: 0,
    scanFailures: 0,
    suspects: 0,
    healed: 0,
    skipped: 0,
    reported: 0,
    failed: 0,
    escalated: 0,
    rejected: 0,
    healthy: 0,
    deferred: 0,
    failedScans: [],
    results: [],
  };
}

/** Adds one suspect's entry to the summary (a new summary; the old one is left as it was). */
export function tally(summary: SweepSummary, entry: SweepEntry): SweepSummary {
  const counted = {
    ...summary,
    results: summary.results.length < SWEEP_SAMPLE_SIZE ? [...summary.results, entry] : summary.results,
  };
  counted[entry.outcome] += 1;
  return counted;
}

/** Counts a failed scan, naming it while the sample has room. */
export function tallyScanFailure(summary: SweepSummary, registryId: string): SweepSummary {
  return {
    ...summary,
    scanFailures: summary.scanFailures + 1,
    failedScans:
      summary.failedScans.length < SWEEP_SAMPLE_SIZE
        ? [...summary.failedScans, registryId]
        : summary.failedScans,
  };
}

/** The summary's counts: no lists, so that they fit a custom status (capped at 16 KB) however large the fleet. */
export function summaryCounts(summary: SweepSummary): SweepCounts {
  const { results: _results, failedScans: _failedScans, ...counts } = summary;
  return counts;
}
