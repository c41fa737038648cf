// The self-healing sweep: read the registries in scope into a stored listing (a few of ARM's pages at a
// time, ahead of the scans), scan them in a sliding window of small batches per subscription, and hand
// each confirmed suspect to a heal of its own (an orchestration under the replica's id, started only when
// no other operation holds it) while the scans go on; heals have their own bound. A subscription whose
// ARM budget calls for a rest rests while the others go on. A generation carries positions, counts and
// bounded lists, and continues as new before its history would pass a hundred events.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';

import {
  EVENTS_OF_AN_EXECUTION,
  EVENTS_PER_TASK,
  emptySummary,
  secondsLeft,
  summaryCounts,
  tasksFit,
} from '../../domain';
import type { SweepRequest, SweepSource, SweepSummary } from '../../domain';
import { auditTrail } from '../audit/audit.steps';
import type { AuditSubject } from '../audit/audit.steps';
import { replyInChat } from '../chatFollowUp/chatFollowUp.steps';
import { ACTIVITY_RETRY } from '../common/activityRetry';
import { SWEEP_ORCHESTRATION, SWEEP_SOURCES_ACTIVITY } from './healing.contract';
import type { SweepInput, SweepProgress } from './healing.contract';
import {
  ENTRIES_PER_AUDIT,
  dispatch,
  earliestRestEnd,
  finished,
  flushAudits,
  handle,
  hasRoom,
  healPollDelayMs,
  lanesResting,
  phaseOf,
  schedule,
} from './sweepTasks.steps';
import type { Generation, SweepPhase, SweepRun } from './sweepTasks.steps';

export function* healSweep(
  context: OrchestrationContext,
): Generator<unknown, SweepSummary | undefined, unknown> {
  const { request, progress: carried } = context.df.getInput<SweepInput>();
  const sweep = beginSweep(context, request, carried);
  const generation = newGeneration(sweep);
  if (carried === undefined) {
    sweep.status('listing');
    generation.events += 2 * EVENTS_PER_TASK;
    // The start is audited while the listings are worked out: neither waits for the other.
    const [, sources] = (yield context.df.Task.all([
      sweep.audit('sweep-started', 'started', { dryRun: request.dryRun }),
      context.df.callActivityWithRetry(SWEEP_SOURCES_ACTIVITY, ACTIVITY_RETRY, request.registryId ?? null),
    ])) as [unknown, SweepSource[]];
    sweep.progress.sources = sources.map((source) => ({ source, listed: false, written: 0, dispatched: 0 }));
  }
  if ((yield* runGeneration(sweep, generation)) === 'continue') {
    const { progress } = sweep;
    context.df.continueAsNew({
      request,
      progress: {
        ...progress,
        generation: progress.generation + 1,
        nextHealPollAt: new Date(generation.nextHealPoll).toISOString(),
      },
    });
    return undefined;
  }
  return yield* completeSweep(sweep, generation);
}

function newGeneration(sweep: SweepRun): Generation {
  return {
    fresh: [],
    queue: [],
    events: EVENTS_OF_AN_EXECUTION,
    scansIssued: 0,
    closing: false,
    listing: new Set(),
    scans: new Map(),
    starting: 0,
    reading: false,
    nextHealPoll:
      sweep.progress.nextHealPollAt === undefined
        ? sweep.now().getTime() + healPollDelayMs(sweep)
        : Date.parse(sweep.progress.nextHealPollAt),
  };
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
    resting: {},
    rests: 0,
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
    lanesResting: lanesResting(sweep),
    rests: progress.rests,
    requestedAt: request.requestedAt,
    updatedAt: now().toISOString(),
  };
}

