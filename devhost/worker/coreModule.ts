// The devhost's stand-in for the worker's built-in `@azure/functions-core` module: it collects the
// registrations and hooks the app makes while it loads, and holds the programming model that
// @azure/functions installs, exactly as the Node.js worker does.

import type { Logger } from '../log';
import { fromWorkerLevel } from '../log';
import type {
  Disposable,
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  LogCategory,
  LogLevel,
  ProgrammingModel,
} from './coreTypes';

/** Worker version reported to the app; the 3.x worker line is the one that serves the v4 model. */
export const WORKER_VERSION = '3.12.0';
/** Host version reported to the app (a 4.x host with log hooks and HTTP streaming support). */
export const HOST_VERSION = '4.1037.0';

export interface RegisteredFunction {
  metadata: FunctionMetadata;
  callback: FunctionCallback;
}

export type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';

class CoreDisposable implements Disposable {
  static from(...items: { dispose(): unknown }[]): CoreDisposable {
    return new CoreDisposable(() => items.forEach((i) => i.dispose()));
  }

  #onDispose: (() => unknown) | undefined;

  constructor(onDispose: () => unknown) {
    this.#onDispose = onDispose;
  }

  dispose(): unknown {
    const onDispose = this.#onDispose;
    this.#onDispose = undefined;
    return onDispose?.();
  }
}

export class WorkerRuntime {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, HookCallback[]>();
  readonly appHookData: Record<string, unknown> = {};
  programmingModel: ProgrammingModel | undefined;

  constructor(private readonly logger: Logger) {}

  /** The object `require('@azure/functions-core')` returns inside the app. */
  createCoreApi(): Record<string, unknown> {
    return {
      version: WORKER_VERSION,
      hostVersion: HOST_VERSION,
      registerFunction: (metadata: FunctionMetadata, callback: FunctionCallback) =>
        this.registerFunction(metadata, callback),
      registerHook: (name: string, callback: HookCallback) => this.registerHook(name, callback),
      setProgrammingModel: (model: ProgrammingModel) => {
        this.programmingModel = model;
      },
      getProgrammingModel: () => this.programmingModel,
      log: (level: LogLevel, category: LogCategory, message: string) => this.log(level, category, message),
      Disposable: CoreDisposable,
    };
  }

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.functions.has(metadata.name.toLowerCase())) {
      throw new Error(`A function with the name "${metadata.name}" has already been registered.`);
    }
    const key = metadata.name.toLowerCase();
    this.functions.set(key, { metadata, callback });
    return new CoreDisposable(() => this.functions.delete(key));
  }

  registerHook(name: string, callback: HookCallback): Disposable {
    if (!isHookName(name)) {
      throw new RangeError(`Unrecognized hook "${name}"`);
    }
    const list = this.hooks.get(name) ?? [];
    list.push(callback);
    this.hooks.set(name, list);
    return new CoreDisposable(() => {
      const index = list.indexOf(callback);
      if (index >= 0) {
        list.splice(index, 1);
      }
    });
  }

  getFunction(name: string): RegisteredFunction | undefined {
    return this.functions.get(name.toLowerCase());
  }

  log(level: LogLevel, category: LogCategory, message: string, functionName?: string): void {
    if (level === 'none') {
      return;
    }
    const prefix = functionName ? `[${functionName}] ` : category === 'system' ? '[worker] ' : '';
    const target = fromWorkerLevel(level);
    this.logger[target](`${prefix}${message}`);
  }

  async runHooks(name: HookName, context: Record<string, unknown>): Promise<void> {
    for (const callback of [...(this.hooks.get(name) ?? [])]) {
      await callback(context);
    }
  }
}

function isHookName(name: string): name is HookName {
  return ['appStart', 'appTerminate', 'preInvocation', 'postInvocation', 'log'].includes(name);
}
