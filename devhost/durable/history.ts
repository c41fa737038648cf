// History events in the shape the Durable extension serializes for out-of-process workers:
// PascalCase keys, numeric EventType, EventId = sequence number for scheduling events (-1 otherwise),
// JSON text in Input/Result.

export enum EventType {
  ExecutionStarted = 0,
  ExecutionCompleted = 1,
  ExecutionFailed = 2,
  ExecutionTerminated = 3,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
  EventSent = 14,
  EventRaised = 15,
  ContinueAsNew = 16,
  GenericEvent = 17,
  HistoryState = 18,
  ExecutionSuspended = 19,
  ExecutionResumed = 20,
}

/** DurableTask.Core OrchestrationStatus, as stored in ExecutionCompleted events. */
export enum OrchestrationStatus {
  Running = 0,
  Completed = 1,
  ContinuedAsNew = 2,
  Failed = 3,
  Canceled = 4,
  Terminated = 5,
  Pending = 6,
  Suspended = 7,
}

interface EventBase {
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
}

export interface OrchestrationInstanceRef {
  InstanceId: string;
  ExecutionId: string;
}

export interface ParentInstance {
  Name: string;
  Version: string;
  TaskScheduleId: number;
  OrchestrationInstance: OrchestrationInstanceRef;
}

export interface ExecutionStartedEvent extends EventBase {
  EventType: EventType.ExecutionStarted;
  OrchestrationInstance: OrchestrationInstanceRef;
  ParentInstance: ParentInstance | null;
  Name: string;
  Version: string;
  Input: string | null;
  Tags: null;
  Generation: number;
}

export interface ExecutionCompletedEvent extends EventBase {
  EventType: EventType.ExecutionCompleted | EventType.ContinueAsNew;
  OrchestrationStatus: OrchestrationStatus;
  Result: string | null;
}

export interface ExecutionTerminatedEvent extends EventBase {
  EventType: EventType.ExecutionTerminated;
  Input: string | null;
}

export interface ExecutionSuspendedEvent extends EventBase {
  EventType: EventType.ExecutionSuspended | EventType.ExecutionResumed;
  Reason: string | null;
}

export interface TaskScheduledEvent extends EventBase {
  EventType: EventType.TaskScheduled;
  Name: string;
  Version: string;
  Input: string | null;
}

export interface TaskCompletedEvent extends EventBase {
  EventType: EventType.TaskCompleted | EventType.SubOrchestrationInstanceCompleted;
  TaskScheduledId: number;
  Result: string;
}

export interface TaskFailedEvent extends EventBase {
  EventType: EventType.TaskFailed | EventType.SubOrchestrationInstanceFailed;
  TaskScheduledId: number;
  Reason: string;
  Details: string;
}

export interface SubOrchestrationCreatedEvent extends EventBase {
  EventType: EventType.SubOrchestrationInstanceCreated;
  Name: string;
  Version: string;
  InstanceId: string;
  Input: string | null;
}

export interface TimerCreatedEvent extends EventBase {
  EventType: EventType.TimerCreated;
  FireAt: string;
}

export interface TimerFiredEvent extends EventBase {
  EventType: EventType.TimerFired;
  TimerId: number;
  FireAt: string;
}

export interface EventRaisedEvent extends EventBase {
  EventType: EventType.EventRaised;
  Name: string;
  Input: string | null;
}

export interface MarkerEvent extends EventBase {
  EventType: EventType.OrchestratorStarted | EventType.OrchestratorCompleted;
}

export type HistoryEvent =
  | ExecutionStartedEvent
  | ExecutionCompletedEvent
  | ExecutionTerminatedEvent
  | ExecutionSuspendedEvent
  | TaskScheduledEvent
  | TaskCompletedEvent
  | TaskFailedEvent
  | SubOrchestrationCreatedEvent
  | TimerCreatedEvent
  | TimerFiredEvent
  | EventRaisedEvent
  | MarkerEvent;

const base = (eventId: number, at: Date): EventBase => ({
  EventId: eventId,
  IsPlayed: false,
  Timestamp: at.toISOString(),
});

export const orchestratorStarted = (at: Date): MarkerEvent => ({
  EventType: EventType.OrchestratorStarted,
  ...base(-1, at),
});

export const orchestratorCompleted = (at: Date): MarkerEvent => ({
  EventType: EventType.OrchestratorCompleted,
  ...base(-1, at),
});

export function executionStarted(
  at: Date,
  instance: OrchestrationInstanceRef,
  name: string,
  input: string | null,
  parent: ParentInstance | null,
  generation = 1,
): ExecutionStartedEvent {
  return {
    EventType: EventType.ExecutionStarted,
    ...base(-1, at),
    OrchestrationInstance: instance,
    ParentInstance: parent,
    Name: name,
    Version: '',
    Input: input,
    Tags: null,
    Generation: generation,
  };
}

