// Which replicas a sweep keeps watching, and since when: a replica is watched while it is in a
// non-terminal state; its first-seen time survives sweeps while that state stays, and restarts when the
// state changes. Pure: the rows live in azure/watchStore.
import { isSuspect, isTerminal } from './healing';

/** What a list of replicas says about one replica. */
export interface ObservedReplica {
  /** Lower-case replica name (unique within its registry). */
  name: string;
  replicaId: string;
  provisioningState: string;
  displayStatus?: string;
}

/** One watched replica as stored. */
export interface WatchRow {
  name: string;
  replicaId: string;
  state: string;
  firstSeenAt: string;
}

export interface WatchPlan {
  /** Rows to write (new, or their state changed). */
  upserts: WatchRow[];
  /** Names of rows to remove (terminal or gone). */
  removals: string[];
  /** First-seen time per watched replica name, after the plan is applied. */
  firstSeenAt: Record<string, string>;
}

/**
 * The state a replica is watched in, or undefined when it is not watched. A replica that reports
 * Succeeded while its status still says "Provisioning" is watched in that combined state.
 */
export function watchedState(
  provisioningState: string,
  displayStatus: string | undefined,
): string | undefined {
  const state = provisioningState.toLowerCase();
  if (!isTerminal(state)) return state;
  if (state === 'succeeded' && displayStatus?.toLowerCase() === 'provisioning')
    return 'succeeded/provisioning';
  return undefined;
}

export function planWatch(
  existing: readonly WatchRow[],
  observed: readonly ObservedReplica[],
  now: string,
): WatchPlan {
  const stored = new Map(existing.map((row) => [row.name, row]));
  const plan: WatchPlan = { upserts: [], removals: [], firstSeenAt: {} };
  const watched = new Set<string>();
  for (const replica of observed) {
    const state = watchedState(replica.provisioningState, replica.displayStatus);
    if (state === undefined) continue;
    watched.add(replica.name);
    const row = stored.get(replica.name);
    if (row !== undefined && row.state === state) {
      plan.firstSeenAt[replica.name] = row.firstSeenAt;
      continue;
    }
    plan.upserts.push({ name: replica.name, replicaId: replica.replicaId, state, firstSeenAt: now });
    plan.firstSeenAt[replica.name] = now;
  }
  plan.removals = existing.map((row) => row.name).filter((name) => !watched.has(name));
  return plan;
}

/** Whole minutes and fractions between two ISO times, never negative. */
export function minutesBetween(from: string, to: string): number {
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / 60_000);
}

/**
 * Whether a replica is a suspect given when it was first seen in its state: Failed at once, a
 * provisioning one once it has been watched for the threshold.
 */
export function isWatchedSuspect(
  provisioningState: string,
  displayStatus: string | undefined,
  firstSeenAt: string | undefined,
  now: string,
  thresholdMinutes: number,
): boolean {
  const minutes = firstSeenAt === undefined ? 0 : minutesBetween(firstSeenAt, now);
  return isSuspect(provisioningState, displayStatus, minutes, thresholdMinutes);
}
