// HTTP-triggered functions: their routes (default: the function name) under the route prefix, the
// methods they accept, their auth level, and their invocation with RpcHttpData.

import type { RegisteredFunction, WorkerRuntime } from '../worker/coreModule';
import type { ExtraInputProvider } from '../worker/bindingInputs';
import { buildInputData, triggerBinding, triggerType } from '../worker/bindingInputs';
import type { RpcHttpData, RpcInvocationResponse } from '../worker/coreTypes';
import { invokeFunction } from '../worker/invokeFunction';
import type { AuthLevel } from './authKeys';
import { normalizeAuthLevel } from './authKeys';
import type { CompiledRoute } from './routeTemplate';
import { comparePrecedence, compileRoute } from './routeTemplate';

export interface HttpRoute {
  fn: RegisteredFunction;
  route: CompiledRoute;
  /** Upper-case method names; undefined accepts every method. */
  methods: Set<string> | undefined;
  authLevel: AuthLevel;
}

export function httpRoutes(runtime: WorkerRuntime): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const fn of runtime.functions.values()) {
    if (triggerType(fn) !== 'httptrigger') {
      continue;
    }
    const binding = triggerBinding(fn).binding;
    const template =
      typeof binding.route === 'string' && binding.route !== '' ? binding.route : fn.metadata.name;
    const methods = Array.isArray(binding.methods)
      ? new Set(binding.methods.map((m) => String(m).toUpperCase()))
      : undefined;
    routes.push({
      fn,
      route: compileRoute(template),
      methods: methods && methods.size > 0 ? methods : undefined,
      authLevel: normalizeAuthLevel(binding.authLevel),
    });
  }
  return routes.sort((a, b) => comparePrecedence(a.route, b.route));
}

export function findRoute(
  routes: HttpRoute[],
  method: string,
  path: string,
): { route: HttpRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.methods && !route.methods.has(method.toUpperCase())) {
      continue;
    }
    const params = route.route.match(path);
    if (params) {
      return { route, params };
    }
  }
  return undefined;
}

/** The HTTP response an invocation produced: the http-typed output binding ($return by default). */
export function httpResponseOf(
  fn: RegisteredFunction,
  response: RpcInvocationResponse,
): RpcHttpData | undefined {
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    if (binding.direction !== 'out' || (binding.type ?? '').toLowerCase() !== 'http') {
      continue;
    }
    if (name === '$return' && response.returnValue?.http) {
      return response.returnValue.http;
    }
    const output = response.outputData?.find((o) => o.name === name);
    if (output?.data?.http) {
      return output.data.http;
    }
  }
  return undefined;
}

export async function invokeHttpFunction(
  runtime: WorkerRuntime,
  fn: RegisteredFunction,
  request: RpcHttpData,
  extras: ExtraInputProvider,
): Promise<RpcHttpData | undefined> {
  const response = await invokeFunction(runtime, fn, {
    inputData: buildInputData(fn, { http: request }, extras),
  });
  return httpResponseOf(fn, response);
}
