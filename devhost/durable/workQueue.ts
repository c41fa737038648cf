// Putting work where the engine picks it up: new instances, messages to instances, and the delivery of
// outbox rows. Every write here is idempotent, because after a crash an outbox row is delivered again.

import { randomUUID } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import type { HistoryEvent, ParentInstance } from './history';
import { completedTaskId, executionStarted } from './history';
import type { OrchestrationMessage, OutboxItem } from './messages';
import { startMessage } from './messages';
import type { InstanceState, OrchestrationStore, OutboxRow, WorkItem } from './store';
import {
  deleteAction,
  isStatusCode,
  isTerminal,
  messageEntity,
  stateEntity,
  workItemEntity,
  workItemRowKey,
} from './store';

/** Tells the scheduler that work has appeared, so it need not wait for its next poll. */
export interface WorkSignals {
  instanceReady(instanceId: string): void;
  workItemsReady(items: WorkItem[]): void;
  /** A message for the instance becomes visible at `at` (a durable timer). */
  wakeAt(instanceId: string, at: Date): void;
}

export interface StartRequest {
  instanceId: string;
  name: string;
  input: string | null;
  parent: ParentInstance | null;
}

export type StartResult =
  | { outcome: 'started'; executionId: string }
  | { outcome: 'conflict'; state: InstanceState }
  /** The start lost a race with another start and was dropped, which the host does not tell the caller. */
  | { outcome: 'dropped'; executionId: string };

export const newExecutionId = (): string => randomUUID().replace(/-/g, '');

function workItemOf(instanceId: string, item: Extract<OutboxItem, { type: 'activity' }>): WorkItem {
  return {
    rowKey: workItemRowKey(item.executionId, item.taskScheduledId),
    instanceId,
    executionId: item.executionId,
    taskScheduledId: item.taskScheduledId,
    name: item.name,
    input: item.input,
  };
}

export class WorkQueue {
  constructor(
    private readonly store: OrchestrationStore,
    private readonly signals: WorkSignals,
    /** Past executions' history stays in the store, for inspection (DEVHOST_KEEP_PAST_EXECUTIONS). */
    private readonly keepPastHistory = false,
  ) {}

  /**
   * A client's start (DurableClient.StartNewAsync): creates the instance (status Pending, with its
   * ExecutionStarted message) in one transaction, or replaces a finished one. An instance that is still
   * pending, running or suspended is left alone (`overridableExistingInstanceStates` NonRunningStates).
   *
   * Like the Azure Storage provider (AzureStorageOrchestrationService.CreateTaskOrchestrationAsync), this
   * reads the instance, then writes it conditionally; a start that loses the race between the two is
   * dropped silently (the provider ignores the 409/412 and the caller still hears "started"). `seen` is
   * the state read beforehand (null: none), for callers that have read it already.
   */
  async startInstance(
    request: StartRequest,
    now: Date = new Date(),
    seen?: InstanceState | null,
  ): Promise<StartResult> {
    const existing =
      seen === undefined ? await this.store.readState(request.instanceId) : (seen ?? undefined);
    if (existing && !isTerminal(existing.runtimeStatus)) {
      return { outcome: 'conflict', state: existing };
    }
    const executionId = newExecutionId();
    const written = await this.writeStart(request, existing, executionId, now);
    return written ? { outcome: 'started', executionId } : { outcome: 'dropped', executionId };
  }

