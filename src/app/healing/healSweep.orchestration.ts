// The self-healing sweep: read the registries in scope into a stored listing (a few of ARM's pages at a
// time, ahead of the scans), scan them in a sliding window of small batches per subscription, and hand
// each confirmed suspect to a heal of its own (an orchestration under the replica's id, started only when
// no other operation holds it) while the scans go on; heals have their own bound. A generation carries
// positions, counts and bounded lists, and continues as new after a fixed number of tasks.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';

import {
  HEAL_POLL_MAX_SECONDS,
  LISTING_LEAD,
  MAX_QUEUED_SUSPECTS,
  SWEEP_TASKS_PER_GENERATION,
  adaptWindow,
  emptySummary,
  nextScanBatch,
  parseReplicaId,
  pollDelaySeconds,
  replicaInstanceId,
  secondsLeft,
  summaryCounts,
  tally,
  tallyScanFailure,
} from '../../domain';
import type { HealRequest, SweepEntry, SweepRequest, SweepSource, SweepSummary } from '../../domain';
import { auditTrail } from '../audit/audit.steps';
import type { AuditStep, AuditSubject } from '../audit/audit.steps';
import { replyInChat } from '../chatFollowUp/chatFollowUp.steps';
import { ACTIVITY_RETRY } from '../shared/activityRetry';
import { failureMessage } from '../shared/failureMessage';
import {
  LIST_SWEEP_SOURCE_ACTIVITY,
  READ_HEALS_ACTIVITY,
  SCAN_REGISTRIES_ACTIVITY,
  START_HEAL_ACTIVITY,
  SWEEP_ORCHESTRATION,
  SWEEP_SOURCES_ACTIVITY,
} from './healing.contract';
import type {
  BudgetReport,
  FoundSuspect,
  HealLaunch,
  HealProgress,
  HealStart,
  ListSourceRequest,
  ListSourceResult,
  QueuedSuspect,
  ScanBatch,
  ScanBatchResult,
  SweepInput,
  SweepProgress,
} from './healing.contract';

export type SweepPhase = 'listing' | 'scanning' | 'healing' | 'completed';

/** Results and failed scans go to the audit trail this many to an entry. */
const ENTRIES_PER_AUDIT = 25;

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

/** One generation of a sweep: its request, its progress (carried across generations), its voice. */
interface SweepRun {
  context: OrchestrationContext;
  request: SweepRequest;
  progress: SweepProgress;
  status: (phase: SweepPhase) => void;
  subject: AuditSubject;
  audit: AuditStep;
  now: () => Date;
}

/** A task the sweep waits for, and what to do with its outcome. */
type InFlight =
  | { kind: 'list'; task: Task; source: number }
  | { kind: 'scan'; task: Task; batch: ScanBatch }
  | { kind: 'start'; task: Task; launch: HealLaunch }
  | { kind: 'read'; task: Task; launches: HealLaunch[] }
  | { kind: 'timer'; task: Task }
  | { kind: 'audit'; task: Task };

/** What is under way in this generation. */
interface Generation {
  /** Scheduled in this round, not yet issued to the host. */
  fresh: InFlight[];
  /** Issued and not yet taken in, in the order they were issued. */
  queue: InFlight[];
  scheduled: number;
  listing: Set<number>;
  scans: Map<string, number>;
  starting: number;
  reading: boolean;
  nextHealPoll: number;
}

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

/** Takes in one task's outcome. */
function handle(run: SweepRun, gen: Generation, done: InFlight, value: unknown, error: unknown): void {
  switch (done.kind) {
    case 'list':
      gen.listing.delete(done.source);
      listed(run, done.source, error === undefined ? (value as ListSourceResult) : undefined, error);
      return;
    case 'scan':
      gen.scans.set(
        laneOf(done.batch.subscriptionId),
        (gen.scans.get(laneOf(done.batch.subscriptionId)) ?? 0) - 1,
      );
      scanned(run, done.batch, error === undefined ? (value as ScanBatchResult) : undefined, error);
      return;
    case 'start':
      gen.starting -= 1;
      started(run, gen, done.launch, error === undefined ? (value as HealStart) : undefined, error);
      return;
    case 'read':
      gen.reading = false;
      if (error === undefined) ended(run, done.launches, value as HealProgress[]);
      gen.nextHealPoll = run.now().getTime() + healPollDelayMs(run);
      return;
    case 'timer':
    case 'audit':
      return;
  }
}

