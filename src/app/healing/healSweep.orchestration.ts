// The scheduled self-healing sweep: list the registries in scope, scan them a batch at a time (one list,
// one GET per suspect), and heal each suspect in its own orchestration under the replica's id, unless
// another operation holds the replica (then it is reported busy and left alone: a sub-orchestration would
// replace it on the Durable host). Each generation covers a slice of the registries, then continues as
// new. Custom status: counts only; lists: output and audit.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';

import {
  REGISTRIES_PER_GENERATION,
  emptySummary,
  parseReplicaId,
  pollDelaySeconds,
  replicaInstanceId,
  summaryCounts,
  tally,
} from '../../domain';
import type { HealRequest, PollingPolicy, SweepRequest, SweepSummary } from '../../domain';
import { auditTrail } from '../audit/audit.steps';
import type { AuditStep, AuditSubject } from '../audit/audit.steps';
import { replyInChat } from '../chatFollowUp/chatFollowUp.steps';
import type { DriftFinding } from '../desiredReplicas/desiredReplicas.contract';
import { handOverDrift } from '../desiredReplicas/desiredReplicas.steps';
import { ACTIVITY_RETRY } from '../common/activityRetry';
import { failureMessage } from '../common/failureMessage';
import {
  LIST_SWEEP_REGISTRIES_ACTIVITY,
  READ_HEALS_ACTIVITY,
  SCAN_REGISTRY_ACTIVITY,
  START_HEAL_ACTIVITY,
  SWEEP_ORCHESTRATION,
} from './healing.contract';
import type {
  EndedHeal,
  HealLaunch,
  HealProgress,
  HealStart,
  ScanRequest,
  ScanResult,
  Suspect,
  SweepInput,
  SweepProgress,
  SweepRegistry,
} from './healing.contract';
import { batchesOf, settleAll } from './settleAll.steps';

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
  const drift: DriftFinding[] = [];
  const suspects = yield* scanRegistries(sweep, slice, drift);
  yield* handOverDrift(context, { ...sweep.subject, dryRun: request.dryRun }, drift);
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
  /** Who asked for the sweep, for audit entries of its own and of the heals it leaves alone. */
  subject: AuditSubject;
  audit: AuditStep;
  now: () => string;
}

interface Found {
  suspect: Suspect;
  registry: SweepRegistry;
}

