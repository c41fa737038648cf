// How orchestrations wait on ARM: polls with capped exponential backoff, a deadline after which an
// operation counts as stuck, and how many polls one generation makes before continuing as new.

/** How the orchestrator polls; carried in the input so replays never read settings. */
export interface PollingPolicy {
  /** First wait between polls, in seconds. */
  initialSeconds: number;
  /** Cap of the exponential backoff, in seconds. */
  maxSeconds: number;
  /** After this long without a final state the operation ends as `stuck`. */
  deadlineMinutes: number;
  /** A delete is done after this many 404s in a row. */
  goneConfirmations: number;
  /** Polls per orchestration generation before continue-as-new keeps history bounded. */
  pollsPerGeneration: number;
}

export const DEFAULT_POLLING: PollingPolicy = {
  initialSeconds: 5,
  maxSeconds: 300,
  deadlineMinutes: 180,
  goneConfirmations: 5,
  pollsPerGeneration: 25,
};

/** Capped exponential backoff: initial, 2×, 4×, ... never above the cap. */
export function pollDelaySeconds(poll: number, policy: PollingPolicy): number {
  const exponent = Math.min(Math.max(poll, 0), 30);
  return Math.min(policy.maxSeconds, policy.initialSeconds * 2 ** exponent);
}

/** Whether an operation started at `armStartedAt` has outlived its deadline at `now`. */
export function pastDeadline(armStartedAt: string, now: Date, policy: PollingPolicy): boolean {
  return now.getTime() - Date.parse(armStartedAt) > policy.deadlineMinutes * 60_000;
}
