// The tasks of a sweep generation: what it schedules (listings ahead of the scans, scan batches that fill
// each subscription's window, heals and looks at them, full audit entries) within the history one
// execution may hold, and what becomes of each outcome (counts, bounded samples, suspects queued for
// heals, the window narrowed while ARM throttles, a subscription resting when ARM's budget calls for it).
import type { OrchestrationContext, Task } from 'durable-functions';

import {
  EVENTS_PER_TASK,
  HEAL_POLL_MAX_SECONDS,
  LISTING_LEAD,
  MAX_QUEUED_SUSPECTS,
  adaptWindow,
  fillWindow,
  parseReplicaId,
  pollDelaySeconds,
  refillDue,
  replicaInstanceId,
  restUntil,
  tally,
  tallyScanFailure,
  tasksFit,
} from '../../domain';
import type { HealRequest, SweepEntry, SweepRequest, SweepSource } from '../../domain';
import { auditTrail } from '../audit/audit.steps';
import { driftHandOver } from '../desiredReplicas/desiredReplicas.steps';
import type { AuditStep, AuditSubject } from '../audit/audit.steps';
import { ACTIVITY_RETRY } from '../common/activityRetry';
import { failureMessage } from '../common/failureMessage';
import {
  LIST_SWEEP_SOURCE_ACTIVITY,
  READ_HEALS_ACTIVITY,
  SCAN_REGISTRIES_ACTIVITY,
  START_HEAL_ACTIVITY,
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
  SweepProgress,
} from './healing.contract';

export type SweepPhase = 'listing' | 'scanning' | 'healing' | 'completed';

/** Results and failed scans go to the audit trail this many to an entry. */
export const ENTRIES_PER_AUDIT = 25;
/** Calls a listing gets before the sweep gives it up (and reports it as a failed scan). */
const LISTING_ATTEMPTS = 3;
/**
 * Tasks' room new work leaves in a generation's history: the timer that may go out with it (new tasks
 * go out beside running ones with a timer due at once), and the audit entries written before the
 * generation continues as new (results, failed scans, drift).
 */
const ROOM_KEPT = 4;

/** One generation of a sweep: its request, its progress (carried across generations), its voice. */
export interface SweepRun {
  context: OrchestrationContext;
  request: SweepRequest;
  progress: SweepProgress;
  status: (phase: SweepPhase) => void;
  subject: AuditSubject;
  audit: AuditStep;
  now: () => Date;
}

/**
 * A task the sweep waits for, and what to do with its outcome; once issued, the Task.any of the tasks
 * issued with it (`together`).
 */
export type InFlight = (
  | { kind: 'list'; task: Task; source: number }
  | { kind: 'scan'; task: Task; batch: ScanBatch }
  | { kind: 'start'; task: Task; launches: HealLaunch[] }
  | { kind: 'read'; task: Task; launches: HealLaunch[] }
  | { kind: 'timer'; task: Task }
  | { kind: 'audit'; task: Task }
) & { together?: Task };

/** What is under way in this generation. */
export interface Generation {
  /** Scheduled in this round, not yet issued to the host. */
  fresh: InFlight[];
  /** Issued and not yet taken in, in the order they were issued. */
  queue: InFlight[];
  /** History events this execution holds at most so far, counting every task issued to its end. */
  events: number;
  /** Scan batches issued in this generation. */
  scansIssued: number;
  /**
   * The history has no room left to fill a window: the generation issues nothing more, lets its tasks
   * end and continues as new, rather than scan with part of the window idle.
   */
  closing: boolean;
  listing: Set<number>;
  /** Slots of each subscription's window held by scans under way. */
  scans: Map<string, number>;
  starting: number;
  reading: boolean;
  nextHealPoll: number;
}

