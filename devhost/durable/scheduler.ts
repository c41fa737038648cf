// Decides what runs when: orchestration episodes for instances with due messages, activity work items,
// and late outbox deliveries. Work written by this process is signalled directly; a polling loop over the
// table finds everything else (work left by a previous run, timers coming due) and is what makes a
// restart resume every instance. Concurrency is capped separately for episodes and activities, and an
// instance never runs two episodes at once.

import type { Logger } from '../log';
import type { ActivityContext } from './activityRunner';
import { runActivity } from './activityRunner';
import type { EpisodeContext } from './orchestrationRunner';
import { runEpisode } from './orchestrationRunner';
import type { OrchestrationStore, WorkItem } from './store';
import type { WorkQueue, WorkSignals } from './workQueue';

export interface SchedulerOptions {
  pollIntervalMs: number;
  maxConcurrentOrchestrations: number;
  maxConcurrentActivities: number;
  /** Outbox rows older than this are delivered by the poll (normally their episode delivers them). */
  outboxGraceMs: number;
}

interface QueuedItem {
  item: WorkItem;
  /** Found by a table query rather than handed over by its episode: check it still exists first. */
  verify: boolean;
}

const itemKey = (item: WorkItem): string => `${item.instanceId}\u0000${item.rowKey}`;
const MAX_TIMEOUT_MS = 2_147_483_647;

export class Scheduler implements WorkSignals {
  private readonly ready = new Set<string>();
  private readonly running = new Set<string>();
  private readonly rerun = new Set<string>();
  private readonly queued = new Map<string, QueuedItem>();
  private readonly runningItems = new Set<string>();
  private readonly wakeTimers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private episodeCount = 0;
  private activityCount = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = true;

  private parts: { queue: WorkQueue; episode: EpisodeContext; activity: ActivityContext } | undefined;

  constructor(
    private readonly store: OrchestrationStore,
    private readonly options: SchedulerOptions,
    private readonly log: Logger,
  ) {}

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

  async start(): Promise<void> {
    this.stopped = false;
    await this.deliverLateOutboxes(0);
    const next = await this.store.nextMessageVisibleAt(new Date());
    if (next) {
      this.wakeAt(next);
    }
    await this.poll();
  }

  /** Stops taking work and waits (up to `graceMs`) for what is running; the store keeps the rest. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    for (const timer of this.wakeTimers) {
      clearTimeout(timer);
    }
    this.wakeTimers.clear();
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
      this.enqueueItem(item, false);
    }
    this.pump();
  }

  wakeAt(at: Date): void {
    if (this.stopped) {
      return;
    }
    const delay = Math.min(Math.max(0, at.getTime() - Date.now() + 5), MAX_TIMEOUT_MS);
    const timer = setTimeout(() => {
      this.wakeTimers.delete(timer);
      void this.poll();
    }, delay);
    timer.unref();
    this.wakeTimers.add(timer);
  }

  private enqueueItem(item: WorkItem, verify: boolean): void {
    const key = itemKey(item);
    if (!this.runningItems.has(key) && !this.queued.has(key)) {
      this.queued.set(key, { item, verify });
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

  private async runEpisode(instanceId: string): Promise<void> {
    this.running.add(instanceId);
    this.episodeCount++;
    let again = false;
    try {
      const result = await runEpisode(this.wired.episode, instanceId);
      again = result === 'more' || result === 'conflict';
    } catch (error) {
      this.log.error(`Orchestration episode for ${instanceId} failed: ${String(error)}; it will be retried`);
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
      const item = queued.verify
        ? await this.store.readWorkItem(queued.item.instanceId, queued.item.rowKey)
        : queued.item;
      if (item) {
        const result = await runActivity(this.wired.activity, item);
        if (result === 'recorded') {
          this.instanceReady(item.instanceId);
        }
      }
    } catch (error) {
      this.log.error(`Activity work item ${key} failed to run: ${String(error)}; it will be retried`);
    } finally {
      this.runningItems.delete(key);
      this.activityCount--;
      this.pump();
    }
  }

  private async deliverLateOutboxes(graceMs: number): Promise<void> {
    const cutoff = Date.now() - graceMs;
    for (const row of await this.store.pendingOutboxes()) {
      if (graceMs === 0 || (row.writtenAt && row.writtenAt.getTime() < cutoff)) {
        try {
          await this.wired.queue.deliverOutbox(row, true);
        } catch (error) {
          this.log.error(`Delivering outbox ${row.rowKey} of ${row.instanceId} failed: ${String(error)}`);
        }
      }
    }
  }

  private pollRound = 0;

  private async poll(): Promise<void> {
    if (this.stopped || this.polling) {
      return;
    }
    this.polling = true;
    clearTimeout(this.pollTimer);
    try {
      for (const id of await this.store.instancesWithDueMessages(new Date())) {
        if (this.running.has(id)) {
          this.rerun.add(id);
        } else {
          this.ready.add(id);
        }
      }
      for (const item of await this.store.pendingWorkItems()) {
        this.enqueueItem(item, true);
      }
      this.pollRound++;
      if (this.pollRound % 20 === 0) {
        await this.deliverLateOutboxes(this.options.outboxGraceMs);
      }
    } catch (error) {
      this.log.warn(`Polling the task hub failed: ${String(error)}`);
    } finally {
      this.polling = false;
      if (!this.stopped) {
        this.pollTimer = setTimeout(() => void this.poll(), this.options.pollIntervalMs);
        this.pollTimer.unref();
      }
      this.pump();
    }
  }
}