/** Schedules what can run now: audit entries that are full, heals, a look at the heals, listings, scans. */
function dispatch(run: SweepRun, gen: Generation): void {
  const { context, progress, request } = run;
  flushAudits(run, gen, false);
  while (progress.queued.length > 0 && progress.running.length + gen.starting < request.parallelism) {
    const suspect = progress.queued.shift();
    if (suspect === undefined) break;
    const launch = launchFor(request, suspect);
    gen.starting += 1;
    schedule(gen, {
      kind: 'start',
      launch,
      task: context.df.callActivityWithRetry(START_HEAL_ACTIVITY, ACTIVITY_RETRY, launch),
    });
  }
  if (progress.running.length > 0 && !gen.reading && run.now().getTime() >= gen.nextHealPoll) {
    gen.reading = true;
    const launches = [...progress.running];
    schedule(gen, {
      kind: 'read',
      launches,
      task: context.df.callActivityWithRetry(READ_HEALS_ACTIVITY, ACTIVITY_RETRY, launches),
    });
  }
  progress.sources.forEach((source, index) => {
    if (source.listed || gen.listing.has(index) || source.written - source.dispatched >= LISTING_LEAD) return;
    gen.listing.add(index);
    const list: ListSourceRequest = {
      listingKey: context.df.instanceId,
      sourceIndex: index,
      source: source.source,
      ...(source.next === undefined ? {} : { next: source.next }),
      start: source.written,
      byTag: request.registryId === undefined,
    };
    schedule(gen, {
      kind: 'list',
      source: index,
      task: context.df.callActivityWithRetry(LIST_SWEEP_SOURCE_ACTIVITY, ACTIVITY_RETRY, list),
    });
  });
  progress.sources.forEach((source, index) => {
    const lane = laneOf(source.source.subscriptionId);
    for (;;) {
      const window = progress.windows[lane] ?? request.parallelism;
      const batch = nextScanBatch(source.dispatched, source.written, window - (gen.scans.get(lane) ?? 0));
      if (batch === undefined) return;
      const scan: ScanBatch = {
        listingKey: context.df.instanceId,
        sourceIndex: index,
        subscriptionId: source.source.subscriptionId,
        from: batch.from,
        to: batch.to,
        now: run.now().toISOString(),
      };
      source.dispatched = batch.to;
      gen.scans.set(lane, (gen.scans.get(lane) ?? 0) + 1);
      schedule(gen, {
        kind: 'scan',
        batch: scan,
        task: context.df.callActivityWithRetry(SCAN_REGISTRIES_ACTIVITY, ACTIVITY_RETRY, scan),
      });
    }
  });
}

function schedule(generation: Generation, inFlight: InFlight): void {
  generation.fresh.push(inFlight);
  generation.scheduled += 1;
}

function laneOf(subscriptionId: string): string {
  return subscriptionId.toLowerCase();
}

function phaseOf(progress: SweepProgress, generation: Generation): SweepPhase {
  if (progress.sources.length === 0) return 'listing';
  const scanning =
    progress.sources.some((s) => !s.listed || s.dispatched < s.written) ||
    [...generation.scans.values()].some((n) => n > 0);
  return scanning ? 'scanning' : 'healing';
}

function finished(progress: SweepProgress): boolean {
  return (
    progress.sources.every((s) => s.listed && s.dispatched >= s.written) &&
    progress.running.length === 0 &&
    progress.queued.length === 0
  );
}

/** Heals are looked at soon after they start and then less often, as long as they have run already. */
function healPollDelayMs(sweep: SweepRun): number {
  const oldest = sweep.progress.runningSince.reduce(
    (min, since) => Math.min(min, Date.parse(since)),
    sweep.now().getTime(),
  );
  const elapsed = (sweep.now().getTime() - oldest) / 1000;
  return (
    pollDelaySeconds(elapsed, {
      initialSeconds: sweep.request.polling.initialSeconds,
      maxSeconds: HEAL_POLL_MAX_SECONDS,
    }) * 1000
  );
}

