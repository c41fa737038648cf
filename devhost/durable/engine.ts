// The durable engine: the store, the work queue and the scheduler wired together.

import type { Logger } from '../log';
import type { HistoryEvent } from './history';
import type { TimerLimits } from './shimReplay';
import { Scheduler } from './scheduler';
import { OrchestrationStore } from './store';
import type { DurableFunctions } from './workerBridge';
import { WorkQueue } from './workQueue';

export interface DurableEngineOptions {
  connectionString: string;
  hubName: string;
  pollIntervalMs: number;
  maxConcurrentOrchestrations: number;
  maxConcurrentActivities: number;
  limits: TimerLimits;
  log: Logger;
  /** Keep the history of past executions (continue-as-new, restarts) for inspection. */
  keepPastExecutions?: boolean;
}

/** Azure Storage provider limits: timers over 6 days are split into 3-day intervals. */
export const AZURE_STORAGE_TIMER_LIMITS: TimerLimits = {
  maximumShortTimerMs: 6 * 24 * 3600 * 1000,
  longRunningTimerIntervalMs: 3 * 24 * 3600 * 1000,
};

export class DurableEngine {
  private constructor(
    readonly store: OrchestrationStore,
    readonly queue: WorkQueue,
    readonly functions: DurableFunctions,
    readonly hubName: string,
    private readonly scheduler: Scheduler,
  ) {}

  static async create(functions: DurableFunctions, options: DurableEngineOptions): Promise<DurableEngine> {
    const store = await OrchestrationStore.open(options.connectionString, options.hubName);
    const scheduler = new Scheduler(
      store,
      {
        pollIntervalMs: options.pollIntervalMs,
        maxConcurrentOrchestrations: options.maxConcurrentOrchestrations,
        maxConcurrentActivities: options.maxConcurrentActivities,
        outboxGraceMs: Math.max(30_000, options.pollIntervalMs * 10),
      },
      options.log,
    );
    const queue = new WorkQueue(store, scheduler, options.keepPastExecutions ?? false);
    const now = (): Date => new Date();
    scheduler.bind({
      queue,
      episode: { store, queue, functions, limits: options.limits, log: options.log, now },
      activity: { store, functions, log: options.log, now },
    });
    return new DurableEngine(store, queue, functions, options.hubName, scheduler);
  }

  start(): Promise<void> {
    return this.scheduler.start();
  }

  stop(): Promise<void> {
    return this.scheduler.stop();
  }

  /** The current execution's history in the host's format. */
  async history(instanceId: string): Promise<HistoryEvent[] | undefined> {
    const snapshot = await this.store.readInstance(instanceId);
    return snapshot.state ? snapshot.history : undefined;
  }

  /**
   * The history of every execution still stored, oldest first, one list each: past executions only when
   * the engine keeps them, otherwise the current one alone.
   */
  async histories(instanceId: string): Promise<HistoryEvent[][] | undefined> {
    const snapshot = await this.store.readInstance(instanceId);
    if (!snapshot.state) return undefined;
    return this.store.readAllHistories(instanceId);
  }
}
