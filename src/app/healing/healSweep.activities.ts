// Activities of a sweep: which listings cover it, reading a listing from ARM a few pages at a time into
// the sweep's stored listing, and scanning a batch of listed registries (one list of replicas each, the
// watch store, one GET per suspect: List may be stale, GET decides; the desired replica set is checked
// against the same list). Every ARM read is paced on the budget ARM reports, keeping a reserve for users'
// operations; each activity says what budget it met. None waits long for that budget: when a read would,
// the activity stops there and says how long its subscription should rest, so that one throttled
// subscription never holds up the sweep's others.
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

import { BudgetRestNeeded, armBudget } from '../../azure/armBudget';
import type { ArmBudget } from '../../azure/armBudget';
import { armClients } from '../../azure/armClients';
import { mapWithLimit } from '../../azure/fleet';
import { ReplicaGateway } from '../../azure/replicas';
import type { SweepListing } from '../../azure/sweepListing';
import type { WatchStore } from '../../azure/watchStore';
import { sweepListing, watchStore } from '../../azure/watchStoreFactory';
import { telemetry } from '../../telemetry/telemetry';
import { healPolicy, healRegistryTag, registryScope, stuckAfterMinutes } from '../../config/settings';
import type { TagFilter } from '../../config/settings';
import {
  MAX_SLOTS_PER_SCAN,
  SWEEP_READ_RESERVE,
  SWEEP_READ_WAIT_MS,
  healPolicyFor,
  isPremium,
  parseRegistryId,
  parseReplicaId,
  positionsLeft,
  singleRegistrySource,
  stuckAfterMinutesFor,
  sweepSources,
} from '../../domain';
import type { HealPolicy, ListedRegistry, RegistryView, ReplicaView, SweepSource } from '../../domain';
import { isWatchedSuspect, minutesBetween, watchedState } from '../../domain/watch';
import { scopeVerdict } from '../scope/scopeGuard';
import { replicaSetDeclarations, replicaSetDriftCheck } from '../desiredReplicas/replicaSetDrift';
import type { DriftCheck, SweepDeclarationsRead } from '../desiredReplicas/replicaSetDrift';
import type { SweepDeclaration } from '../../azure/desiredReplicaStore';
import type { WatchRow } from '../../domain/watch';
import type { DriftFinding } from '../desiredReplicas/desiredReplicas.contract';
import {
  LIST_SWEEP_SOURCE_ACTIVITY,
  SCAN_REGISTRIES_ACTIVITY,
  SWEEP_SOURCES_ACTIVITY,
} from './healing.contract';
import type {
  FoundSuspect,
  ListSourceRequest,
  ListSourceResult,
  ScanBatch,
  ScanBatchResult,
  ScanRequest,
  ScanResult,
  Suspect,
} from './healing.contract';

/** Which registries of a listing a sweep covers, and what their tags (or the settings) say. */
export interface SweepSelection {
  tag?: TagFilter;
  policy: HealPolicy;
  thresholdMinutes: number;
}

/** What the sweep's activities work with; tests and benchmarks pass their own. */
export interface SweepDependencies {
  gateway: ReplicaGateway;
  listing: SweepListing;
  store: WatchStore;
  budget: ArmBudget;
  checkDrift: DriftCheck;
  /** Declarations of a batch's subscription in one read (see SweepDeclarationsRead). */
  declarationsIn: SweepDeclarationsRead;
  selection: SweepSelection;
}

/** Watched rows one read of a subscription may return at most; beyond that, each registry's are read. */
export const WATCHED_PER_SUBSCRIPTION_READ = 1000;

/** Runs one ARM read when the budget can spare it. */
type Pace = <T>(read: () => Promise<T>) => Promise<T>;

/** Pages of ARM's list one listing call reads at most, so that no call holds the sweep up for long. */
export const PAGES_PER_LISTING_CALL = 5;
/** Named registries are read this many at a time. */
const REGISTRY_READS_IN_FLIGHT = 8;

/**
 * Reads a few pages of a listing into the sweep's listing. When ARM's budget calls for a rest, it stops
 * before the page it could not read and says where the listing stands and how long to rest.
 */
