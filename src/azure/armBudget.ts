// What ARM says about this process's request budget, per subscription: every ARM client's pipeline
// reports the remaining-reads header of each answer and every 429, and sweeps pace their reads on it so
// that the bucket always keeps a reserve for users' operations. One budget per process, shared by every
// invocation in it, since ARM's bucket is per principal and subscription, not per caller.
import { AsyncLocalStorage } from 'node:async_hooks';

import type { PipelinePolicy } from '@azure/core-rest-pipeline';

import { readWaitMs } from '../domain';
import type { BudgetReport, ReadBudgetView } from '../domain';

interface Tally {
  throttled: number;
  pausedMs: number;
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
        if (tally !== undefined) tally.throttled += 1;
      }
      return response;
    },
  };

  /** Runs one read once the bucket can spare it above `reserve`, waiting for the refill when it cannot. */
  async paced<T>(subscriptionId: string, reserve: number, read: () => Promise<T>): Promise<T> {
    const budget = this.of(subscriptionId);
    for (;;) {
      const wait = readWaitMs(budget, this.now(), reserve);
      if (wait <= 0) break;
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

  /** Runs `work` and reports what its requests met of `subscriptionId`'s budget. */
  async measure<T>(
    subscriptionId: string,
    work: () => Promise<T>,
  ): Promise<{ value: T; budget: BudgetReport }> {
    const tally: Tally = { throttled: 0, pausedMs: 0 };
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
    const seconds = Number(retryAfter);
    if (retryAfter === undefined || !Number.isFinite(seconds) || seconds <= 0) return;
    budget.notBefore = Math.max(budget.notBefore, this.now() + seconds * 1000);
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

let shared: ArmBudget | undefined;

/** This process's view of ARM's budget, shared by every ARM client and invocation. */
export function armBudget(): ArmBudget {
  shared ??= new ArmBudget();
  return shared;
}
