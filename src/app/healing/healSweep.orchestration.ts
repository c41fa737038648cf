// The self-healing sweep: read the registries in scope into a stored listing (a few of ARM's pages at a
// time, ahead of the scans), scan them in a sliding window of small batches per subscription, and hand
// each confirmed suspect to a heal of its own (an orchestration under the replica's id, started only when
// no other operation holds it) while the scans go on; heals have their own bound. A generation carries
// positions, counts and bounded lists, and continues as new after a fixed number of tasks.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';

import { SWEEP_TASKS_PER_GENERATION, emptySummary, secondsLeft, summaryCounts } from '../../domain';
import type { SweepRequest, SweepSource, SweepSummary } from '../../domain';
import { auditTrail } from '../audit/audit.steps';
import type { AuditSubject } from '../audit/audit.steps';
import { replyInChat } from '../chatFollowUp/chatFollowUp.steps';
import { ACTIVITY_RETRY } from '../common/activityRetry';
import { SWEEP_ORCHESTRATION, SWEEP_SOURCES_ACTIVITY } from './healing.contract';
import type { SweepInput, SweepProgress } from './healing.contract';
import {
  dispatch,
  finished,
  flushAudits,
  handle,
  healPollDelayMs,
  phaseOf,
  schedule,
} from './sweepTasks.steps';
import type { Generation, SweepPhase, SweepRun } from './sweepTasks.steps';

export function* healSweep(
  context: OrchestrationContext,
): Generator<unknown, SweepSummary | undefined, unknown> {
  const { request, progress: carried } = context.df.getInput<SweepInput>();
  const sweep = beginSweep(context, request, carried);
  if (carried === undefined) {
    sweep.status('listing');
    yield sweep.audit('sweep-started', 'started', { dryRun: request.dryRun });
    const sources = (yield context.df.callActivityWithRetry(
      SWEEP_SOURCES_ACTIVITY,
      ACTIVITY_RETRY,
      request.registryId ?? null,
    )) as SweepSource[];
    sweep.progress.sources = sources.map((source) => ({ source, listed: false, written: 0, dispatched: 0 }));
  }
  if ((yield* runGeneration(sweep)) === 'continue') {
    const { progress } = sweep;
    context.df.continueAsNew({ request, progress: { ...progress, generation: progress.generation + 1 } });
    return undefined;
  }
  return yield* completeSweep(sweep);
}

/** A generation's start: the progress carried from the last one (or a fresh one), and how it reports. */
function beginSweep(
  context: OrchestrationContext,
  request: SweepRequest,
  carried: SweepProgress | undefined,
): SweepRun {
  const now = (): Date => context.df.currentUtcDateTime;
  const subject: AuditSubject = {
    actor: request.actor,
    channel: request.channel,
    operation: 'sweep',
    target: request.registryId ?? 'sweep',
    requestedAt: request.requestedAt,
  };
  const progress: SweepProgress = carried ?? {
    generation: 0,
    startedAt: now().toISOString(),
    sources: [],
    summary: emptySummary(),
    windows: {},
    running: [],
    runningSince: [],
    queued: [],
    healsEnded: 0,
    healSeconds: 0,
    unauditedResults: [],
    unauditedFailures: [],
    unhandedDrift: [],
    auditedBatches: 0,
    remainingReads: {},
    throttled: 0,
  };
  const sweep: SweepRun = {
    context,
    request,
    progress,
    status: (phase) => context.df.setCustomStatus(statusOf(sweep, phase)),
    subject,
    audit: auditTrail(context, subject, () => ''),
    now,
  };
  return sweep;
}

/** The custom status: counts, where the work stands and how long the rest should take; a few hundred bytes. */
function statusOf(sweep: SweepRun, phase: SweepPhase): Record<string, unknown> {
  const { request, progress, now } = sweep;
  const listingDone = progress.sources.length > 0 && progress.sources.every((s) => s.listed);
  const counts = summaryCounts(progress.summary);
  const left =
    phase === 'completed'
      ? 0
      : secondsLeft({
          registries: counts.registries,
          registriesScanned: counts.registriesScanned,
          listingDone,
          elapsedSeconds: (now().getTime() - Date.parse(progress.startedAt)) / 1000,
          healsRunning: progress.running.length,
          healsQueued: progress.queued.length,
          healBound: request.parallelism,
          ...(progress.healsEnded === 0
            ? {}
            : { averageHealSeconds: progress.healSeconds / progress.healsEnded }),
        });
  const reads = Object.values(progress.remainingReads);
  return {
    operation: 'sweep',
    target: request.registryId ?? 'sweep',
    phase,
    dryRun: request.dryRun,
    generation: progress.generation,
    ...counts,
    listingDone,
    healsRunning: progress.running.length,
    healsQueued: progress.queued.length,
    ...(left === undefined ? {} : { secondsLeft: left }),
    ...(reads.length === 0 ? {} : { readsRemaining: Math.min(...reads) }),
    throttled: progress.throttled,
    requestedAt: request.requestedAt,
    updatedAt: now().toISOString(),
  };
}