/** A listing call's outcome: positions written and where ARM's list goes on; a failed listing ends it. */
function listed(sweep: SweepRun, index: number, result: ListSourceResult | undefined, error: unknown): void {
  const { progress } = sweep;
  const source = progress.sources[index];
  if (source === undefined) return;
  if (result === undefined) {
    source.listed = true;
    delete source.next;
    const where = sourceName(source.source);
    progress.summary = tallyScanFailure(progress.summary, where);
    progress.unauditedFailures.push({
      registryId: where,
      reason: `the listing stopped: ${failureMessage(error).slice(0, 200)}`,
    });
    return;
  }
  source.written += result.written;
  progress.summary = { ...progress.summary, registries: progress.summary.registries + result.written };
  if (result.next === undefined) {
    source.listed = true;
    delete source.next;
  } else {
    source.next = result.next;
  }
  noteBudget(sweep, result.budget, false);
}

/** A scan batch's outcome: counts, failed scans for the audit trail, suspects queued for heals. */
function scanned(
  sweep: SweepRun,
  batch: ScanBatch,
  result: ScanBatchResult | undefined,
  error: unknown,
): void {
  const { progress } = sweep;
  if (result === undefined) {
    const where = `${sourceName(progress.sources[batch.sourceIndex]?.source)} positions ${batch.from}-${batch.to - 1}`;
    const count = batch.to - batch.from;
    const sampled = tallyScanFailure(progress.summary, where);
    progress.summary = {
      ...sampled,
      registriesScanned: sampled.registriesScanned + count,
      scanFailures: sampled.scanFailures + count - 1,
    };
    progress.unauditedFailures.push({ registryId: where, reason: failureMessage(error).slice(0, 200) });
    return;
  }
  progress.summary = {
    ...progress.summary,
    registriesScanned: progress.summary.registriesScanned + result.scanned,
    suspects: progress.summary.suspects + result.suspects.length,
  };
  for (const failure of result.failures) {
    progress.summary = tallyScanFailure(progress.summary, failure.registryId);
    progress.unauditedFailures.push(failure);
  }
  for (const suspect of result.suspects) queueSuspect(sweep, suspect);
  noteBudget(sweep, result.budget, true);
}

function queueSuspect(sweep: SweepRun, suspect: FoundSuspect): void {
  const { progress } = sweep;
  if (progress.queued.length >= MAX_QUEUED_SUSPECTS) {
    record(sweep, {
      replicaId: suspect.replicaId,
      outcome: 'deferred',
      reason: `${MAX_QUEUED_SUSPECTS} suspects were already waiting for a heal: left for the next sweep`,
    });
    return;
  }
  progress.queued.push({
    replicaId: suspect.replicaId,
    policy: suspect.policy,
    thresholdMinutes: suspect.thresholdMinutes,
    ...(suspect.firstSeenAt === undefined ? {} : { firstSeenAt: suspect.firstSeenAt }),
  });
}

/** The budget a task met: the scan window narrows while ARM throttles and widens again after. */
function noteBudget(sweep: SweepRun, budget: BudgetReport, adapt: boolean): void {
  const { progress, request } = sweep;
  const lane = laneOf(budget.subscriptionId);
  if (budget.remainingReads !== undefined) progress.remainingReads[lane] = budget.remainingReads;
  progress.throttled += budget.throttled;
  if (adapt) {
    progress.windows[lane] = adaptWindow(
      progress.windows[lane] ?? request.parallelism,
      request.parallelism,
      budget.throttled,
    );
  }
}

function launchFor(request: SweepRequest, suspect: QueuedSuspect): HealLaunch {
  const heal: HealRequest = {
    replicaId: suspect.replicaId,
    actor: request.actor,
    channel: request.channel,
    requestedAt: request.requestedAt,
    policy: suspect.policy,
    dryRun: request.dryRun,
    polling: request.polling,
    thresholdMinutes: suspect.thresholdMinutes,
    ...(suspect.firstSeenAt === undefined ? {} : { firstSeenAt: suspect.firstSeenAt }),
    maxAttempts: request.maxAttempts,
    approvalTimeoutMinutes: request.approvalTimeoutMinutes,
    ...(request.replyTo === undefined ? {} : { replyTo: request.replyTo }),
  };
  return { instanceId: replicaInstanceId(parseReplicaId(suspect.replicaId)), request: heal };
}

