// The instance status the HTTP management API returns (the extension's StatusResponsePayload), with the
// history projection of `showHistory`: scheduling events are folded into their completions (FunctionName,
// ScheduledTime), replay markers are dropped, EventType and OrchestrationStatus become names.

import type { HistoryEvent } from './history';
import { EventType, OrchestrationStatus, scheduledTaskId } from './history';
import { parseJsonText } from './orchestrationPayload';
import type { InstanceState } from './store';

export interface StatusPayload {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: Record<string, unknown>[];
}

/** DateTime.ToString("s") + "Z": seconds precision. */
export const toSecondsIso = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

export function statusPayload(
  state: InstanceState,
  options: { showInput: boolean; history?: HistoryEvent[]; showHistoryOutput?: boolean },
): StatusPayload {
  const payload: StatusPayload = {
    name: state.name,
    instanceId: state.instanceId,
    runtimeStatus: state.runtimeStatus,
    input: options.showInput ? parseJsonText(state.input) : null,
    customStatus: parseJsonText(state.customStatus),
    output: parseJsonText(state.output),
    createdTime: toSecondsIso(state.createdTime),
    lastUpdatedTime: toSecondsIso(state.lastUpdatedTime),
  };
  if (options.history) {
    payload.historyEvents = projectHistory(options.history, options.showHistoryOutput ?? false);
  }
  return payload;
}

export function projectHistory(history: HistoryEvent[], showOutput: boolean): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  for (const event of history) {
    const id = scheduledTaskId(event);
    if (id !== undefined && event.EventType !== EventType.TimerCreated) {
      scheduled.set(id, event);
    }
  }
  const result: Record<string, unknown>[] = [];
  for (const event of history) {
    const item: Record<string, unknown> = { ...event, EventType: EventType[event.EventType] };
    delete item.EventId;
    delete item.IsPlayed;
    switch (event.EventType) {
      case EventType.OrchestratorStarted:
      case EventType.OrchestratorCompleted:
      case EventType.TaskScheduled:
      case EventType.SubOrchestrationInstanceCreated:
        continue;
      case EventType.ExecutionStarted:
        item.FunctionName = event.Name;
        for (const key of [
          'Name',
          'OrchestrationInstance',
          'ParentInstance',
          'Version',
          'Tags',
          'Input',
          'Generation',
        ]) {
          delete item[key];
        }
        break;
      case EventType.ExecutionCompleted:
      case EventType.ContinueAsNew:
        item.OrchestrationStatus = OrchestrationStatus[event.OrchestrationStatus];
        if (showOutput) {
          item.Result = parseJsonText(event.Result);
        } else {
          delete item.Result;
        }
        break;
      case EventType.TaskCompleted:
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceCompleted:
      case EventType.SubOrchestrationInstanceFailed: {
        const source = scheduled.get(event.TaskScheduledId);
        if (source && 'Name' in source) {
          item.FunctionName = source.Name;
          item.ScheduledTime = source.Timestamp;
        }
        delete item.TaskScheduledId;
        if ('Result' in item) {
          if (showOutput) {
            item.Result = parseJsonText(item.Result as string);
          } else {
            delete item.Result;
          }
        }
        break;
      }
      case EventType.ExecutionTerminated:
        delete item.Input;
        break;
      default:
        break;
    }
    result.push(item);
  }
  return result;
}
