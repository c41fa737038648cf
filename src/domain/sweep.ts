// The sweep's shapes and its tally. Pure: the sweep orchestration (app/healing) runs it.
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
  /** Who may decide on the heals that wait for approval (their registry's policy is `approve`). */
  approvalPolicy: ApprovalPolicy;
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

/** The summary's counts: no lists, so that they fit a custom status (capped at 16 KB) however large the fleet. */
export type SweepCounts = Omit<SweepSummary, 'results' | 'scanFailures'> & { scanFailures: number };

export function summaryCounts(summary: SweepSummary): SweepCounts {
  const { results: _results, scanFailures, ...counts } = summary;
  return { ...counts, scanFailures: scanFailures.length };
}
