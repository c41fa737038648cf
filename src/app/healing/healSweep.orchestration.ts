// The scheduled self-healing sweep: list the registries in scope, scan them a batch at a time for
// suspects (one list and one GET per suspect each), and heal every suspect through its own heal
// orchestration, which runs under the replica's instance id so it never overlaps another operation on
// that replica. A suspect busy with another operation is skipped, not fatal. Every generation covers a
// slice of the registries and then continues as new, so the history stays bounded however large the
// fleet.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';

import {
  REGISTRIES_PER_GENERATION,
  emptySummary,
  isInstanceBusy,
  parseReplicaId,
  replicaInstanceId,
  summaryCounts,
  tally,
} from '../../domain';
import type { HealRequest, HealResult, SweepEntry, SweepRequest, SweepSummary } from '../../domain';
import { auditTrail } from '../audit/audit.steps';
import type { AuditStep } from '../audit/audit.steps';
import { replyInChat } from '../chatFollowUp/chatFollowUp.steps';
import { ACTIVITY_RETRY } from '../shared/activityRetry';
import {
  HEAL_REPLICA_ORCHESTRATION,
  LIST_SWEEP_REGISTRIES_ACTIVITY,
  SCAN_REGISTRY_ACTIVITY,
  SWEEP_ORCHESTRATION,
} from './healing.contract';
import type {
  ScanRequest,
  ScanResult,
  Suspect,
  SweepInput,
  SweepProgress,
  SweepRegistry,
} from './healing.contract';
import { batchesOf, settleAll } from './settleAll.steps';
import type { Settled } from './settleAll.steps';

export type SweepPhase = 'listing' | 'scanning' | 'healing' | 'completed';

export function* healSweep(
  context: OrchestrationContext,
): Generator<unknown, SweepSummary | undefined, unknown> {
  const { request, progress: carried } = context.df.getInput<SweepInput>();
  const sweep = beginSweep(context, request);

  const progress = carried ?? (yield* listRegistries(sweep));
  sweep.progress = progress;

  const perGeneration = request.registriesPerGeneration ?? REGISTRIES_PER_GENERATION;
  const slice = progress.registries.slice(progress.offset, progress.offset + perGeneration);
  const suspects = yield* scanRegistries(sweep, slice);
  yield* healSuspects(sweep, suspects);

  progress.offset += slice.length;
  if (progress.offset < progress.registries.length) {
    context.df.continueAsNew({ request, progress: { ...progress, generation: progress.generation + 1 } });
    return undefined;
  }
  return yield* completeSweep(sweep);
}

/** One generation of a sweep: its request, its progress (carried across generations), its voice. */
interface SweepRun {
  context: OrchestrationContext;
  request: SweepRequest;
  progress: SweepProgress;
  status: (phase: SweepPhase) => void;
  audit: AuditStep;
  now: () => string;
}

interface Found {
  suspect: Suspect;
  registry: SweepRegistry;
}

function beginSweep(context: OrchestrationContext, request: SweepRequest): SweepRun {
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  const subject = {
    actor: request.actor,
    channel: request.channel,
    operation: 'sweep',
    target: request.registryId ?? 'sweep',
    requestedAt: request.requestedAt,
  };
  const sweep: SweepRun = {
    context,
    request,
    progress: { registries: [], offset: 0, generation: 0, summary: emptySummary(0) },
    status: (phase) => {
      context.df.setCustomStatus({
        operation: 'sweep',
        target: 'sweep',
        phase,
        dryRun: request.dryRun,
        generation: sweep.progress.generation,
        ...summaryCounts(sweep.progress.summary),
        requestedAt: request.requestedAt,
        updatedAt: now(),
      });
    },
    audit: auditTrail(context, subject, () => ''),
    now,
  };
  return sweep;
}

/** The first generation finds the registries it covers; later ones carry them in their progress. */
function* listRegistries(sweep: SweepRun): Generator<unknown, SweepProgress, unknown> {
  const { context, request, status, audit } = sweep;
  status('listing');
  yield audit('sweep-started', 'started', { dryRun: request.dryRun });
  const registries = (yield context.df.callActivityWithRetry(
    LIST_SWEEP_REGISTRIES_ACTIVITY,
    ACTIVITY_RETRY,
    request.registryId ?? null,
  )) as SweepRegistry[];
  return { registries, offset: 0, generation: 0, summary: emptySummary(registries.length) };
}

