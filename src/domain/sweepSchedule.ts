// How a sweep schedules its work: which listings cover the scope, how the listed registries are cut into
// scan batches for a sliding window, how that window follows ARM's throttling, how much history one
// orchestration execution may hold, and how long the rest should take. Pure: the sweep orchestration
// follows it.
import type { HealPolicy } from './healing';
import { formatRegistryId, parseRegistryId, registryKey } from './resourceId';
import type { RegistryScope } from './registryScope';

/** One listing of registries a sweep walks: a subscription, a resource group, or named registries. */
export type SweepSource =
  | { kind: 'subscription'; subscriptionId: string }
  | { kind: 'resourceGroup'; subscriptionId: string; resourceGroup: string }
  | { kind: 'registries'; subscriptionId: string; registryIds: string[] };

/** A registry a sweep covers, with the policy and threshold its tags (or the settings) give it. */
export interface ListedRegistry {
  registryId: string;
  policy: HealPolicy;
  thresholdMinutes: number;
}

/** Named registries are read in groups of this many (one listing each). */
export const REGISTRIES_PER_SOURCE = 100;
/** Listed registries are kept in pages of this many; a scan batch never spans two pages. */
export const LISTING_PAGE_SIZE = 100;
/** Registries one slot of a scan activity takes at most (that slot scans them one after another). */
export const MAX_SCAN_BATCH = 25;
/**
 * Registries one slot of a scan activity takes at least while that many wait: smaller batches near the
 * end of a listing end together sooner, but each costs the sweep's history a task.
 */
export const MIN_SCAN_BATCH = 7;
/**
 * Slots of the window one scan activity holds at most: that many of its registries are in flight at
 * once. Each task costs the sweep's history the same whatever it holds, so fewer, wider tasks let a
 * generation keep the window full for longer before it continues as new.
 */
export const MAX_SLOTS_PER_SCAN = 4;
/** How far (in registries) the listing may run ahead of the scans. */
export const LISTING_LEAD = 1000;
/**
 * Suspects that may wait for a free heal; more are left for the next sweep (the watch store still knows
 * them), so that what a sweep carries stays bounded however many suspects a fleet has.
 */
export const MAX_QUEUED_SUSPECTS = 100;
/** The longest wait, in seconds, between two looks at the heals a sweep follows. */
export const HEAL_POLL_MAX_SECONDS = 60;
/**
 * History events one execution of a sweep holds at most, as for a replica operation: every episode
 * replays the whole history, so a generation ends (lets its tasks end, then continues as new) before its
 * history would pass this, whatever the fleet's size.
 */
export const SWEEP_EVENTS_PER_EXECUTION = 100;
/** Events every execution holds: its start, the first episode's start and end, and its own end. */
export const EVENTS_OF_AN_EXECUTION = 4;
/**
 * Events a task or timer adds at most: its scheduling, its completion, and the start and end of the
 * episode that takes the completion in (several completions may share one; the count assumes none do).
 * A Durable retry adds more; the sweep's tasks inside its window have none.
 */
export const EVENTS_PER_TASK = 4;

/** Whether `tasks` more fit in an execution that holds `events` already, keeping `reserve` tasks' room. */
export function tasksFit(events: number, tasks: number, reserve = 0): boolean {
  return events + (tasks + reserve) * EVENTS_PER_TASK <= SWEEP_EVENTS_PER_EXECUTION;
}

/**
 * The listings that cover a scope, each registry once: resource groups inside a listed subscription and
 * registries inside a listed subscription or resource group are covered already.
 */
