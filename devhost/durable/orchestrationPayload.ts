// The orchestration trigger payload, as the Durable extension serializes it for out-of-process workers
// (OrchestrationTriggerAttributeBindingProvider): history, input, instance and schema information.

import type { HistoryEvent } from './history';
import { EventType } from './history';
import type { TimerLimits } from './shimReplay';

/** OutOfProcOrchestrationShim.SchemaVersion V2 = 1, V3 = 2 (the replay schema with the timer fields). */
export const UPPER_SCHEMA_VERSION = 1;
export const UPPER_SCHEMA_VERSION_NEW = 2;
/** HttpOptions.DefaultAsyncRequestSleepTimeMilliseconds. */
export const DEFAULT_HTTP_ASYNC_SLEEP_MS = 30_000;

export interface OrchestrationTriggerPayload {
  history: HistoryEvent[];
  input: unknown;
  instanceId: string;
  isReplaying: boolean;
  parentInstanceId: string | null;
  upperSchemaVersion: number;
  upperSchemaVersionNew: number;
  longRunningTimerIntervalDuration: string;
  maximumShortTimerDuration: string;
  defaultHttpAsyncRequestSleepTimeMillseconds: number;
}

/** A .NET TimeSpan in its JSON form, `d.hh:mm:ss[.fffffff]`. */
export function toTimeSpan(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const fraction = ms % 1000;
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const two = (n: number): string => n.toString().padStart(2, '0');
  const base = `${days}.${two(hours)}:${two(minutes)}:${two(seconds)}`;
  return fraction === 0 ? base : `${base}.${(fraction * 10_000).toString().padStart(7, '0')}`;
}

export function parseJsonText(text: string | null | undefined): unknown {
  if (text === null || text === undefined || text === '') {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function orchestrationPayload(
  instanceId: string,
  history: HistoryEvent[],
  newEventsFrom: number,
  limits: TimerLimits,
): OrchestrationTriggerPayload {
  const started = history.find((e) => e.EventType === EventType.ExecutionStarted);
  const parent = started?.EventType === EventType.ExecutionStarted ? started.ParentInstance : null;
  return {
    history: history.map((event, index) => ({ ...event, IsPlayed: index < newEventsFrom })),
    input: started?.EventType === EventType.ExecutionStarted ? parseJsonText(started.Input) : null,
    instanceId,
    isReplaying: newEventsFrom > 0,
    parentInstanceId: parent?.OrchestrationInstance.InstanceId ?? null,
    upperSchemaVersion: UPPER_SCHEMA_VERSION,
    upperSchemaVersionNew: UPPER_SCHEMA_VERSION_NEW,
    longRunningTimerIntervalDuration: toTimeSpan(limits.longRunningTimerIntervalMs),
    maximumShortTimerDuration: toTimeSpan(limits.maximumShortTimerMs),
    defaultHttpAsyncRequestSleepTimeMillseconds: DEFAULT_HTTP_ASYNC_SLEEP_MS,
  };
}