export async function listSweepSourceWith(
  deps: SweepDependencies,
  request: ListSourceRequest,
): Promise<ListSourceResult> {
  const { source } = request;
  const pace = pacer(deps.budget, source.subscriptionId);
  const { value, budget } = await deps.budget.measure(
    source.subscriptionId,
    async (): Promise<Omit<ListSourceResult, 'budget'>> => {
      let next = request.next;
      let written = 0;
      // The first call reads one page, so that the first scans start as early as they can.
      const pages = request.start === 0 && request.next === undefined ? 1 : PAGES_PER_LISTING_CALL;
      for (let page = 0; page < pages; page += 1) {
        let read: { registries: RegistryView[]; next?: string };
        try {
          read = await readPage(deps.gateway, source, next, pace);
        } catch (error) {
          if (!(error instanceof BudgetRestNeeded)) throw error;
          return { written, ...(next === undefined ? {} : { next }), done: false, restMs: error.restMs };
        }
        const inScope = read.registries
          .filter((r) => isPremium(r) && carriesTag(r, deps.selection.tag))
          .map((r) => listed(r, deps.selection));
        await deps.listing.write(request.listingKey, request.sourceIndex, request.start + written, inScope);
        written += inScope.length;
        next = read.next;
        if (next === undefined) break;
      }
      return { written, ...(next === undefined ? {} : { next }), done: next === undefined };
    },
    SWEEP_READ_WAIT_MS,
  );
  return { ...value, budget };
}

/** Paced reads of one subscription that never wait longer than a sweep's activity may. */
function pacer(budget: ArmBudget, subscriptionId: string): Pace {
  return (read) => budget.paced(subscriptionId, SWEEP_READ_RESERVE, read, SWEEP_READ_WAIT_MS);
}

async function readPage(
  gateway: ReplicaGateway,
  source: SweepSource,
  next: string | undefined,
  pace: Pace,
): Promise<{ registries: RegistryView[]; next?: string }> {
  switch (source.kind) {
    case 'registries': {
      const found = await mapWithLimit(source.registryIds, REGISTRY_READS_IN_FLIGHT, (id) =>
        pace(() => gateway.getRegistry(parseRegistryId(id))),
      );
      return { registries: found.filter((r): r is RegistryView => r !== undefined) };
    }
    case 'subscription':
      return pace(() => gateway.listRegistriesPage(source.subscriptionId, undefined, next));
    case 'resourceGroup':
      return pace(() => gateway.listRegistriesPage(source.subscriptionId, source.resourceGroup, next));
  }
}

function listed(registry: RegistryView, selection: SweepSelection): ListedRegistry {
  return {
    registryId: registry.id,
    policy: healPolicyFor(registry.tags, selection.policy),
    thresholdMinutes: stuckAfterMinutesFor(registry.tags, selection.thresholdMinutes),
  };
}

/** Tag names compare case-insensitively in ARM; values as written. */
function carriesTag(registry: RegistryView, tag: TagFilter | undefined): boolean {
  if (tag === undefined) return true;
  const name = Object.keys(registry.tags).find((k) => k.toLowerCase() === tag.name.toLowerCase());
  return name !== undefined && registry.tags[name] === tag.value;
}

/**
 * Scans the registries at the batch's positions, as many at once as the batch holds slots of the sweep's
 * window: each slot scans one registry after another, taking the next position not yet taken. A registry
 * whose scan fails is reported with the reason, not retried: the ARM client has retried already, and the
 * next sweep scans it again. When ARM's budget calls for a rest, no slot takes another registry, and the
 * batch says which positions it did not finish; those registries are scanned again later from the start
 * (observing their replicas a second time keeps the first-seen times the first look recorded).
 */
