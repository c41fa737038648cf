// The registry a route names (`registries/{subscriptionId}/{resourceGroup}/{registry}/...`) and the
// answers every registry route gives alike: outside the app's scope (403) and not found (404).
import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { registryScope } from '../config/settings';
import { inScope, registryId } from '../domain';
import type { RegistryId } from '../domain';
import { problem, problemResponse } from './problem';

export function registryFromRoute(request: HttpRequest): RegistryId {
  return registryId(
    request.params.subscriptionId ?? '',
    request.params.resourceGroup ?? '',
    request.params.registry ?? '',
  );
}

/** A 403 for a registry outside REGISTRY_SCOPE; undefined when the app manages it. */
export function outOfScope(id: RegistryId): HttpResponseInit | undefined {
  if (inScope(registryScope(), id)) return undefined;
  return problemResponse(
    problem(
      403,
      'out-of-scope',
      `Registry ${id.registryName} is not in the scope this app manages (REGISTRY_SCOPE).`,
    ),
  );
}

export function notFound(id: RegistryId): HttpResponseInit {
  return problemResponse(problem(404, 'registry-not-found', `Registry ${id.registryName} was not found.`));
}