export function sweepSources(scope: RegistryScope): SweepSource[] {
  const subscriptions = unique(scope.subscriptions.map((s) => s.toLowerCase()));
  const inSubscription = (subscriptionId: string): boolean =>
    subscriptions.includes(subscriptionId.toLowerCase());
  const groups = new Map<string, { subscriptionId: string; resourceGroup: string }>();
  for (const group of scope.resourceGroups) {
    if (inSubscription(group.subscriptionId)) continue;
    groups.set(`${group.subscriptionId}/${group.resourceGroup}`.toLowerCase(), group);
  }
  const singles = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const registry of scope.registries) {
    const key = registryKey(registry);
    const group = `${registry.subscriptionId}/${registry.resourceGroup}`.toLowerCase();
    if (seen.has(key) || inSubscription(registry.subscriptionId) || groups.has(group)) continue;
    seen.add(key);
    const ids = singles.get(registry.subscriptionId.toLowerCase()) ?? [];
    ids.push(formatRegistryId(registry));
    singles.set(registry.subscriptionId.toLowerCase(), ids);
  }
  return [
    ...subscriptions.map((subscriptionId): SweepSource => ({ kind: 'subscription', subscriptionId })),
    ...[...groups.values()].map(({ subscriptionId, resourceGroup }): SweepSource => ({
      kind: 'resourceGroup',
      subscriptionId,
      resourceGroup,
    })),
    ...[...singles.entries()].flatMap(([subscriptionId, ids]) =>
      chunks(ids, REGISTRIES_PER_SOURCE).map((registryIds): SweepSource => ({
        kind: 'registries',
        subscriptionId,
        registryIds,
      })),
    ),
  ];
}

/** The source of one registry's sweep. */
export function singleRegistrySource(registryId: string): SweepSource {
  const registry = parseRegistryId(registryId);
  return {
    kind: 'registries',
    subscriptionId: registry.subscriptionId,
    registryIds: [formatRegistryId(registry)],
  };
}

/**
 * Whether a window of `window` slots, `held` of them by scans under way, is refilled now: once half of it
 * is free, or none of it runs. New tasks beside running ones cost the history a timer each round, so the
 * window is not refilled slot by slot.
 */
export function refillDue(window: number, held: number): boolean {
  return held <= 0 || window - held >= Math.ceil(window / 2);
}

/**
 * Slots each scan task of a window holds: up to MAX_SLOTS_PER_SCAN, and never more than half the window,
 * so that a window always has two tasks or more and one of them runs while the sweep refills the other's
 * slots.
 */
export function slotsPerScan(window: number): number {
  return Math.max(1, Math.min(MAX_SLOTS_PER_SCAN, Math.ceil(window / 2)));
}

/**
 * The next registries to scan, as positions [from, to) in a source's listing, for a task holding `slots`
 * slots of the window: the listed registries not yet dispatched, shared out over the whole window
 * (`window` slots, the free ones included) so that every slot gets work and the last batches are small
 * enough to end together rather than leave most of the window idle behind one long batch; per slot at
 * most MAX_SCAN_BATCH and at least MIN_SCAN_BATCH (fewer only when fewer are waiting), never across a
 * listing page. A batch holds no more slots than it has registries.
 */
export function nextScanBatch(
  dispatched: number,
  listed: number,
  freeSlots: number,
  window: number = freeSlots,
  slots = 1,
): ScanRange | undefined {
  const waiting = listed - dispatched;
  if (waiting <= 0 || freeSlots <= 0) return undefined;
  const shared = Math.ceil(waiting / Math.max(freeSlots, window));
  const perSlot = Math.min(
    MAX_SCAN_BATCH,
    Math.max(shared, Math.min(MIN_SCAN_BATCH, Math.ceil(waiting / freeSlots))),
  );
  const held = Math.max(1, Math.min(slots, freeSlots));
  const pageEnd = (Math.floor(dispatched / LISTING_PAGE_SIZE) + 1) * LISTING_PAGE_SIZE;
  const to = Math.min(listed, dispatched + perSlot * held, pageEnd);
  return { from: dispatched, to, slots: Math.min(held, to - dispatched) };
}

/**
 * The batches that fill `freeSlots` of a window of `window` slots from one listing, each holding up to
 * slotsPerScan(window) slots: positions put back by batches that stopped short first (each range as it
 * was), then the next positions listed (see nextScanBatch).
 */
