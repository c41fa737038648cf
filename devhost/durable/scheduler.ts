// Decides what runs when: orchestration episodes for instances with due messages, activity work items,
// and late outbox deliveries. Work this process writes is signalled to it directly, and durable timers
// wake their own instance when due; an episode or activity that fails is tried again after a back-off.
// The task hub is searched only at start (what a previous run left, which is what makes a restart resume
// every instance) and, as a fallback for work nobody announced, by a poll that backs off while it finds
// nothing new, as the Azure Storage provider polls its queues. Concurrency is capped separately for
// episodes and activities, and an instance never runs two episodes at once.

import type { Logger } from '../log';
import type { ActivityContext } from './activityRunner';
import { runActivity } from './activityRunner';
import type { EpisodeContext } from './orchestrationRunner';
import { runEpisode } from './orchestrationRunner';
import type { OrchestrationStore, PendingRow, WorkItem } from './store';
import type { WorkQueue, WorkSignals } from './workQueue';

export interface SchedulerOptions {
  /** The fallback poll's shortest interval. */
  pollIntervalMs: number;
  /** The interval the fallback poll backs off to while it finds nothing new. */
  maxPollIntervalMs: number;
  maxConcurrentOrchestrations: number;
  maxConcurrentActivities: number;
  /** Outbox rows older than this are delivered by the poll (normally their episode delivers them). */
  outboxGraceMs: number;
}

interface QueuedItem {
  instanceId: string;
  rowKey: string;
  /** Absent when found by a table query rather than handed over by its episode: read it first. */
  item?: WorkItem;
}

const itemKey = (instanceId: string, rowKey: string): string => `${instanceId}\u0000${rowKey}`;
const MAX_TIMEOUT_MS = 2_147_483_647;
/** TaskHubQueue.AbandonMessageAsync: an abandoned message is invisible for 2^n seconds, 10 minutes at most. */
const MAX_RETRY_DELAY_MS = 600_000;

export class Scheduler implements WorkSignals {
  private readonly ready = new Set<string>();
  private readonly running = new Set<string>();
  private readonly rerun = new Set<string>();
  private readonly queued = new Map<string, QueuedItem>();
  private readonly runningItems = new Set<string>();
  /** Visible messages an instance's last episode left in its inbox (suspended, or not started yet). */
  private readonly waiting = new Map<string, Set<string>>();
  /** One wake-up per instance, at the earliest time one of its messages becomes visible. */
  private readonly wakes = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  /** Consecutive failures per instance or work item, for the retry back-off. */
  private readonly failures = new Map<string, number>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private episodeCount = 0;
  private activityCount = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private pollDelayMs: number;
  private polling = false;
  private stopped = true;

  private parts: { queue: WorkQueue; episode: EpisodeContext; activity: ActivityContext } | undefined;

  constructor(
    private readonly store: OrchestrationStore,
    private readonly options: SchedulerOptions,
    private readonly log: Logger,
  ) {
    this.pollDelayMs = options.pollIntervalMs;
  }

  /** The scheduler and the work queue signal each other; they are connected once both exist. */
  bind(parts: { queue: WorkQueue; episode: EpisodeContext; activity: ActivityContext }): void {
    this.parts = parts;
  }

  private get wired(): { queue: WorkQueue; episode: EpisodeContext; activity: ActivityContext } {
    if (!this.parts) {
      throw new Error('Scheduler used before bind()');
    }
    return this.parts;
  }

  /** Takes up what an earlier run left: outbox rows, timers, messages and work items, then polls. */
  async start(): Promise<void> {
    this.stopped = false;
    const now = new Date();
    await this.deliverOutboxes(await this.store.pendingRows(now), 0);
    for (const { instanceId, visibleAt } of await this.store.futureMessages(now)) {
      this.wakeAt(instanceId, visibleAt);
    }
    await this.poll();
  }

