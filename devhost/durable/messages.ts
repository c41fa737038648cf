// Orchestration messages: history events waiting in an instance's inbox until an episode takes them,
// and the outbox items an episode leaves for delivery after it commits.

import { randomUUID } from 'node:crypto';
import type { HistoryEvent, ParentInstance } from './history';
import { EventType } from './history';

export interface OrchestrationMessage {
  /** Row key: deterministic for completions so that a redelivered result lands on the same row. */
  id: string;
  event: HistoryEvent;
  /** Completions belong to one execution; events from clients go to whichever execution is current. */
  targetExecutionId?: string;
  /** Timer messages stay invisible until they are due. */
  visibleAt: Date;
  /** Delivery order among visible messages. */
  orderKey: string;
}

let counter = 0;

/** A sortable key: time first, then a process-wide counter for messages created in the same millisecond. */
export function nextOrderKey(at: Date = new Date()): string {
  counter = (counter + 1) % 1_000_000;
  return `${at.getTime().toString().padStart(15, '0')}.${counter.toString().padStart(6, '0')}`;
}

function message(
  id: string,
  event: HistoryEvent,
  targetExecutionId?: string,
  visibleAt: Date = new Date(),
): OrchestrationMessage {
  return { id, event, targetExecutionId, visibleAt, orderKey: nextOrderKey(visibleAt) };
}

export const startMessage = (executionId: string, event: HistoryEvent): OrchestrationMessage =>
  message(`start.${executionId}`, event, executionId);

export const taskResultMessage = (
  executionId: string,
  taskId: number,
  event: HistoryEvent,
): OrchestrationMessage => message(`task.${executionId}.${taskId}`, event, executionId);

export const timerMessage = (executionId: string, timerId: number, event: HistoryEvent, fireAt: Date) =>
  message(`timer.${executionId}.${timerId}`, event, executionId, fireAt);

export const subOrchestrationResultMessage = (
  executionId: string,
  taskId: number,
  event: HistoryEvent,
): OrchestrationMessage => message(`sub.${executionId}.${taskId}`, event, executionId);

/** Events from clients (raise, terminate, suspend, resume) are not tied to an execution. */
export const clientMessage = (event: HistoryEvent): OrchestrationMessage =>
  message(`client.${nextOrderKey()}.${randomUUID()}`, event);

export type OutboxItem =
  | { type: 'activity'; executionId: string; taskScheduledId: number; name: string; input: string | null }
  | { type: 'message'; instanceId: string; message: OrchestrationMessage }
  | {
      type: 'startSubOrchestration';
      instanceId: string;
      name: string;
      input: string | null;
      parent: ParentInstance;
    };

/** The completion events an inbox may hold, keyed to the task they complete. */
export function isCompletionEvent(event: HistoryEvent): boolean {
  return [
    EventType.TaskCompleted,
    EventType.TaskFailed,
    EventType.SubOrchestrationInstanceCompleted,
    EventType.SubOrchestrationInstanceFailed,
    EventType.TimerFired,
  ].includes(event.EventType);
}
