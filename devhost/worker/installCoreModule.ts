// Makes `require('@azure/functions-core')` return the devhost's core API, the way the Node.js worker
// provides its built-in module: by intercepting module loading before the app's entry files run.

import Module from 'node:module';

type LoadFunction = (request: string, parent: unknown, isMain: boolean) => unknown;

const CORE_MODULE = '@azure/functions-core';
const internals = Module as unknown as { _load: LoadFunction };

let coreApi: Record<string, unknown> | undefined;
let original: LoadFunction | undefined;

export function installCoreModule(api: Record<string, unknown>): void {
  coreApi = api;
  if (original) {
    return;
  }
  const load = internals._load;
  original = load;
  internals._load = function (this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
    if (request === CORE_MODULE && coreApi) {
      return coreApi;
    }
    return load.call(this, request, parent, isMain);
  };
}

export function uninstallCoreModule(): void {
  if (original) {
    internals._load = original;
    original = undefined;
  }
  coreApi = undefined;
}