/** Takes in one task's outcome. */
export function handle(run: SweepRun, gen: Generation, done: InFlight, value: unknown, error: unknown): void {
  switch (done.kind) {
    case 'list':
      gen.listing.delete(done.source);
      listed(run, done.source, error === undefined ? (value as ListSourceResult) : undefined, error);
      return;
    case 'scan':
      gen.scans.set(
        laneOf(done.batch.subscriptionId),
        (gen.scans.get(laneOf(done.batch.subscriptionId)) ?? 0) - (done.batch.slots ?? 1),
      );
      scanned(run, done.batch, error === undefined ? (value as ScanBatchResult) : undefined, error);
      return;
    case 'start':
      gen.starting -= done.launches.length;
      done.launches.forEach((launch, i) => {
        started(run, gen, launch, error === undefined ? (value as HealStart[])[i] : undefined, error);
      });
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

/** Whether the generation's history has room for new work (one more task, and the room kept). */
export function hasRoom(gen: Generation): boolean {
  return !gen.closing && tasksFit(gen.events, 1, ROOM_KEPT);
}

/**
 * Schedules what can run now, as far as the generation's history has room: audit entries that are full,
 * heals, a look at the heals, listings and scans of the subscriptions not resting.
 */
export function dispatch(run: SweepRun, gen: Generation): void {
  const { context, progress, request } = run;
  flushAudits(run, gen, false, ROOM_KEPT);
  // The heals that may start now start together, as far as the history has room for them and for an
  // audit entry each (a replica another operation holds is audited as left alone).
  const launches: HealLaunch[] = [];
  while (
    tasksFit(gen.events, 1 + launches.length + 1, ROOM_KEPT) &&
    progress.queued.length > 0 &&
    progress.running.length + gen.starting + launches.length < request.parallelism
  ) {
    const suspect = progress.queued.shift();
    if (suspect === undefined) break;
    launches.push(launchFor(request, suspect));
  }
  if (launches.length > 0) {
    gen.starting += launches.length;
    schedule(gen, {
      kind: 'start',
      launches,
      task: context.df.callActivityWithRetry(START_HEAL_ACTIVITY, ACTIVITY_RETRY, launches),
    });
  }
  if (
    hasRoom(gen) &&
    progress.running.length > 0 &&
    !gen.reading &&
    run.now().getTime() >= gen.nextHealPoll
  ) {
    gen.reading = true;
    const launches = [...progress.running];
    schedule(gen, {
      kind: 'read',
      launches,
      // A look that fails is simply taken again at the next poll.
      task: context.df.callActivity(READ_HEALS_ACTIVITY, launches),
    });
  }
  progress.sources.forEach((source, index) => {
    if (source.listed || gen.listing.has(index) || source.written - source.dispatched >= LISTING_LEAD) return;
    if (!hasRoom(gen) || resting(run, laneOf(source.source.subscriptionId))) return;
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
      // No Durable retries inside the window: a task that waits minutes between attempts would hold up
      // every wait behind it. The ARM client retries throttling and transient faults itself; a listing
      // that still fails is tried again by the next dispatch, a few times.
      task: context.df.callActivity(LIST_SWEEP_SOURCE_ACTIVITY, list),
    });
  });
  progress.sources.forEach((source, index) => {
    const lane = laneOf(source.source.subscriptionId);
    if (!hasRoom(gen) || resting(run, lane)) return;
    const window = progress.windows[lane] ?? request.parallelism;
    const running = gen.scans.get(lane) ?? 0;
    if (!refillDue(window, running)) return;
    let batches = fillWindow(
      source.dispatched,
      source.written,
      source.returned ?? [],
      window - running,
      window,
    );
    if (batches.length === 0) return;
    if (!tasksFit(gen.events, batches.length, ROOM_KEPT)) {
      // A window only partly filled would leave the rest idle until the generation's last batch ends:
      // better to end the generation now and start the next with the whole window. Its first batches,
      // though, go out as far as the history has room.
      if (gen.scansIssued > 0) {
        gen.closing = true;
        return;
      }
      batches = batches.filter((_, i) => tasksFit(gen.events, i + 1, ROOM_KEPT));
    }
    for (const batch of batches) {
      const returned = source.returned?.[0];
      if (returned !== undefined && returned.from === batch.from && returned.to === batch.to) {
        source.returned?.shift();
        if (source.returned?.length === 0) delete source.returned;
      } else {
        source.dispatched = batch.to;
      }
      const scan: ScanBatch = {
        listingKey: context.df.instanceId,
        sourceIndex: index,
        subscriptionId: source.source.subscriptionId,
        from: batch.from,
        to: batch.to,
        slots: batch.slots,
        now: run.now().toISOString(),
      };
      gen.scans.set(lane, (gen.scans.get(lane) ?? 0) + batch.slots);
      gen.scansIssued += 1;
      schedule(gen, {
        kind: 'scan',
        batch: scan,
        // A scan reports each registry that failed; the activity itself fails only on the way to its
        // listing, and then its registries count as failed scans (the next sweep scans them again).
        task: context.df.callActivity(SCAN_REGISTRIES_ACTIVITY, scan),
      });
    }
  });
}

export function schedule(generation: Generation, inFlight: InFlight): void {
  generation.fresh.push(inFlight);
  generation.events += EVENTS_PER_TASK;
}

/** Whether a subscription rests for ARM's budget now; a rest that is over is forgotten. */
function resting(run: SweepRun, lane: string): boolean {
  const until = run.progress.resting[lane];
  if (until === undefined) return false;
  if (run.now().getTime() < Date.parse(until)) return true;
  delete run.progress.resting[lane];
  return false;
}