export function fillWindow(
  dispatched: number,
  listed: number,
  returned: readonly PositionRange[],
  freeSlots: number,
  window: number = freeSlots,
): ScanRange[] {
  const perTask = slotsPerScan(window);
  const batches: ScanRange[] = [];
  let free = Math.max(0, freeSlots);
  let shared = window;
  for (const range of returned) {
    if (free <= 0) break;
    const slots = Math.max(1, Math.min(perTask, free, range.to - range.from));
    batches.push({ from: range.from, to: range.to, slots });
    free -= slots;
    shared -= slots;
  }
  let next = dispatched;
  while (free > 0) {
    const batch = nextScanBatch(next, listed, free, shared, Math.min(perTask, free));
    if (batch === undefined) break;
    batches.push(batch);
    next = batch.to;
    free -= batch.slots;
    shared -= batch.slots;
  }
  return batches;
}

/**
 * The scan window after a batch: halved when ARM throttled it (or the budget made it rest), otherwise one
 * wider, up to the parallelism.
 */
export function adaptWindow(current: number, parallelism: number, throttled: number): number {
  return throttled > 0 ? Math.max(1, Math.floor(current / 2)) : Math.min(parallelism, current + 1);
}

export interface SweepPace {
  registries: number;
  registriesScanned: number;
  listingDone: boolean;
  /** Seconds since the sweep started. */
  elapsedSeconds: number;
  healsRunning: number;
  healsQueued: number;
  healBound: number;
  /** How long the heals that ended took on average, when any did. */
  averageHealSeconds?: number;
}

/**
 * Seconds the sweep should still take: the registries left at the rate scanned so far, then the heals
 * still to run at the rate heals have taken. Undefined until there is a rate to go by; while the listing
 * goes on, the registries not listed yet are not counted (the status says so with `listingDone`).
 */
export function secondsLeft(pace: SweepPace): number | undefined {
  if (pace.registriesScanned === 0 || pace.elapsedSeconds <= 0) {
    return pace.listingDone && pace.registries === 0 && pace.healsRunning + pace.healsQueued === 0
      ? 0
      : undefined;
  }
  const rate = pace.registriesScanned / pace.elapsedSeconds;
  const scanning = Math.max(0, pace.registries - pace.registriesScanned) / rate;
  const heals = pace.healsRunning + pace.healsQueued;
  const healing =
    heals === 0 || pace.averageHealSeconds === undefined
      ? 0
      : Math.ceil(heals / Math.max(1, pace.healBound)) * pace.averageHealSeconds;
  return Math.round(scanning + healing);
}

/** Positions [from, to) of a listing put back for another scan (a batch stopped short). */
export interface PositionRange {
  from: number;
  to: number;
}

/** Positions [from, to) of a listing for one scan task, and the slots of the window it holds. */
export interface ScanRange extends PositionRange {
  slots: number;
}

/**
 * The positions [from, from + done.length) where `done` is false, as few ranges as cover them, in order
 * (what a scan that stopped short puts back).
 */
export function positionsLeft(from: number, done: readonly boolean[]): PositionRange[] {
  const ranges: PositionRange[] = [];
  done.forEach((scanned, offset) => {
    if (scanned) return;
    const last = ranges.at(-1);
    if (last !== undefined && last.to === from + offset) last.to += 1;
    else ranges.push({ from: from + offset, to: from + offset + 1 });
  });
  return ranges;
}

/**
 * When a subscription that must rest `restMs` from `now` may be read again: the later of that and any
 * rest it is already in (ISO times, from the orchestration's clock).
 */
export function restUntil(now: Date, restMs: number, resting: string | undefined): string {
  const until = now.getTime() + Math.max(0, Math.ceil(restMs));
  return new Date(Math.max(until, resting === undefined ? 0 : Date.parse(resting))).toISOString();
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