/**
 * Keeps the listing ahead of the scans, the scan windows full and the heals going. The host issues tasks
 * together only when they are yielded together, and a task issued once must not join a later Task.any
 * (the SDK would send its action again, and the host would issue it a second time): so new tasks go out
 * in a Task.any of their own, with a timer due at once while older tasks still run, and the waits in
 * between are for the oldest task under way, or for whichever of the tasks issued with it ends first
 * while none of them has (no task waits long: a scan that would wait for ARM's budget stops short and
 * its subscription rests).
 * When nothing runs and the sweep is not done, a timer waits for the end of the earliest rest or the
 * next look at the heals. Ends when everything is done, or continues as new once the generation's
 * history has no room for more work and its tasks have ended.
 */
function* runGeneration(
  sweep: SweepRun,
  generation: Generation,
): Generator<unknown, 'done' | 'continue', unknown> {
  const { context, progress } = sweep;
  for (;;) {
    const draining = !hasRoom(generation);
    if (!draining) dispatch(sweep, generation);
    sweep.status(phaseOf(progress, generation));
    if (generation.fresh.length === 0 && generation.queue.length === 0) {
      if (finished(progress)) {
        return tasksFit(generation.events, completionTasks(sweep)) ? 'done' : 'continue';
      }
      if (draining) {
        // What is not in the audit trail yet goes there now, as far as the history has room, so that the
        // next generation starts without it.
        flushAudits(sweep, generation, true, 0);
        if (generation.fresh.length === 0) return 'continue';
      } else {
        // Only heals are left, or subscriptions resting: wait for whichever comes first.
        const timer = context.df.createTimer(new Date(wakeAt(sweep, generation)));
        schedule(generation, { kind: 'timer', task: timer });
      }
    }
    if (generation.fresh.length > 0) {
      const fresh = generation.fresh.splice(0);
      const olderRunning = generation.queue.some((f) => !settled(f.task));
      // Tasks issued together may be waited for together later (whichever ends first): a Task.any made
      // now, while none of them is issued, and yielded again only while none of them has ended.
      const [only, ...others] = fresh.map((f) => f.task);
      const together =
        only !== undefined && others.length === 0 ? only : context.df.Task.any(fresh.map((f) => f.task));
      for (const f of fresh) f.together = together;
      generation.queue.push(...fresh);
      if (olderRunning) {
        generation.events += EVENTS_PER_TASK;
        yield context.df.Task.any([together, context.df.createTimer(sweep.now())]);
      } else {
        yield together;
      }
    } else {
      const oldest = generation.queue.find((f) => !settled(f.task));
      if (oldest !== undefined) {
        try {
          yield oldest.together !== undefined && !settled(oldest.together) ? oldest.together : oldest.task;
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

/** When a sweep with nothing under way looks again: the earliest rest's end, or the next look at the heals. */
function wakeAt(sweep: SweepRun, generation: Generation): number {
  const { progress } = sweep;
  const restEnd = earliestRestEnd(progress);
  const times = [
    ...(progress.running.length > 0 ? [generation.nextHealPoll] : []),
    ...(restEnd === undefined ? [] : [restEnd]),
  ];
  // Nothing to wait for would be a slip: look again after a heal's poll delay rather than at once.
  if (times.length === 0) return sweep.now().getTime() + healPollDelayMs(sweep);
  return Math.max(sweep.now().getTime(), Math.min(...times));
}

/** Tasks the end of a sweep issues: what is left for the audit trail, the summary there, and the chat. */
function completionTasks(sweep: SweepRun): number {
  const { progress, request } = sweep;
  const entries = (items: readonly unknown[]): number => Math.ceil(items.length / ENTRIES_PER_AUDIT);
  return (
    entries(progress.unauditedFailures) +
    entries(progress.unauditedResults) +
    entries(progress.unhandedDrift) +
    1 +
    (request.replyTo === undefined ? 0 : 1)
  );
}

function settled(task: Task): boolean {
  return task.isCompleted || task.isFaulted;
}

function* completeSweep(sweep: SweepRun, generation: Generation): Generator<unknown, SweepSummary, unknown> {
  const { context, request, progress, status, audit } = sweep;
  flushAudits(sweep, generation, true);
  const rest = generation.fresh.splice(0);
  if (rest.length > 0) yield context.df.Task.all(rest.map((entry) => entry.task));
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