function beginSweep(context: OrchestrationContext, request: SweepRequest): SweepRun {
  const now = (): string => context.df.currentUtcDateTime.toISOString();
  const subject: AuditSubject = {
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
    subject,
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
function* scanRegistries(
  sweep: SweepRun,
  slice: SweepRegistry[],
  drift: DriftFinding[],
): Generator<unknown, Found[], unknown> {
  const { context, request, progress, status, now } = sweep;
  status('scanning');
  const suspects: Found[] = [];
  const failedScans: { registryId: string; reason: string }[] = [];
  for (const batch of batchesOf(slice, request.parallelism)) {
    // No Durable retries for a scan: the ARM client already retries throttling and transient errors,
    // and a registry whose scan fails is scanned again by the next sweep instead of holding this one up.
    const scanned = yield* settleAll(
      context,
      batch.map((registry) => {
        const scan: ScanRequest = {
          registryId: registry.registryId,
          now: now(),
          thresholdMinutes: registry.thresholdMinutes,
        };
        return context.df.callActivity(SCAN_REGISTRY_ACTIVITY, scan);
      }),
    );
    scanned.forEach((outcome, i) => {
      const registry = batch[i];
      if (registry === undefined) return;
      progress.summary.registriesScanned += 1;
      if (!outcome.ok) {
        progress.summary.scanFailures.push(registry.registryId);
        failedScans.push({
          registryId: registry.registryId,
          reason: failureMessage(outcome.error).slice(0, 200),
        });
        return;
      }
      const scan = outcome.value as ScanResult;
      if (scan.drift !== undefined) drift.push(scan.drift);
      for (const suspect of scan.suspects) {
        suspects.push({ suspect, registry });
        progress.summary.suspects += 1;
      }
    });
    status('scanning');
  }
  if (failedScans.length > 0) {
    yield context.df.Task.all(
      batchesOf(failedScans, SCAN_FAILURES_PER_ENTRY).map((registries, i) =>
        auditTrail(context, sweep.subject, () => `${progress.generation}|${i}`)('scan-failed', 'failed', {
          registries,
        }),
      ),
    );
  }
  return suspects;
}

/**
 * Starts a batch of heals at a time, each as its own orchestration under its replica's instance id,
 * follows them until they end, and tallies the results. A replica another operation holds is left alone.
 */
function* healSuspects(sweep: SweepRun, suspects: Found[]): Generator<unknown, void, unknown> {
  const { context, request, progress, status } = sweep;
  status('healing');
  for (const batch of batchesOf(suspects, request.parallelism)) {
    const launches = batch.map(({ suspect, registry }): HealLaunch => {
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
      return { instanceId: replicaInstanceId(parseReplicaId(suspect.replicaId)), request: heal };
    });
    const starts = yield* settleAll(
      context,
      launches.map((launch) => context.df.callActivityWithRetry(START_HEAL_ACTIVITY, ACTIVITY_RETRY, launch)),
    );
    const running: HealLaunch[] = [];
    const busy: Task[] = [];
    starts.forEach((outcome, i) => {
      const launch = launches[i];
      if (launch === undefined) return;
      const replicaId = launch.request.replicaId;
      if (!outcome.ok) {
        progress.summary = tally(progress.summary, {
          replicaId,
          outcome: 'failed',
          reason: `the heal could not be started: ${failureMessage(outcome.error)}`,
        });
        return;
      }
      const start = outcome.value as HealStart;
      if (start.outcome === 'started') {
        running.push(launch);
      } else if (start.outcome === 'busy') {
        const holder = `${start.name}${start.operation === undefined ? '' : ` ${start.operation}`}`;
        const reason = `busy: another operation on this replica is ${start.runtimeStatus} (${holder}); left alone`;
        progress.summary = tally(progress.summary, { replicaId, outcome: 'skipped', reason });
        busy.push(
          auditTrail(context, { ...sweep.subject, operation: 'heal', target: replicaId }, () => replicaId)(
            'busy',
            'skipped',
            { reason, operationId: launch.instanceId, sweep: context.df.instanceId },
          ),
        );
      } else {
        progress.summary = tally(progress.summary, {
          replicaId,
          outcome: 'failed',
          reason: `the heal could not be started: ${start.reason.split('\n')[0]?.slice(0, 300) ?? ''}`,
        });
      }
    });
    if (busy.length > 0) yield context.df.Task.all(busy);
    const ended = yield* followHeals(context, running, request.polling);
    for (const { launch, progress: heal } of ended) {
      progress.summary = tally(
        progress.summary,
        'result' in heal
          ? heal.result
          : { replicaId: launch.request.replicaId, outcome: 'failed', reason: heal.failure.slice(0, 500) },
      );
    }
    status('healing');
  }
}

/** Waits, with durable timers and capped backoff, until every started heal has ended. */
function* followHeals(
  context: OrchestrationContext,
  launches: HealLaunch[],
  polling: PollingPolicy,
): Generator<unknown, { launch: HealLaunch; progress: EndedHeal }[], unknown> {
  const ended: { launch: HealLaunch; progress: EndedHeal }[] = [];
  let pending = launches;
  for (let poll = 0; pending.length > 0; poll += 1) {
    const wait = pollDelaySeconds(poll, polling) * 1000;
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + wait));
    const read = (yield context.df.callActivityWithRetry(
      READ_HEALS_ACTIVITY,
      ACTIVITY_RETRY,
      pending,
    )) as HealProgress[];
    const still: HealLaunch[] = [];
    pending.forEach((launch, i) => {
      const heal = read[i];
      if (heal?.done === true) ended.push({ launch, progress: heal });
      else still.push(launch);
    });
    pending = still;
  }
  return ended;
}

/** The summary in the audit trail, the status and (for a chat-started sweep) the chat. */
function* completeSweep(sweep: SweepRun): Generator<unknown, SweepSummary, unknown> {
  const { context, request, progress, status, audit } = sweep;
  yield audit('sweep-completed', 'succeeded', {
    dryRun: request.dryRun,
    requestedAt: request.requestedAt,
    ...summaryCounts(progress.summary),
  });
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

/** Audit entries for failed scans hold this many registries each (entries are bounded in size). */
const SCAN_FAILURES_PER_ENTRY = 25;

df.app.orchestration(SWEEP_ORCHESTRATION, healSweep as OrchestrationHandler);