export function executionCompleted(
  at: Date,
  eventId: number,
  status: OrchestrationStatus,
  result: string | null,
): ExecutionCompletedEvent {
  return {
    EventType: EventType.ExecutionCompleted,
    ...base(eventId, at),
    OrchestrationStatus: status,
    Result: result,
  };
}

export function continuedAsNew(at: Date, eventId: number, newInput: string | null): ExecutionCompletedEvent {
  return {
    EventType: EventType.ContinueAsNew,
    ...base(eventId, at),
    OrchestrationStatus: OrchestrationStatus.ContinuedAsNew,
    Result: newInput,
  };
}

export const executionTerminated = (at: Date, reason: string | null): ExecutionTerminatedEvent => ({
  EventType: EventType.ExecutionTerminated,
  ...base(-1, at),
  Input: reason,
});

export const executionSuspended = (at: Date, reason: string | null): ExecutionSuspendedEvent => ({
  EventType: EventType.ExecutionSuspended,
  ...base(-1, at),
  Reason: reason,
});

export const executionResumed = (at: Date, reason: string | null): ExecutionSuspendedEvent => ({
  EventType: EventType.ExecutionResumed,
  ...base(-1, at),
  Reason: reason,
});

export const taskScheduled = (
  at: Date,
  eventId: number,
  name: string,
  input: string | null,
): TaskScheduledEvent => ({
  EventType: EventType.TaskScheduled,
  ...base(eventId, at),
  Name: name,
  Version: '',
  Input: input,
});

export const taskCompleted = (at: Date, taskScheduledId: number, result: string): TaskCompletedEvent => ({
  EventType: EventType.TaskCompleted,
  ...base(-1, at),
  TaskScheduledId: taskScheduledId,
  Result: result,
});

export const taskFailed = (
  at: Date,
  taskScheduledId: number,
  reason: string,
  details: string,
): TaskFailedEvent => ({
  EventType: EventType.TaskFailed,
  ...base(-1, at),
  TaskScheduledId: taskScheduledId,
  Reason: reason,
  Details: details,
});

export function subOrchestrationCreated(
  at: Date,
  eventId: number,
  name: string,
  instanceId: string,
  input: string | null,
): SubOrchestrationCreatedEvent {
  return {
    EventType: EventType.SubOrchestrationInstanceCreated,
    ...base(eventId, at),
    Name: name,
    Version: '',
    InstanceId: instanceId,
    Input: input,
  };
}

export const subOrchestrationCompleted = (
  at: Date,
  taskScheduledId: number,
  result: string,
): TaskCompletedEvent => ({
  EventType: EventType.SubOrchestrationInstanceCompleted,
  ...base(-1, at),
  TaskScheduledId: taskScheduledId,
  Result: result,
});

export function subOrchestrationFailed(
  at: Date,
  taskScheduledId: number,
  reason: string,
  details: string,
): TaskFailedEvent {
  return {
    EventType: EventType.SubOrchestrationInstanceFailed,
    ...base(-1, at),
    TaskScheduledId: taskScheduledId,
    Reason: reason,
    Details: details,
  };
}

export const timerCreated = (at: Date, eventId: number, fireAt: Date): TimerCreatedEvent => ({
  EventType: EventType.TimerCreated,
  ...base(eventId, at),
  FireAt: fireAt.toISOString(),
});

export const timerFired = (at: Date, timerId: number, fireAt: string): TimerFiredEvent => ({
  EventType: EventType.TimerFired,
  ...base(-1, at),
  TimerId: timerId,
  FireAt: fireAt,
});

export const eventRaised = (at: Date, name: string, input: string | null): EventRaisedEvent => ({
  EventType: EventType.EventRaised,
  ...base(-1, at),
  Name: name,
  Input: input,
});

/** The task id a completion event refers to, or undefined for other events. */
export function completedTaskId(event: HistoryEvent): number | undefined {
  switch (event.EventType) {
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      return event.TaskScheduledId;
    case EventType.TimerFired:
      return event.TimerId;
    default:
      return undefined;
  }
}

/** The sequence number a scheduling event took, or undefined for other events. */
export function scheduledTaskId(event: HistoryEvent): number | undefined {
  switch (event.EventType) {
    case EventType.TaskScheduled:
    case EventType.TimerCreated:
    case EventType.SubOrchestrationInstanceCreated:
      return event.EventId;
    default:
      return undefined;
  }
}

export const eventTypeName = (type: EventType): string => EventType[type];