/** Scans a batch of registries at a time; a registry whose scan fails is counted, not fatal. */
function* scanRegistries(sweep: SweepRun, slice: SweepRegistry[]): Generator<unknown, Found[], unknown> {
  const { context, request, progress, status, now } = sweep;
  status('scanning');
  const suspects: Found[] = [];
  for (const batch of batchesOf(slice, request.parallelism)) {
    const scanned = yield* settleAll(
      context,
      batch.map((registry) => {
        const scan: ScanRequest = {
          registryId: registry.registryId,
          now: now(),
          thresholdMinutes: registry.thresholdMinutes,
        };
        return context.df.callActivityWithRetry(SCAN_REGISTRY_ACTIVITY, ACTIVITY_RETRY, scan);
      }),
    );
    scanned.forEach((outcome, i) => {
      const registry = batch[i];
      if (registry === undefined) return;
      progress.summary.registriesScanned += 1;
      if (!outcome.ok) {
        progress.summary.scanFailures.push(registry.registryId);
        return;
      }
      for (const suspect of (outcome.value as ScanResult).suspects) {
        suspects.push({ suspect, registry });
        progress.summary.suspects += 1;
      }
    });
    status('scanning');
  }
  return suspects;
}

/** Heals a batch of suspects at a time, each under its replica's instance id, and tallies the results. */
function* healSuspects(sweep: SweepRun, suspects: Found[]): Generator<unknown, void, unknown> {
  const { context, request, progress, status } = sweep;
  status('healing');
  for (const batch of batchesOf(suspects, request.parallelism)) {
    const healed = yield* settleAll(
      context,
      batch.map(({ suspect, registry }) => {
        const heal: HealRequest = {
          replicaId: suspect.replicaId,
          actor: request.actor,
          channel: request.channel,
          requestedAt: request.requestedAt,
          policy: registry.policy,
          dryRun: request.dryRun,
          polling: request.polling,
          thresholdMinutes: registry.thresholdMinutes,
          ...(suspect.firstSeenAt === undefined ? {} : { firstSeenAt: suspect.firstSeenAt }),
          maxAttempts: request.maxAttempts,
          approvalTimeoutMinutes: request.approvalTimeoutMinutes,
          approvalPolicy: request.approvalPolicy,
          ...(request.replyTo === undefined ? {} : { replyTo: request.replyTo }),
        };
        return context.df.callSubOrchestrator(
          HEAL_REPLICA_ORCHESTRATION,
          heal,
          replicaInstanceId(parseReplicaId(suspect.replicaId)),
        );
      }),
    );
    healed.forEach((outcome, i) => {
      const suspect = batch[i]?.suspect;
      if (suspect !== undefined) progress.summary = tally(progress.summary, entryOf(suspect, outcome));
    });
    status('healing');
  }
}

/** The summary in the audit trail, the status and (for a chat-started sweep) the chat. */
function* completeSweep(sweep: SweepRun): Generator<unknown, SweepSummary, unknown> {
  const { context, request, progress, status, audit } = sweep;
  yield audit('sweep-completed', 'succeeded', { dryRun: request.dryRun, ...summaryCounts(progress.summary) });
  status('completed');
  if (request.replyTo !== undefined) {
    const counts = summaryCounts(progress.summary);
    yield replyInChat(context, {
      replyTo: request.replyTo,
      operation: request.dryRun ? 'sweep (dry run)' : 'sweep',
      target: request.registryId ?? 'every registry in scope',
      outcome: 'succeeded',
      reason: `${String(counts.registriesScanned)} registries scanned, ${String(counts.suspects)} suspects: ${String(counts.healed)} healed, ${String(counts.skipped)} left alone (still progressing), ${String(counts.reported)} reported, ${String(counts.rejected)} not approved, ${String(counts.escalated)} escalated, ${String(counts.failed)} failed`,
      startedAt: request.requestedAt,
      endedAt: context.df.currentUtcDateTime.toISOString(),
    });
  }
  return progress.summary;
}

function entryOf(suspect: Suspect, outcome: Settled): SweepEntry {
  if (outcome.ok) return outcome.value as HealResult;
  const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  if (isInstanceBusy(outcome.error)) {
    return {
      replicaId: suspect.replicaId,
      outcome: 'skipped',
      reason: `another operation on this replica is running: ${firstLine(reason)}`,
    };
  }
  return { replicaId: suspect.replicaId, outcome: 'failed', reason: firstLine(reason) };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).trim().slice(0, 500);
}

df.app.orchestration(SWEEP_ORCHESTRATION, healSweep as OrchestrationHandler);