/** A heal's start: it runs (and is followed), another operation holds the replica (left alone), or it failed. */
function started(
  sweep: SweepRun,
  generation: Generation,
  launch: HealLaunch,
  start: HealStart | undefined,
  error: unknown,
): void {
  const { context, progress } = sweep;
  const replicaId = launch.request.replicaId;
  if (start === undefined) {
    record(sweep, {
      replicaId,
      outcome: 'failed',
      reason: `the heal could not be started: ${failureMessage(error)}`,
    });
    return;
  }
  switch (start.outcome) {
    case 'started':
      if (progress.running.length === 0) {
        generation.nextHealPoll = sweep.now().getTime() + sweep.request.polling.initialSeconds * 1000;
      }
      progress.running.push(launch);
      progress.runningSince.push(sweep.now().toISOString());
      return;
    case 'busy': {
      const holder = `${start.name}${start.operation === undefined ? '' : ` ${start.operation}`}`;
      const reason = `busy: another operation on this replica is ${start.runtimeStatus} (${holder}); left alone`;
      record(sweep, { replicaId, outcome: 'skipped', reason });
      schedule(generation, {
        kind: 'audit',
        task: auditTrail(
          context,
          { ...sweep.subject, operation: 'heal', target: replicaId },
          () => replicaId,
        )('busy', 'skipped', { reason, operationId: launch.instanceId, sweep: context.df.instanceId }),
      });
      return;
    }
    case 'failed':
      record(sweep, {
        replicaId,
        outcome: 'failed',
        reason: `the heal could not be started: ${start.reason.split('\n')[0]?.slice(0, 300) ?? ''}`,
      });
  }
}

/** Heals that have ended leave the running list with their results. */
function ended(sweep: SweepRun, launches: HealLaunch[], read: HealProgress[]): void {
  const { progress } = sweep;
  launches.forEach((launch, i) => {
    const heal = read[i];
    if (heal?.done !== true) return;
    const at = progress.running.findIndex((r) => r.instanceId === launch.instanceId);
    if (at < 0) return;
    const since = progress.runningSince[at];
    progress.running.splice(at, 1);
    progress.runningSince.splice(at, 1);
    progress.healsEnded += 1;
    progress.healSeconds += since === undefined ? 0 : (sweep.now().getTime() - Date.parse(since)) / 1000;
    record(
      sweep,
      'result' in heal
        ? heal.result
        : { replicaId: launch.request.replicaId, outcome: 'failed', reason: heal.failure.slice(0, 500) },
    );
  });
}

/**
 * Counts a suspect's entry and keeps it for the audit trail, without the heal's evidence and plan (its
 * own output and audit entries have them), so that what a sweep carries stays small.
 */
function record(sweep: SweepRun, entry: SweepEntry): void {
  const { evidence: _evidence, plan: _plan, ...brief } = entry;
  sweep.progress.summary = tally(sweep.progress.summary, brief);
  sweep.progress.unauditedResults.push(brief);
}

/** Writes full audit entries of results and failed scans, or (at the end) whatever is left. */
function flushAudits(sweep: SweepRun, generation: Generation, all: boolean): void {
  const { progress, context } = sweep;
  const flush = <T>(items: T[], step: string, outcome: 'failed' | 'succeeded', field: string): T[] => {
    let rest = items;
    while (rest.length >= ENTRIES_PER_AUDIT || (all && rest.length > 0)) {
      const entries = rest.slice(0, ENTRIES_PER_AUDIT);
      rest = rest.slice(ENTRIES_PER_AUDIT);
      const batch = progress.auditedBatches;
      progress.auditedBatches += 1;
      schedule(generation, {
        kind: 'audit',
        task: auditTrail(context, sweep.subject, () => String(batch))(step, outcome, { [field]: entries }),
      });
    }
    return rest;
  };
  progress.unauditedFailures = flush(progress.unauditedFailures, 'scan-failed', 'failed', 'registries');
  progress.unauditedResults = flush(progress.unauditedResults, 'sweep-results', 'succeeded', 'results');
}

function sourceName(source: SweepSource | undefined): string {
  if (source === undefined) return 'an unknown listing';
  switch (source.kind) {
    case 'subscription':
      return `/subscriptions/${source.subscriptionId}`;
    case 'resourceGroup':
      return `/subscriptions/${source.subscriptionId}/resourceGroups/${source.resourceGroup}`;
    case 'registries':
      return source.registryIds.length === 1
        ? (source.registryIds[0] ?? '')
        : `${source.registryIds.length} registries of /subscriptions/${source.subscriptionId}`;
  }
}

/** What is left for the audit trail, the summary there and in the status, and (for a chat) the chat. */
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
  yield audit('sweep-completed', 'succeeded', { dryRun: request.dryRun, ...summaryCounts(progress.summary) });
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
