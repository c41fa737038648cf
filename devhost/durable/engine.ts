// The durable engine: the store, the work queue and the scheduler wired together.

import type { Logger } from '../log';
import type { HistoryEvent } from './history';
import { HistoryCache } from './historyCache';
import type { TimerLimits } from './shimReplay';
import { Scheduler } from './scheduler';
import { OrchestrationStore } from './store';
import type { DurableFunctions } from './workerBridge';
import { WorkQueue } from './workQueue';

export interface DurableEngineOptions {
  connectionString: string;
  hubName: string;
  pollIntervalMs: number;
  /** host.json `extensions.durableTask.storageProvider.maxQueuePollingInterval` (default 30 s). */
  maxPollIntervalMs: number;
  maxConcurrentOrchestrations: number;
  maxConcurrentActivities: number;
  limits: TimerLimits;
  log: Logger;
  /** Keep the history of past executions (continue-as-new, restarts) for inspection. */
  keepPastExecutions?: boolean;
}

/**
 * The longest the Azure Storage provider waits between polls of an idle queue, unless host.json sets
 * `storageProvider.maxQueuePollingInterval` (AzureStorageOptions.MaxQueuePollingInterval).
 */
export const DEFAULT_MAX_QUEUE_POLLING_INTERVAL_MS = 30_000;

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
        maxPollIntervalMs: Math.max(options.pollIntervalMs, options.maxPollIntervalMs),
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
      episode: {
        store,
        history: new HistoryCache(store),
        queue,
        functions,
        limits: options.limits,
        log: options.log,
        now,
      },
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
    const state = await this.store.readState(instanceId);
    return state ? this.store.readHistory(instanceId, state.executionId) : undefined;
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