export async function scanRegistriesWith(
  deps: SweepDependencies,
  batch: ScanBatch,
): Promise<ScanBatchResult> {
  // A batch of several registries reads its subscription's watched rows and declarations in one query
  // each, beside its listing, rather than two queries per registry: both tables hold rows only for the
  // few registries with replicas in flight or with a declaration. A read that fails or would be too large
  // leaves each registry to read its own. (Rows read at the batch's start: only sweeps write them, and a
  // registry's own sweep writing meanwhile moves a first-seen time by at most the batch's duration.) They
  // are not awaited here: the first registries' lists go to ARM as soon as the listing is read.
  const several = batch.to - batch.from > 1;
  const watchedOf = several
    ? deps.store.watchedIn(batch.subscriptionId, WATCHED_PER_SUBSCRIPTION_READ).catch(() => undefined)
    : Promise.resolve(undefined);
  const declarationOf = several ? deps.declarationsIn(batch.subscriptionId) : Promise.resolve(undefined);
  const registries = await deps.listing.read(batch.listingKey, batch.sourceIndex, batch.from, batch.to);
  const pace = pacer(deps.budget, batch.subscriptionId);
  const slots = Math.max(1, Math.min(MAX_SLOTS_PER_SCAN, Math.floor(batch.slots ?? 1)));
  const { value, budget } = await deps.budget.measure(
    batch.subscriptionId,
    async () => {
      const suspects: FoundSuspect[] = [];
      const failures: ScanBatchResult['failures'] = [];
      const drift: DriftFinding[] = [];
      const done = registries.map(() => false);
      let taken = 0;
      let restMs: number | undefined;
      const take = (): number | undefined =>
        restMs === undefined && taken < registries.length ? taken++ : undefined;
      const listOf = (at: number): Promise<ReplicaView[]> => {
        const registry = registries[at];
        if (registry === undefined || restMs !== undefined) return Promise.reject(new BatchStopped());
        return pace(() => deps.gateway.listReplicas(parseRegistryId(registry.registryId)));
      };
      // Each slot's next registry is taken as soon as its current one is, and its list goes to ARM once
      // the current list is answered, while that one's rows are checked: a slot keeps one list in flight,
      // never two, and none goes out after a list that must wait for a rest. (A registry cut short by a
      // rest in its confirming GET is scanned again later, and so is the one its slot had taken next.)
      const slot = async (): Promise<void> => {
        let at = take();
        let listing = at === undefined ? undefined : listOf(at);
        while (at !== undefined && listing !== undefined) {
          const registry = registries[at];
          if (registry === undefined) return;
          const following = take();
          const ahead =
            following === undefined
              ? undefined
              : listing.then(
                  () => listOf(following),
                  (error: unknown) => {
                    if (error instanceof BudgetRestNeeded || error instanceof BatchStopped) throw error;
                    return listOf(following);
                  },
                );
          // Read where it is used, or dropped when the batch stops short.
          ahead?.catch(() => undefined);
          try {
            const id = parseRegistryId(registry.registryId);
            const scan = await scanRegistryWith(
              deps.gateway,
              deps.store,
              {
                registryId: registry.registryId,
                now: batch.now,
                thresholdMinutes: registry.thresholdMinutes,
              },
              pace,
              deps.checkDrift,
              {
                listing,
                watched: watchedOf.then((of) => of?.(id)),
                declaration: declarationOf.then((of) => of?.(id)),
              },
            );
            for (const suspect of scan.suspects) {
              suspects.push({
                ...suspect,
                policy: registry.policy,
                thresholdMinutes: registry.thresholdMinutes,
              });
            }
            if (scan.drift !== undefined) drift.push(scan.drift);
          } catch (error) {
            if (error instanceof BudgetRestNeeded) {
              restMs = Math.max(restMs ?? 0, error.restMs);
              return;
            }
            if (error instanceof BatchStopped) return;
            failures.push({ registryId: registry.registryId, reason: reasonOf(error) });
          }
          done[at] = true;
          if (restMs !== undefined) return;
          at = following;
          listing = ahead;
        }
      };
      await Promise.all(Array.from({ length: Math.min(slots, registries.length) }, slot));
      const scanned = done.filter(Boolean).length;
      if (restMs === undefined) return { scanned, suspects, failures, drift };
      return { scanned, suspects, failures, drift, restMs, unscanned: positionsLeft(batch.from, done) };
    },
    SWEEP_READ_WAIT_MS,
  );
  return { ...value, budget };
}

/** A registry's list not sent because another slot of its batch met a rest. */
class BatchStopped extends Error {
  constructor() {
    super('the batch stopped short for a rest');
  }
}

export async function scanRegistryWith(
  gateway: ReplicaGateway,
  store: WatchStore,
  { registryId, now, thresholdMinutes }: ScanRequest,
  pace: Pace = (read) => read(),
  checkDrift: DriftCheck = replicaSetDriftCheck(),
  /**
   * What the scan's batch reads for every registry (never failing: undefined when it could not); what
   * it does not have is read here.
   */
  known: {
    /** The registry's replicas as ARM is listing them, when the batch sent the list already. */
    listing?: Promise<ReplicaView[]>;
    watched?: Promise<WatchRow[] | undefined>;
    declaration?: Promise<SweepDeclaration | undefined>;
  } = {},
): Promise<ScanResult> {
  const registry = parseRegistryId(registryId);
  // The watch store and the declaration are read while ARM lists the replicas: none waits for another.
  const listing = known.listing ?? pace(() => gateway.listReplicas(registry));
  // The desired replica set is checked against this very list: drift costs no ARM request.
  const drifting = (async () => checkDrift(registry, listing, await known.declaration))();
  const watching = (async () => (await known.watched) ?? store.watched(registry))();
  const [replicas, watched] = await Promise.all([listing, watching]);
  telemetry().replicasObserved(
    registryId,
    replicas.map((r) => r.provisioningState),
  );
  const drift = await drifting;
  const firstSeen = await store.observe(
    registry,
    replicas.map((r) => ({
      name: r.name.toLowerCase(),
      replicaId: r.id,
      provisioningState: r.provisioningState,
      ...(r.displayStatus === undefined ? {} : { displayStatus: r.displayStatus }),
    })),
    now,
    watched,
  );
  const listedSuspects = replicas.filter((r) =>
    isWatchedSuspect(
      r.provisioningState,
      r.displayStatus,
      firstSeen[r.name.toLowerCase()],
      now,
      thresholdMinutes,
    ),
  );
  const confirmed = await Promise.all(
    listedSuspects.map(async (r) =>
      confirm(gateway, r, firstSeen[r.name.toLowerCase()], now, thresholdMinutes, pace),
    ),
  );
  return {
    registryId,
    replicas: replicas.length,
    suspects: confirmed.filter((s): s is Suspect => s !== undefined),
    ...(drift === undefined ? {} : { drift }),
  };
}

