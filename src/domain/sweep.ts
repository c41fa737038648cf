// The sweep's shapes and its tally. Pure: the sweep orchestration (app/healing) runs it.
import type { AuditActor, AuditChannel } from './audit';
import type { Diagnosis, HealOutcome, HealResult } from './healing';
import type { ChatReplyTarget } from './chatReplyTarget';
import type { PollingPolicy } from './polling';
import { MAX_DERIVED_INSTANCE_ID } from './replicaOperation';
import { registryKey } from './resourceId';
import type { RegistryId } from './resourceId';
import { shortenDeterministically } from './tableKey';

/** One fleet sweep at a time: it runs under this instance id. */
export const SWEEP_INSTANCE_ID = 'sweep';

/** One registry's sweep has its own instance, so it never waits for (or blocks) the fleet's. */
export function registrySweepInstanceId(registry: RegistryId): string {
  const key = encodeURIComponent(registryKey(registry)).replace(/%/g, '~');
  return `sweep:${shortenDeterministically(key, MAX_DERIVED_INSTANCE_ID - 6)}`;
}

/** Registries one orchestration generation covers before continue-as-new keeps its history bounded. */
export const REGISTRIES_PER_GENERATION = 50;

export interface SweepRequest {
  actor: AuditActor;
  channel: AuditChannel;
  requestedAt: string;
  /** Heals report what they would do and change nothing. */
  dryRun: boolean;
  /** Registry scans, and heals, in flight at once. */
  parallelism: number;
  polling: PollingPolicy;
  maxAttempts: number;
  approvalTimeoutMinutes: number;
  registriesPerGeneration?: number;
  /** Limits the sweep to this registry (a resource id), as `POST /api/registries/.../heal` asks. */
  registryId?: string;
  /** A chat-started sweep reports back, and asks for approvals, in the chat it came from. */
  replyTo?: ChatReplyTarget;
}

/** What became of one suspect: the heal's result, or why no heal ran to the end. */
export interface SweepEntry extends Omit<HealResult, 'outcome' | 'diagnosis' | 'attempts'> {
  outcome: HealOutcome | 'failed';
  diagnosis?: Diagnosis;
  attempts?: number;
}

export interface SweepSummary {
  registries: number;
  registriesScanned: number;
  /** Registries whose scan failed after its retries. */
  scanFailures: string[];
  suspects: number;
  healed: number;
  /** Suspects left alone: slow but progressing, or busy with another operation. */
  skipped: number;
  reported: number;
  failed: number;
  escalated: number;
  rejected: number;
  healthy: number;
  results: SweepEntry[];
}

export function emptySummary(registries: number): SweepSummary {
  return {
    registries,
    registriesScanned: 0,
    scanFailures: [],
    suspects: 0,
    healed: 0,
    skipped: 0,
    reported: 0,
    failed: 0,
    escalated: 0,
    rejected: 0,
    healthy: 0,
    results: [],
  };
}

/** Adds one suspect's entry to the summary (a new summary; the old one is left as it was). */
export function tally(summary: SweepSummary, entry: SweepEntry): SweepSummary {
  const counted = { ...summary, results: [...summary.results, entry] };
  counted[entry.outcome] += 1;
  return counted;
}

/** The counts without the per-replica results, for status and audit. */
export function summaryCounts(summary: SweepSummary): Omit<SweepSummary, 'results'> {
  const { results: _results, ...counts } = summary;
  return counts;
}

/** A sub-orchestration that could not start because its replica's instance is busy. */
export function isInstanceBusy(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /already exists/i.test(message);
}