/**
 * Keeps the listing ahead of the scans, the scan windows full and the heals going. The host issues tasks
 * together only when they are yielded together, and a task issued once must not join a later Task.any
 * (the host would issue it a second time): so new tasks go out in a Task.any of their own, with a timer
 * due at once while older tasks still run, and the waits in between are for the oldest task under way.
 * Ends when everything is done, or continues as new once the generation has scheduled its share of
 * tasks and they have ended.
 */
function* runGeneration(sweep: SweepRun): Generator<unknown, 'done' | 'continue', unknown> {
  const { context, progress } = sweep;
  const generation: Generation = {
    fresh: [],
    queue: [],
    scheduled: 0,
    listing: new Set(),
    scans: new Map(),
    starting: 0,
    reading: false,
    nextHealPoll: sweep.now().getTime() + healPollDelayMs(sweep),
  };
  for (;;) {
    const draining = generation.scheduled >= SWEEP_TASKS_PER_GENERATION;
    if (draining) flushAudits(sweep, generation, false);
    else dispatch(sweep, generation);
    sweep.status(phaseOf(progress, generation));
    if (generation.fresh.length === 0 && generation.queue.length === 0) {
      if (finished(progress)) return 'done';
      if (draining) {
        // What is not in the audit trail yet goes there now, so the next generation starts without it.
        flushAudits(sweep, generation, true);
        if (generation.fresh.length === 0) return 'continue';
      } else {
        // Only heals are left, and it is not yet time to look at them again.
        const timer = context.df.createTimer(new Date(generation.nextHealPoll));
        schedule(generation, { kind: 'timer', task: timer });
      }
    }
    if (generation.fresh.length > 0) {
      const fresh = generation.fresh.splice(0);
      const olderRunning = generation.queue.some((f) => !settled(f.task));
      generation.queue.push(...fresh);
      const tasks = fresh.map((f) => f.task);
      if (olderRunning) {
        tasks.push(context.df.createTimer(sweep.now()));
        generation.scheduled += 1;
      }
      yield context.df.Task.any(tasks);
    } else {
      const oldest = generation.queue.find((f) => !settled(f.task));
      if (oldest !== undefined) {
        try {
          yield oldest.task;
        } catch {
          // Read below, from the task itself.
        }
      }
    }
    const done = generation.queue.filter((f) => settled(f.task));
    generation.queue = generation.queue.filter((f) => !settled(f.task));
    for (const f of done) {
      handle(
        sweep,
        generation,
        f,
        f.task.isFaulted ? undefined : f.task.result,
        f.task.isFaulted ? (f.task.result ?? new Error('the task failed')) : undefined,
      );
    }
  }
}

function settled(task: Task): boolean {
  return task.isCompleted || task.isFaulted;
}

function* completeSweep(sweep: SweepRun): Generator<unknown, SweepSummary, unknown> {
  const { context, request, progress, status, audit } = sweep;
  const rest: Generation = {
    fresh: [],
    queue: [],
    scheduled: 0,
    listing: new Set(),
    scans: new Map(),
    starting: 0,
    reading: false,
    nextHealPoll: 0,
  };
  flushAudits(sweep, rest, true);
  if (rest.fresh.length > 0) yield context.df.Task.all(rest.fresh.map((entry) => entry.task));
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
      reason: `${String(counts.registriesScanned)} registries scanned, ${String(counts.suspects)} suspects: ${String(counts.healed)} healed, ${String(counts.skipped)} left alone (still progressing), ${String(counts.reported)} reported, ${String(counts.rejected)} not approved, ${String(counts.escalated)} escalated, ${String(counts.failed)} failed${counts.deferred === 0 ? '' : `, ${String(counts.deferred)} left for the next sweep`}`,
      startedAt: request.requestedAt,
      endedAt: context.df.currentUtcDateTime.toISOString(),
    });
  }
  return progress.summary;
}

df.app.orchestration(SWEEP_ORCHESTRATION, healSweep as OrchestrationHandler);