  /**
   * A sub-orchestration's start: the Azure Storage provider de-duplicates only top-level starts
   * (OrchestrationSessionManager.DedupeExecutionStartedMessagesAsync skips messages with a parent), so the
   * new execution replaces whatever runs under the id; the replaced one never completes.
   */
  async replaceInstance(request: StartRequest, now: Date = new Date()): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const existing = await this.store.readState(request.instanceId);
      const executionId = newExecutionId();
      if (await this.writeStart(request, existing, executionId, now)) {
        return executionId;
      }
    }
    throw new Error(`Could not start instance ${request.instanceId}: it kept changing underneath`);
  }

  /** Writes a new execution over `existing` (ETag-checked); false when someone else wrote first. */
  private async writeStart(
    request: StartRequest,
    existing: InstanceState | undefined,
    executionId: string,
    now: Date,
  ): Promise<boolean> {
    const state: InstanceState = {
      instanceId: request.instanceId,
      name: request.name,
      executionId,
      runtimeStatus: 'Pending',
      input: request.input,
      output: null,
      customStatus: null,
      createdTime: now,
      lastUpdatedTime: now,
      parent: request.parent,
      historyRows: 0,
      outboxRows: 0,
    };
    const started = executionStarted(
      now,
      { InstanceId: request.instanceId, ExecutionId: executionId },
      request.name,
      request.input,
      request.parent,
    );
    const message = startMessage(executionId, started);
    const actions: TransactionAction[] = [
      existing
        ? ['update', stateEntity(state), 'Replace', { etag: existing.etag }]
        : ['create', stateEntity(state)],
      ['upsert', messageEntity(request.instanceId, message), 'Replace'],
    ];
    try {
      await this.store.commit(actions);
    } catch (error) {
      if (isStatusCode(error, 409, 412)) {
        return false;
      }
      throw error;
    }
    if (existing) {
      await this.removeStaleRows(request.instanceId, executionId);
    }
    this.signals.instanceReady(request.instanceId);
    return true;
  }

  async send(instanceId: string, message: OrchestrationMessage): Promise<void> {
    await this.store.upsert(messageEntity(instanceId, message));
    if (message.visibleAt.getTime() > Date.now()) {
      this.signals.wakeAt(instanceId, message.visibleAt);
    } else {
      this.signals.instanceReady(instanceId);
    }
  }

  /**
   * Deletes the rows earlier executions left behind (delivered outboxes, and history unless it is kept,
   * in which case it is set aside where episodes do not read it).
   */
  async removeStaleRows(instanceId: string, executionId: string): Promise<void> {
    if (this.keepPastHistory) await this.store.setPastHistoryAside(instanceId, executionId);
    const keys = await this.store.staleRowKeys(instanceId, executionId, this.keepPastHistory);
    await this.store.commitInBatches(keys.map((key) => deleteAction(instanceId, key)));
  }

  /** Outbox items that are writes into the instance's own partition (work items, its own timers). */
  static isLocal(instanceId: string, item: OutboxItem): boolean {
    return item.type === 'activity' || (item.type === 'message' && item.instanceId === instanceId);
  }

  /** The transaction action that carries out a local outbox item. */
  static localWrite(instanceId: string, item: OutboxItem): TransactionAction {
    if (item.type === 'activity') {
      return ['upsert', workItemEntity(workItemOf(instanceId, item)), 'Replace'];
    }
    if (item.type === 'message') {
      return ['upsert', messageEntity(instanceId, item.message), 'Replace'];
    }
    throw new Error(`Outbox item ${item.type} is not a local write`);
  }

  /** Tells the scheduler about local work that has just been written. */
  announce(instanceId: string, items: OutboxItem[]): void {
    this.signals.workItemsReady(
      items.flatMap((item) => (item.type === 'activity' ? [workItemOf(instanceId, item)] : [])),
    );
    for (const item of items) {
      if (item.type === 'message' && item.instanceId === instanceId) {
        if (item.message.visibleAt.getTime() > Date.now()) {
          this.signals.wakeAt(instanceId, item.message.visibleAt);
        } else {
          this.signals.instanceReady(instanceId);
        }
      }
    }
  }

  /**
   * Makes the deliveries an outbox row promised, then deletes it. After a crash the same row is delivered
   * again (`recovering`): results already recorded are then not asked for twice.
   */
  async deliverOutbox(row: OutboxRow, recovering: boolean): Promise<void> {
    const done = recovering ? await this.recordedWork(row.instanceId) : undefined;
    const local: OutboxItem[] = [];
    for (const item of row.items) {
      if (WorkQueue.isLocal(row.instanceId, item)) {
        const [executionId, taskId] =
          item.type === 'activity'
            ? [item.executionId, item.taskScheduledId]
            : item.type === 'message'
              ? [item.message.targetExecutionId, completedTaskId(item.message.event)]
              : [undefined, undefined];
        if (done && executionId !== undefined && taskId !== undefined && !done.isOpen(executionId, taskId)) {
          continue;
        }
        local.push(item);
      } else if (item.type === 'message') {
        await this.send(item.instanceId, item.message);
      } else if (item.type === 'startSubOrchestration') {
        await this.startSubOrchestration(item);
      }
    }
    const writes = local.map((item) => WorkQueue.localWrite(row.instanceId, item));
    writes.push(deleteAction(row.instanceId, row.rowKey));
    await this.store.commitInBatches(writes);
    this.announce(row.instanceId, local);
  }

  private async startSubOrchestration(item: {
    instanceId: string;
    name: string;
    input: string | null;
    parent: ParentInstance;
  }): Promise<void> {
    const existing = await this.store.readState(item.instanceId);
    const parent = item.parent;
    const sameRequest =
      existing?.parent?.OrchestrationInstance.ExecutionId === parent.OrchestrationInstance.ExecutionId &&
      existing.parent.TaskScheduleId === parent.TaskScheduleId;
    if (sameRequest) {
      return;
    }
    await this.replaceInstance({ ...item, parent });
  }

  /** What an instance's partition already holds: completed tasks and results waiting in the inbox. */
  private async recordedWork(
    instanceId: string,
  ): Promise<{ isOpen(executionId: string, taskId: number): boolean }> {
    const snapshot = await this.store.readInstance(instanceId);
    const current = snapshot.state?.executionId;
    const finished = new Set<number>();
    const collect = (event: HistoryEvent): void => {
      const id = completedTaskId(event);
      if (id !== undefined) {
        finished.add(id);
      }
    };
    snapshot.history.forEach(collect);
    snapshot.messages.filter((m) => m.targetExecutionId === current).forEach((m) => collect(m.event));
    return { isOpen: (executionId, taskId) => executionId === current && !finished.has(taskId) };
  }
}
