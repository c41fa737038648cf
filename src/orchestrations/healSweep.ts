// The scheduled self-healing sweep: list the registries in scope, scan them a batch at a time for
// suspects (one list and one GET per suspect each), and heal every suspect through its own heal
// orchestration, which runs under the replica's instance id so it never overlaps another operation on
// that replica. A suspect busy with another operation is skipped, not fatal. Every generation covers a
// slice of the registries and then continues as new, so the history stays bounded however large the
// fleet.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';

import { LIST_SWEEP_REGISTRIES_ACTIVITY, SCAN_REGISTRY_ACTIVITY } from '../activities/sweepActivities';
import type { ScanRequest, ScanResult, Suspect, SweepRegistry } from '../activities/sweepActivities';
import {
  REGISTRIES_PER_GENERATION,
  emptySummary,
  isInstanceBusy,
  parseReplicaId,
  replicaInstanceId,
  summaryCounts,
  tally,
} from '../domain';
import type {
  AuditOutcome,
  HealRequest,
  HealResult,
  SweepEntry,
  SweepRequest,
  SweepSummary,
} from '../domain';
import { HEAL_REPLICA_ORCHESTRATION, SWEEP_ORCHESTRATION } from './names';
import { batchesOf, settleAll } from './settleAll';
import { ACTIVITY_RETRY, auditStep } from './auditStep';
import { CHAT_REPLY_ACTIVITY } from '../activities/chatContract';
import type { ChatReplyInput } from '../activities/chatContract';

export { SWEEP_ORCHESTRATION };

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

export type SweepPhase = 'listing' | 'scanning' | 'healing' | 'completed';

export function* healSweep(
  context: OrchestrationContext,
): Generator<unknown, SweepSummary | undefined, unknown> {
  const { request, progress: carried } = context.df.getInput<SweepInput>();
  const now = (): string => context.df.currentUtcDateTime.toISOString();

  const subject = {
    actor: request.actor,
    channel: request.channel,
    operation: 'sweep',
    target: request.registryId ?? 'sweep',
    requestedAt: request.requestedAt,
  };
  const audit = (step: string, outcome: AuditOutcome, detail?: Record<string, unknown>): Task =>
    auditStep(context, subject, step, outcome, '', detail);

  let progress: SweepProgress;
  const status = (phase: SweepPhase): void => {
    context.df.setCustomStatus({
      operation: 'sweep',
      target: 'sweep',
      phase,
      dryRun: request.dryRun,
      generation: progress.generation,
      ...summaryCounts(progress.summary),
      requestedAt: request.requestedAt,
      updatedAt: now(),
    });
  };

  if (carried === undefined) {
    progress = { registries: [], offset: 0, generation: 0, summary: emptySummary(0) };
    status('listing');
    yield audit('sweep-started', 'started', { dryRun: request.dryRun });
    const registries = (yield context.df.callActivityWithRetry(
      LIST_SWEEP_REGISTRIES_ACTIVITY,
      ACTIVITY_RETRY,
      request.registryId ?? null,
    )) as SweepRegistry[];
    progress = { registries, offset: 0, generation: 0, summary: emptySummary(registries.length) };
  } else {
    progress = carried;
  }

  const perGeneration = request.registriesPerGeneration ?? REGISTRIES_PER_GENERATION;
  const slice = progress.registries.slice(progress.offset, progress.offset + perGeneration);

  status('scanning');
  const suspects: { suspect: Suspect; registry: SweepRegistry }[] = [];
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

  progress.offset += slice.length;
  if (progress.offset < progress.registries.length) {
    context.df.continueAsNew({ request, progress: { ...progress, generation: progress.generation + 1 } });
    return undefined;
  }

  yield audit('sweep-completed', 'succeeded', { dryRun: request.dryRun, ...summaryCounts(progress.summary) });
  status('completed');
  if (request.replyTo !== undefined) {
    const counts = summaryCounts(progress.summary);
    const reply: ChatReplyInput = {
      replyTo: request.replyTo,
      operation: request.dryRun ? 'sweep (dry run)' : 'sweep',
      target: request.registryId ?? 'every registry in scope',
      outcome: 'succeeded',
      reason: `${String(counts.registriesScanned)} registries scanned, ${String(counts.suspects)} suspects: ${String(counts.healed)} healed, ${String(counts.skipped)} left alone (still progressing), ${String(counts.reported)} reported, ${String(counts.rejected)} not approved, ${String(counts.escalated)} escalated, ${String(counts.failed)} failed`,
      startedAt: request.requestedAt,
      endedAt: context.df.currentUtcDateTime.toISOString(),
    };
    yield context.df.callActivityWithRetry(CHAT_REPLY_ACTIVITY, ACTIVITY_RETRY, reply);
  }
  return progress.summary;
}

function entryOf(
  suspect: Suspect,
  outcome: { ok: true; value: unknown } | { ok: false; error: unknown },
): SweepEntry {
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
