// ARM's read budget as the app sees it from ARM's answers: a token bucket per principal and subscription
// (learn.microsoft.com, "Understand how Azure Resource Manager throttles requests": 250 reads, refilled by
// 25 a second), of which every answer says what is left. A sweep paces its reads so that the bucket
// always keeps a reserve for users' own operations, and never runs it dry. Pure: azure/armBudget feeds it.

export interface ReadBudgetLimits {
  burst: number;
  refillPerSecond: number;
}

export const ARM_READ_BUDGET: ReadBudgetLimits = { burst: 250, refillPerSecond: 25 };

/**
 * Reads a sweep leaves in the bucket (a fifth of it): a user's create (a few reads, then polls) finds them
 * there at once, and ARM refills its buckets in whole seconds, so pacing on a smooth estimate can run up
 * to one second's refill (25) ahead of ARM without ever emptying the bucket.
 */
export const SWEEP_READ_RESERVE = 50;

/**
 * The longest a sweep's read waits for the bucket, in milliseconds. Pacing at ARM's refill stays under
 * it: one read waits 40 ms, a window of them a few hundred, and since ARM refills in whole seconds while
 * the estimate refills smoothly, up to about a second and a half just before a refill. A read that would
 * wait longer, because ARM asked for a longer Retry-After or other work starves the bucket, stops its
 * batch instead, and the sweep rests that subscription while the others go on.
 */
export const SWEEP_READ_WAIT_MS = 2000;

export interface ReadBudgetView {
  /** What the latest answer said was left (`x-ms-ratelimit-remaining-subscription-reads`); unknown before. */
  remaining?: number;
  /** When that answer arrived (ms). */
  observedAt: number;
  /** Paced reads sent and not answered yet: they will each take a token. */
  inFlight: number;
  /** No paced read before this time (ms): a 429's Retry-After. */
  notBefore: number;
}

/** What the bucket holds now by the latest answer, the refill since, and the reads still under way. */
export function estimatedReads(view: ReadBudgetView, now: number, limits = ARM_READ_BUDGET): number {
  if (view.remaining === undefined) return limits.burst - view.inFlight;
  const refilled = (limits.refillPerSecond * Math.max(0, now - view.observedAt)) / 1000;
  return Math.min(limits.burst, view.remaining + refilled) - view.inFlight;
}

/** How long a paced read waits (ms) so that, once sent, the bucket still holds `reserve`; 0 to go now. */
export function readWaitMs(
  view: ReadBudgetView,
  now: number,
  reserve: number,
  limits = ARM_READ_BUDGET,
): number {
  if (now < view.notBefore) return view.notBefore - now;
  const short = reserve + 1 - estimatedReads(view, now, limits);
  return short <= 0 ? 0 : Math.ceil((short * 1000) / limits.refillPerSecond);
}

/** What one piece of work (a sweep's activity) met of a subscription's budget, told to its orchestration. */
export interface BudgetReport {
  subscriptionId: string;
  /** What the latest answer said was left, when one said. */
  remainingReads?: number;
  /** 429s ARM answered to this work's requests. */
  throttled: number;
  /** Milliseconds this work's paced reads waited for the bucket to refill. */
  pausedMs: number;
}