/** The end of the earliest rest under way (ms), if any subscription rests. */
export function earliestRestEnd(progress: SweepProgress): number | undefined {
  const ends = Object.values(progress.resting).map((until) => Date.parse(until));
  return ends.length === 0 ? undefined : Math.min(...ends);
}

/** Subscriptions resting now. */
export function lanesResting(run: SweepRun): number {
  const now = run.now().getTime();
  return Object.values(run.progress.resting).filter((until) => Date.parse(until) > now).length;
}

export function laneOf(subscriptionId: string): string {
  return subscriptionId.toLowerCase();
}

export function phaseOf(progress: SweepProgress, generation: Generation): SweepPhase {
  if (progress.sources.length === 0) return 'listing';
  const scanning =
    progress.sources.some((s) => !scannedAll(s)) || [...generation.scans.values()].some((n) => n > 0);
  return scanning ? 'scanning' : 'healing';
}

export function finished(progress: SweepProgress): boolean {
  return progress.sources.every(scannedAll) && progress.running.length === 0 && progress.queued.length === 0;
}

/** Listed to the end and every position handed to a scan that did not stop short. */
function scannedAll(source: SweepProgress['sources'][number]): boolean {
  return source.listed && source.dispatched >= source.written && (source.returned ?? []).length === 0;
}

/** Heals are looked at soon after they start and then less often, as long as they have run already. */
export function healPollDelayMs(sweep: SweepRun): number {
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
    source.failures = (source.failures ?? 0) + 1;
    // Tried again at the next dispatch (from where it stood), up to LISTING_ATTEMPTS in all.
    if (source.failures < LISTING_ATTEMPTS) return;
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
  delete source.failures;
  source.written += result.written;
  progress.summary = { ...progress.summary, registries: progress.summary.registries + result.written };
  source.listed = result.done;
  if (result.done || result.next === undefined) delete source.next;
  else source.next = result.next;
  noteBudget(sweep, result.budget, false);
  if (result.restMs !== undefined) rest(sweep, result.budget.subscriptionId, result.restMs);
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
  if (result.restMs !== undefined) {
    // The registries the batch did not finish are scanned again once the subscription has rested.
    const left = result.unscanned ?? [{ from: batch.from + result.scanned, to: batch.to }];
    const source = progress.sources[batch.sourceIndex];
    const within = left.filter((r) => r.from >= batch.from && r.to <= batch.to && r.from < r.to);
    if (source !== undefined && within.length > 0) (source.returned ??= []).push(...within);
  }
  for (const failure of result.failures) {
    progress.summary = tallyScanFailure(progress.summary, failure.registryId);
    progress.unauditedFailures.push(failure);
  }
  for (const suspect of result.suspects) queueSuspect(sweep, suspect);
  progress.unhandedDrift.push(...result.drift);
  noteBudget(sweep, result.budget, result.restMs === undefined);
  if (result.restMs !== undefined) rest(sweep, batch.subscriptionId, result.restMs);
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

/**
 * A subscription rests for ARM's budget: nothing of it is dispatched until then, its window is narrowed,
 * and the other subscriptions go on.
 */
function rest(sweep: SweepRun, subscriptionId: string, restMs: number): void {
  const { progress, request } = sweep;
  const lane = laneOf(subscriptionId);
  progress.resting[lane] = restUntil(sweep.now(), restMs, progress.resting[lane]);
  progress.rests += 1;
  progress.windows[lane] = adaptWindow(progress.windows[lane] ?? request.parallelism, request.parallelism, 1);
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
    approvalPolicy: request.approvalPolicy,
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

/**
 * Writes full audit entries of results and failed scans, and hands drift over to the desired replica
 * sets, a batch at a time, or (at the end) whatever is left; with `keep`, only as far as the history has
 * room beyond `keep` tasks (the rest waits for the next generation).
 */
export function flushAudits(sweep: SweepRun, generation: Generation, all: boolean, keep?: number): void {
  const { progress, context } = sweep;
  const room = (): boolean => keep === undefined || tasksFit(generation.events, 1, keep);
  const flush = <T>(items: T[], step: string, outcome: 'failed' | 'succeeded', field: string): T[] => {
    let rest = items;
    while ((rest.length >= ENTRIES_PER_AUDIT || (all && rest.length > 0)) && room()) {
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
  while (
    (progress.unhandedDrift.length >= ENTRIES_PER_AUDIT || (all && progress.unhandedDrift.length > 0)) &&
    room()
  ) {
    const findings = progress.unhandedDrift.splice(0, ENTRIES_PER_AUDIT);
    schedule(generation, {
      kind: 'audit',
      task: driftHandOver(context, { ...sweep.subject, dryRun: sweep.request.dryRun }, findings),
    });
  }
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
