// How the durable engine runs orchestrator and activity functions: through the worker runtime, with the
// trigger payloads the Durable extension sends, reading results the way the extension reads them.

import type { WorkerRuntime } from '../worker/coreModule';
import type { ExtraInputProvider } from '../worker/bindingInputs';
import { buildInputData, fromTypedData, triggerType } from '../worker/bindingInputs';
import type { RpcTypedData } from '../worker/coreTypes';
import { invokeFunction } from '../worker/invokeFunction';
import type { OrchestratorStateJson } from './actions';
import { isOrchestratorState } from './actions';
import type { KnownFunctions } from './knownFunctions';
import type { OrchestrationTriggerPayload } from './orchestrationPayload';

export type OrchestratorOutcome =
  | { kind: 'state'; state: OrchestratorStateJson }
  | { kind: 'failed'; message: string; details: string; state?: OrchestratorStateJson }
  | { kind: 'notFound' };

export type ActivityOutcome =
  | { kind: 'completed'; result: string }
  | { kind: 'failed'; message: string; details: string }
  | { kind: 'notFound' };

export interface DurableFunctions {
  runOrchestrator(name: string, payload: OrchestrationTriggerPayload): Promise<OrchestratorOutcome>;
  runActivity(name: string, input: string | null): Promise<ActivityOutcome>;
  /** The activity and orchestrator functions the app registered, in registration order. */
  known(): KnownFunctions;
}

/** durable-functions appends its replay state to the message of the error an orchestrator throws. */
const OUT_OF_PROC_DATA = '\n\n$OutOfProcData$:';

export function splitOrchestratorError(message: string): { message: string; state?: OrchestratorStateJson } {
  const index = message.indexOf(OUT_OF_PROC_DATA);
  if (index < 0) {
    return { message };
  }
  try {
    const state: unknown = JSON.parse(message.slice(index + OUT_OF_PROC_DATA.length));
    return { message: message.slice(0, index), state: isOrchestratorState(state) ? state : undefined };
  } catch {
    return { message: message.slice(0, index) };
  }
}

/**
 * An activity input as the extension hands it to the worker: the value of the JSON text in
 * TaskScheduled.Input; strings go as strings (which the worker JSON-parses when it can).
 */
export function activityTriggerData(input: string | null): RpcTypedData | undefined {
  if (input === null) {
    return undefined;
  }
  const value: unknown = JSON.parse(input);
  return typeof value === 'string' ? { string: value } : { json: input };
}

/** An activity result as the extension records it in TaskCompleted.Result: JSON text. */
export function activityResultJson(returnValue: RpcTypedData | null | undefined): string {
  const value = fromTypedData(returnValue);
  return value === undefined ? 'null' : JSON.stringify(value);
}

function errorText(error: unknown): { message: string; details: string } {
  if (error instanceof Error) {
    return { message: error.message, details: error.stack ?? error.message };
  }
  return { message: String(error), details: String(error) };
}

export function workerDurableFunctions(runtime: WorkerRuntime, extras: ExtraInputProvider): DurableFunctions {
  const find = (name: string, type: string) => {
    const fn = runtime.getFunction(name);
    return fn && triggerType(fn) === type ? fn : undefined;
  };
  return {
    known() {
      const named = (type: string): string[] =>
        [...runtime.functions.values()]
          .filter((fn) => triggerType(fn) === type)
          .map((fn) => fn.metadata.name);
      return { activities: named('activitytrigger'), orchestrators: named('orchestrationtrigger') };
    },

    async runOrchestrator(name, payload) {
      const fn = find(name, 'orchestrationtrigger');
      if (!fn) {
        return { kind: 'notFound' };
      }
      try {
        const response = await invokeFunction(runtime, fn, {
          inputData: buildInputData(fn, { string: JSON.stringify(payload) }, extras),
        });
        const value = fromTypedData(response.returnValue);
        if (isOrchestratorState(value)) {
          return { kind: 'state', state: value };
        }
        return {
          kind: 'failed',
          message:
            'The orchestrator returned no orchestration state (is it registered with df.app.orchestration?)',
          details: '',
        };
      } catch (error) {
        const { message, details } = errorText(error);
        const split = splitOrchestratorError(message);
        // The extension reports the error recorded in the replay state (the thrown message is not it).
        return { kind: 'failed', message: split.state?.error ?? split.message, details, state: split.state };
      }
    },

    async runActivity(name, input) {
      const fn = find(name, 'activitytrigger');
      if (!fn) {
        return { kind: 'notFound' };
      }
      try {
        const data = activityTriggerData(input);
        const response = await invokeFunction(runtime, fn, {
          inputData: buildInputData(fn, data ?? {}, extras),
        });
        return { kind: 'completed', result: activityResultJson(response.returnValue) };
      } catch (error) {
        return { kind: 'failed', ...errorText(error) };
      }
    },
  };
}