  /** Stops taking work and waits (up to `graceMs`) for what is running; the store keeps the rest. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    for (const { timer } of this.wakes.values()) {
      clearTimeout(timer);
    }
    this.wakes.clear();
    for (const timer of this.retryTimers) {
      clearTimeout(timer);
    }
    this.retryTimers.clear();
    const all = Promise.allSettled([...this.inFlight]);
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
  }

  instanceReady(instanceId: string): void {
    if (this.running.has(instanceId)) {
      this.rerun.add(instanceId);
    } else {
      this.ready.add(instanceId);
    }
    this.pump();
  }

  workItemsReady(items: WorkItem[]): void {
    for (const item of items) {
      this.enqueueItem({ instanceId: item.instanceId, rowKey: item.rowKey, item });
    }
    this.pump();
  }

  /** Runs an episode of the instance when `at` comes (a durable timer), unless one is due earlier. */
  wakeAt(instanceId: string, at: Date): void {
    if (this.stopped) {
      return;
    }
    const due = at.getTime();
    const current = this.wakes.get(instanceId);
    if (current !== undefined && current.at <= due) {
      return;
    }
    clearTimeout(current?.timer);
    // A few milliseconds late, so that the message is visible by the time the episode reads it.
    const delay = Math.min(Math.max(0, due - Date.now() + 5), MAX_TIMEOUT_MS);
    const timer = setTimeout(() => {
      this.wakes.delete(instanceId);
      // Timers further out than setTimeout reaches wake early; the episode sets the next wake-up.
      this.instanceReady(instanceId);
    }, delay);
    timer.unref();
    this.wakes.set(instanceId, { at: due, timer });
  }