/**
 * The GET decides: a replica that is gone, healthy, or in another state than the list showed (its
 * first-seen time then starts again) is not a suspect this time.
 */
async function confirm(
  gateway: ReplicaGateway,
  listedReplica: ReplicaView,
  firstSeenAt: string | undefined,
  now: string,
  thresholdMinutes: number,
  pace: Pace,
): Promise<Suspect | undefined> {
  const current = await pace(() => gateway.getReplica(parseReplicaId(listedReplica.id)));
  if (current === undefined) return undefined;
  const sameState =
    watchedState(current.provisioningState, current.displayStatus) ===
    watchedState(listedReplica.provisioningState, listedReplica.displayStatus);
  const since = sameState ? firstSeenAt : undefined;
  if (!isWatchedSuspect(current.provisioningState, current.displayStatus, since, now, thresholdMinutes)) {
    return undefined;
  }
  return {
    replicaId: current.id,
    location: current.location,
    provisioningState: current.provisioningState,
    ...(current.displayStatus === undefined ? {} : { displayStatus: current.displayStatus }),
    ...(current.statusMessage === undefined ? {} : { statusMessage: current.statusMessage }),
    ...(since === undefined ? {} : { firstSeenAt: since }),
    minutesInState: since === undefined ? 0 : minutesBetween(since, now),
  };
}

/** The first line of what went wrong, short enough for an audit entry of 25 of them. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? text).slice(0, 200);
}

function dependencies(): SweepDependencies {
  const tag = healRegistryTag();
  return {
    gateway: new ReplicaGateway(armClients()),
    listing: sweepListing(),
    store: watchStore(),
    budget: armBudget(),
    checkDrift: replicaSetDriftCheck(),
    declarationsIn: replicaSetDeclarations(),
    selection: {
      ...(tag === undefined ? {} : { tag }),
      policy: healPolicy(),
      thresholdMinutes: stuckAfterMinutes(),
    },
  };
}

/**
 * The listings of a fleet sweep (the app's scope), or of the one registry a registry's sweep was asked
 * for: none when that registry is outside REGISTRY_SCOPE, since a sweep may be started directly with any
 * input.
 */
export const listSweepSources: ActivityHandler = (
  registryId: string | null,
  context: InvocationContext,
): SweepSource[] => {
  if (registryId === null) return sweepSources(registryScope());
  const verdict = scopeVerdict(registryId);
  if (!verdict.inScope) {
    context.warn(`a sweep was asked for a registry it may not touch: ${verdict.reason}`);
    return [];
  }
  return [singleRegistrySource(registryId)];
};

/** A registry's own sweep covers it whatever its tags: the tag narrows only the fleet's sweeps. */
export const listSweepSource: ActivityHandler = async (
  request: ListSourceRequest,
): Promise<ListSourceResult> => {
  const deps = dependencies();
  if (request.byTag) return listSweepSourceWith(deps, request);
  const { tag: _tag, ...selection } = deps.selection;
  return listSweepSourceWith({ ...deps, selection }, request);
};

export const scanRegistries: ActivityHandler = async (batch: ScanBatch): Promise<ScanBatchResult> =>
  scanRegistriesWith(dependencies(), batch);

df.app.activity(SWEEP_SOURCES_ACTIVITY, { handler: listSweepSources });
df.app.activity(LIST_SWEEP_SOURCE_ACTIVITY, { handler: listSweepSource });
df.app.activity(SCAN_REGISTRIES_ACTIVITY, { handler: scanRegistries });
