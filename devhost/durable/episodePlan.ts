// Which inbox messages an episode takes, and which of them become history events.
//
// Like DurableTask.Core, the devhost drops messages that no longer mean anything: results for another
// execution, duplicates of results already in history (a redelivered activity result is applied once),
// anything sent to a finished instance. A suspended instance takes only resume and terminate messages;
// the rest wait in the inbox.

import type { HistoryEvent } from './history';
import { completedTaskId, EventType, scheduledTaskId } from './history';
import type { InstanceState, StoredMessage } from './store';
import { isTerminal } from './store';

export interface EpisodePlan {
  /** Messages to delete in the episode's transaction (taken or dropped). */
  consumed: StoredMessage[];
  /** History events for the episode, in delivery order. */
  events: HistoryEvent[];
  /** The instance is suspended at the end of the plan. */
  suspended: boolean;
  terminated: boolean;
}

export function planEpisode(
  state: InstanceState,
  history: HistoryEvent[],
  messages: StoredMessage[],
): EpisodePlan {
  const plan: EpisodePlan = {
    consumed: [],
    events: [],
    suspended: state.runtimeStatus === 'Suspended',
    terminated: false,
  };
  if (isTerminal(state.runtimeStatus)) {
    plan.consumed = [...messages];
    return plan;
  }
  const scheduled = new Set<number>();
  const completed = new Set<number>();
  for (const event of history) {
    const s = scheduledTaskId(event);
    if (s !== undefined) {
      scheduled.add(s);
    }
    const c = completedTaskId(event);
    if (c !== undefined) {
      completed.add(c);
    }
  }
  let started = history.some((e) => e.EventType === EventType.ExecutionStarted);

  for (const message of messages) {
    if (plan.terminated) {
      plan.consumed.push(message);
      continue;
    }
    const event = message.event;
    if (message.targetExecutionId !== undefined && message.targetExecutionId !== state.executionId) {
      plan.consumed.push(message);
      continue;
    }
    if (event.EventType === EventType.ExecutionStarted) {
      plan.consumed.push(message);
      if (!started) {
        started = true;
        plan.events.push(event);
      }
      continue;
    }
    if (!started) {
      // Nothing can be delivered before the execution starts; its start message is on the way.
      continue;
    }
    if (event.EventType === EventType.ExecutionTerminated) {
      plan.consumed.push(message);
      plan.events.push(event);
      plan.terminated = true;
      continue;
    }
    if (event.EventType === EventType.ExecutionResumed) {
      plan.consumed.push(message);
      if (plan.suspended) {
        plan.suspended = false;
        plan.events.push(event);
      }
      continue;
    }
    if (plan.suspended) {
      continue;
    }
    if (event.EventType === EventType.ExecutionSuspended) {
      plan.consumed.push(message);
      plan.suspended = true;
      plan.events.push(event);
      continue;
    }
    const taskId = completedTaskId(event);
    plan.consumed.push(message);
    if (taskId === undefined) {
      plan.events.push(event);
    } else if (scheduled.has(taskId) && !completed.has(taskId)) {
      completed.add(taskId);
      plan.events.push(event);
    }
  }
  return plan;
}
