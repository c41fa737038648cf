// Route table plumbing: path templates in ARM's casing-insensitive style, matched to handlers.
import type { SandboxContext } from './context';
import type { SandboxRequest, SandboxResponse } from './types';

export type RouteParams = Record<string, string>;

export interface Route {
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE' | 'POST';
  /** e.g. "/subscriptions/{subscriptionId}/locations" */
  template: string;
  /** Name in the request log and for fault matching, e.g. "Replications_Create". */
  operation: string;
  apiVersions: readonly string[];
  /**
   * For resource provider routes, the type below the provider namespace (e.g. "registries/replications"):
   * ARM then refuses an unregistered api-version with NoRegisteredProviderFound rather than with its own
   * InvalidApiVersionParameter.
   */
  resourceType?: string;
  handle(req: SandboxRequest, params: RouteParams, ctx: SandboxContext): SandboxResponse;
}

export interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

export type RouteLookup =
  { kind: 'found'; route: CompiledRoute; params: RouteParams } | { kind: 'wrongMethod' } | { kind: 'none' };

export function compileRoutes(routes: readonly Route[]): CompiledRoute[] {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const param = /^\{([^}]+)\}$/.exec(part);
        if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(param[1] ?? '');
        return '([^/]+)';
      })
      .join('');
    return { ...route, pattern: new RegExp(`^${source}/?$`, 'i'), names };
  });
}

export function findRoute(routes: readonly CompiledRoute[], method: string, path: string): RouteLookup {
  let pathKnown = false;
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    pathKnown = true;
    if (route.method !== method) continue;
    const params: RouteParams = {};
    route.names.forEach((name, index) => {
      params[name] = match[index + 1] ?? '';
    });
    return { kind: 'found', route, params };
  }
  return pathKnown ? { kind: 'wrongMethod' } : { kind: 'none' };
}

/** An operation name for Microsoft.Authorization requests, e.g. "RoleAssignments_Create". */
export function authorizationOperationName(method: string, path: string): string | undefined {
  const match = /\/providers\/Microsoft\.Authorization\/([^/]+)(\/[^/]+)?/i.exec(path);
  if (!match) return undefined;
  const type = match[1] ?? '';
  const named = match[2] !== undefined;
  const verb =
    method === 'GET'
      ? named
        ? 'Get'
        : 'List'
      : method === 'PUT'
        ? 'Create'
        : method === 'DELETE'
          ? 'Delete'
          : method;
  return `${type.charAt(0).toUpperCase()}${type.slice(1)}_${verb}`;
}
