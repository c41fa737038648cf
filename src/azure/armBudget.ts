// What ARM says about this process's request budget, per subscription: every ARM client's pipeline
// reports the remaining-reads header of each answer and every 429, and sweeps pace their reads on it so
// that the bucket always keeps a reserve for users' operations; work that may not wait long stops instead
// (BudgetRestNeeded). One budget per process, shared by every invocation in it, since ARM's bucket is per
// principal and subscription, not per caller.
import { AsyncLocalStorage } from 'node:async_hooks';

import type { PipelinePolicy } from '@azure/core-rest-pipeline';

import { readWaitMs } from '../domain';
import type { BudgetReport, ReadBudgetView } from '../domain';

interface Tally {
  throttled: number;
  pausedMs: number;
  /** A 429 asking for a longer wait than this (ms) stops the work instead of being waited out. */
  maxWaitMs: number;
}

/**
 * Thrown to work that may not wait long when ARM's budget would make it: a paced read would wait longer
 * than allowed, or ARM answered 429 with a longer Retry-After. The work stops, and its subscription rests
 * for `restMs`.
 */
export class BudgetRestNeeded extends Error {
  constructor(
    readonly subscriptionId: string,
    readonly restMs: number,
  ) {
    super(`ARM's read budget for subscription ${subscriptionId} needs a rest of ${String(restMs)} ms`);
    this.name = 'BudgetRestNeeded';
  }
}

const REMAINING_READS = 'x-ms-ratelimit-remaining-subscription-reads';
const SUBSCRIPTION = /\/subscriptions\/([^/?#]+)/i;

export class ArmBudget {
  private readonly budgets = new Map<string, ReadBudgetView>();
  /** The tally of the work a request is sent for (its async context), if that work is measured. */
  private readonly work = new AsyncLocalStorage<Tally>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The pipeline policy that keeps this budget up to date; it runs for every attempt, retries included. */
  readonly policy: PipelinePolicy = {
    name: 'armBudget',
    sendRequest: async (request, next) => {
      const response = await next(request);
      const subscriptionId = SUBSCRIPTION.exec(new URL(request.url).pathname)?.[1];
      if (subscriptionId !== undefined) {
        const remaining = response.headers.get(REMAINING_READS);
        if (remaining !== undefined && /^\d+$/.test(remaining)) {
          this.observe(subscriptionId, Number(remaining));
        }
        if (response.status === 429) this.throttle(subscriptionId, response.headers.get('retry-after'));
      }
      if (response.status === 429) {
        const tally = this.work.getStore();
        if (tally !== undefined) {
          tally.throttled += 1;
          // The client's own retry would wait the Retry-After out inside the work: too long for it.
          const retryAfterMs = retryAfterMsOf(response.headers.get('retry-after'));
          if (retryAfterMs !== undefined && retryAfterMs > tally.maxWaitMs) {
            throw new BudgetRestNeeded(subscriptionId ?? 'tenant', retryAfterMs);
          }
        }
      }
      return response;
    },
  };

  /**
   * Runs one read once the bucket can spare it above `reserve`, waiting for the refill when it cannot; a
   * read that would wait more than `maxWaitMs` in all is not sent (BudgetRestNeeded).
   */
  async paced<T>(
    subscriptionId: string,
    reserve: number,
    read: () => Promise<T>,
    maxWaitMs = Number.POSITIVE_INFINITY,
  ): Promise<T> {
    const budget = this.of(subscriptionId);
    let waited = 0;
    for (;;) {
      const wait = readWaitMs(budget, this.now(), reserve);
      if (wait <= 0) break;
      if (waited + wait > maxWaitMs) throw new BudgetRestNeeded(subscriptionId, wait);
      waited += wait;
      const tally = this.work.getStore();
      if (tally !== undefined) tally.pausedMs += wait;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    budget.inFlight += 1;
    try {
      return await read();
    } finally {
      budget.inFlight -= 1;
    }
  }

  /**
   * Runs `work` and reports what its requests met of `subscriptionId`'s budget. A 429 whose Retry-After
   * is longer than `maxWaitMs` fails the request with BudgetRestNeeded instead of being waited out.
   */
  async measure<T>(
    subscriptionId: string,
    work: () => Promise<T>,
    maxWaitMs = Number.POSITIVE_INFINITY,
  ): Promise<{ value: T; budget: BudgetReport }> {
    const tally: Tally = { throttled: 0, pausedMs: 0, maxWaitMs };
    const value = await this.work.run(tally, work);
    const remaining = this.budgets.get(subscriptionId.toLowerCase())?.remaining;
    return {
      value,
      budget: {
        subscriptionId,
        ...(remaining === undefined ? {} : { remainingReads: remaining }),
        throttled: tally.throttled,
        pausedMs: Math.round(tally.pausedMs),
      },
    };
  }

  private observe(subscriptionId: string, remaining: number): void {
    const budget = this.of(subscriptionId);
    budget.remaining = remaining;
    budget.observedAt = this.now();
  }

  private throttle(subscriptionId: string, retryAfter: string | undefined): void {
    const budget = this.of(subscriptionId);
    // Without a Retry-After the client's own retry policy backs off; paced reads need not wait more.
    const ms = retryAfterMsOf(retryAfter);
    if (ms === undefined || ms <= 0) return;
    budget.notBefore = Math.max(budget.notBefore, this.now() + ms);
  }

  private of(subscriptionId: string): ReadBudgetView {
    const key = subscriptionId.toLowerCase();
    let budget = this.budgets.get(key);
    if (budget === undefined) {
      budget = { observedAt: this.now(), inFlight: 0, notBefore: 0 };
      this.budgets.set(key, budget);
    }
    return budget;
  }
}

/** ARM's Retry-After is in whole seconds. */
function retryAfterMsOf(retryAfter: string | undefined): number | undefined {
  if (retryAfter === undefined) return undefined;
  const seconds = Number(retryAfter);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

let shared: ArmBudget | undefined;

/** This process's view of ARM's budget, shared by every ARM client and invocation. */
export function armBudget(): ArmBudget {
  shared ??= new ArmBudget();
  return shared;
}
