// How orchestrations wait on ARM: checks that come soon after ARM accepts a write and then back off in
// proportion to the time already waited, a deadline after which an operation counts as stuck, and how
// many checks one generation makes before continuing as new.

/** How the orchestrator polls; carried in the input so replays never read settings. */
export interface PollingPolicy {
  /** First wait after ARM accepted a write, and the shortest wait between checks, in seconds. */
  initialSeconds: number;
  /** The longest wait between checks, in seconds. */
  maxSeconds: number;
  /** After this long without a final state the operation ends as `stuck`. */
  deadlineMinutes: number;
  /** A delete is done after this many 404s in a row. */
  goneConfirmations: number;
  /** Polls per orchestration generation before continue-as-new keeps history bounded. */
  pollsPerGeneration: number;
}

/**
 * One 404 confirms a delete: ARM's resource provider contract has a resource disappear when, and only
 * when, its delete has completed (until then GET shows it Deleting), and GET by id reads what was
 * written. Several 404s in a row (Terraform waits for five, five seconds apart) guard against something
 * else, ARM refusing to create the name again for a while after a delete, which the create handles by
 * waiting as long as ARM's refusal says.
 */
export const DEFAULT_POLLING: PollingPolicy = {
  initialSeconds: 1,
  maxSeconds: 300,
  deadlineMinutes: 180,
  goneConfirmations: 1,
  pollsPerGeneration: 10,
};

/**
 * A check comes at most this share of the time already waited after the moment it looks for: nothing
 * says how long a replica takes (seconds when empty, days for terabytes), so the time it has taken so
 * far is the only evidence, and waits grow with it.
 */
export const POLL_PROPORTION = 0.1;

/** The wait before the next check of something under way for `elapsedSeconds`: a tenth of that, within bounds. */
export function pollDelaySeconds(
  elapsedSeconds: number,
  policy: Pick<PollingPolicy, 'initialSeconds' | 'maxSeconds'>,
): number {
  const proportional = POLL_PROPORTION * Math.max(0, elapsedSeconds);
  return Math.min(policy.maxSeconds, Math.max(policy.initialSeconds, proportional));
}

/** Whether an operation started at `armStartedAt` has outlived its deadline at `now`. */
export function pastDeadline(armStartedAt: string, now: Date, policy: PollingPolicy): boolean {
  return now.getTime() - Date.parse(armStartedAt) > policy.deadlineMinutes * 60_000;
}