  private enqueueItem(queued: QueuedItem): void {
    const key = itemKey(queued.instanceId, queued.rowKey);
    if (!this.runningItems.has(key) && !this.queued.has(key)) {
      this.queued.set(key, queued);
    }
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private pump(): void {
    if (this.stopped) {
      return;
    }
    for (const id of [...this.ready]) {
      if (this.episodeCount >= this.options.maxConcurrentOrchestrations) {
        break;
      }
      this.ready.delete(id);
      if (this.running.has(id)) {
        this.rerun.add(id);
        continue;
      }
      this.track(this.runEpisode(id));
    }
    for (const [key, queued] of [...this.queued]) {
      if (this.activityCount >= this.options.maxConcurrentActivities) {
        break;
      }
      this.queued.delete(key);
      this.track(this.runItem(key, queued));
    }
  }

  /**
   * Tries again later, as the Azure Storage provider abandons the messages of a work item that failed:
   * they become visible again after 2^n seconds for the n-th attempt, 10 minutes at most.
   */
  private retryLater(key: string, again: () => void): void {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const delay = Math.min(1000 * 2 ** Math.min(failures, 30), MAX_RETRY_DELAY_MS);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (!this.stopped) {
        again();
      }
    }, delay);
    timer.unref();
    this.retryTimers.add(timer);
  }

  private async runEpisode(instanceId: string): Promise<void> {
    this.running.add(instanceId);
    this.episodeCount++;
    let again = false;
    try {
      const outcome = await runEpisode(this.wired.episode, instanceId);
      this.failures.delete(instanceId);
      // Messages a committed episode left (an event raised before the resume it took) may be takeable now.
      again =
        outcome.result === 'more' ||
        outcome.result === 'conflict' ||
        (outcome.result === 'committed' && outcome.waiting.length > 0);
      if (outcome.result === 'idle' && outcome.waiting.length > 0) {
        this.waiting.set(instanceId, new Set(outcome.waiting));
      } else {
        this.waiting.delete(instanceId);
      }
      if (outcome.nextVisibleAt !== undefined) {
        this.wakeAt(instanceId, outcome.nextVisibleAt);
      }
    } catch (error) {
      this.log.error(`Orchestration episode for ${instanceId} failed: ${String(error)}; it will be retried`);
      this.retryLater(instanceId, () => this.instanceReady(instanceId));
    } finally {
      this.running.delete(instanceId);
      this.episodeCount--;
      if (again || this.rerun.delete(instanceId)) {
        this.ready.add(instanceId);
      }
      this.pump();
    }
  }

  private async runItem(key: string, queued: QueuedItem): Promise<void> {
    this.runningItems.add(key);
    this.activityCount++;
    try {
      const item = queued.item ?? (await this.store.readWorkItem(queued.instanceId, queued.rowKey));
      if (item) {
        const result = await runActivity(this.wired.activity, item);
        if (result === 'recorded') {
          this.instanceReady(item.instanceId);
        }
      }
      this.failures.delete(key);
    } catch (error) {
      this.log.error(`Activity work item ${key} failed to run: ${String(error)}; it will be retried`);
      // Read again before the retry: the item may be gone by then.
      this.retryLater(key, () => {
        this.enqueueItem({ instanceId: queued.instanceId, rowKey: queued.rowKey });
        this.pump();
      });
    } finally {
      this.runningItems.delete(key);
      this.activityCount--;
      this.pump();
    }
  }

  /** Delivers the outbox rows among `rows` written at least `graceMs` ago; how many there were. */
  private async deliverOutboxes(rows: PendingRow[], graceMs: number): Promise<number> {
    const cutoff = Date.now() - graceMs;
    let late = 0;
    for (const found of rows) {
      if (found.kind !== 'outbox' || (graceMs > 0 && (found.writtenAt?.getTime() ?? cutoff) >= cutoff)) {
        continue;
      }
      late++;
      try {
        const row = await this.store.readOutbox(found.instanceId, found.rowKey);
        if (row) {
          await this.wired.queue.deliverOutbox(row, true);
        }
      } catch (error) {
        this.log.error(`Delivering outbox ${found.rowKey} of ${found.instanceId} failed: ${String(error)}`);
      }
    }
    return late;
  }

  /**
   * Looks for work nobody announced: one query for every visible message, work item and outbox row, by
   * key. While it finds nothing the process does not already know of, the interval doubles up to the
   * longest; anything new brings it back to the shortest.
   */
  private async poll(): Promise<void> {
    if (this.stopped || this.polling) {
      return;
    }
    this.polling = true;
    clearTimeout(this.pollTimer);
    let foundNew = false;
    try {
      const rows = await this.store.pendingRows(new Date());
      foundNew = this.takeMessages(rows);
      for (const row of rows) {
        if (row.kind === 'work') {
          const key = itemKey(row.instanceId, row.rowKey);
          if (!this.queued.has(key) && !this.runningItems.has(key) && !this.failures.has(key)) {
            this.enqueueItem({ instanceId: row.instanceId, rowKey: row.rowKey });
            foundNew = true;
          }
        }
      }
      if ((await this.deliverOutboxes(rows, this.options.outboxGraceMs)) > 0) {
        foundNew = true;
      }
    } catch (error) {
      this.log.warn(`Polling the task hub failed: ${String(error)}`);
    } finally {
      this.polling = false;
      this.pollDelayMs = foundNew
        ? this.options.pollIntervalMs
        : Math.min(this.pollDelayMs * 2, this.options.maxPollIntervalMs);
      if (!this.stopped) {
        this.pollTimer = setTimeout(() => void this.poll(), this.pollDelayMs);
        this.pollTimer.unref();
      }
      this.pump();
    }
  }

  /** Readies the instances with visible messages the process does not know of; true if there were any. */
  private takeMessages(rows: PendingRow[]): boolean {
    // Instances in the order of their oldest message.
    const byInstance = new Map<string, string[]>();
    const messages = rows
      .filter((row) => row.kind === 'msg')
      .sort((a, b) => a.orderKey.localeCompare(b.orderKey));
    for (const row of messages) {
      byInstance.set(row.instanceId, [...(byInstance.get(row.instanceId) ?? []), row.rowKey]);
    }
    for (const id of this.waiting.keys()) {
      if (!byInstance.has(id)) {
        this.waiting.delete(id);
      }
    }
    let foundNew = false;
    for (const [id, keys] of byInstance) {
      const known =
        this.running.has(id) ||
        this.ready.has(id) ||
        this.failures.has(id) ||
        keys.every((key) => this.waiting.get(id)?.has(key) === true);
      if (!known) {
        this.instanceReady(id);
        foundNew = true;
      }
    }
    return foundNew;
  }
}
