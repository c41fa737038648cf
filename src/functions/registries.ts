// GET /api/registries and GET /api/registries/{subscriptionId}/{resourceGroup}/{registry}/replicas:
// live views of the registries in scope and their replicas.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { armClients } from '../azure/armClients';
import { listRegistriesInScope, mapWithLimit } from '../azure/fleet';
import { ReplicaGateway } from '../azure/replicas';
import { registryScope } from '../config/settings';
import {
  collectErrors,
  isPremium,
  parseRegistryId,
  sameRegion,
  summariseReplicas,
  ValidationErrors,
} from '../domain';
import type { RegistryId, RegistryView, ReplicaView } from '../domain';
import { withProblems } from '../http/handler';
import { requestQuery, unknownParameterErrors } from '../http/queryParameters';
import { readBodyWithin } from '../http/requestBody';
import { admitBodylessRequest, NO_BODY_LIMIT_BYTES } from '../http/requestLimits';
import { notFound, outOfScope, registryFromRoute } from '../http/registryRoute';

export const LIST_REGISTRIES_FUNCTION = 'listRegistries';
export const LIST_REPLICAS_FUNCTION = 'listReplicas';

/** Replica lists fetched at once when summarising many registries. */
const SUMMARY_PARALLELISM = 8;

export async function listRegistries(request: HttpRequest): Promise<HttpResponseInit> {
  await admitBodylessRequest(request);
  const replicas = new ReplicaGateway(armClients());
  const registries = await listRegistriesInScope(replicas, registryScope());
  const value = await mapWithLimit(registries, SUMMARY_PARALLELISM, async (registry) => {
    const id = parseRegistryId(registry.id);
    return {
      ...describeRegistry(id, registry),
      replicas: summariseReplicas(isPremium(registry) ? await replicas.listReplicas(id) : []),
    };
  });
  return json(200, { value });
}

export async function listReplicas(request: HttpRequest): Promise<HttpResponseInit> {
  await readBodyWithin(request, NO_BODY_LIMIT_BYTES);
  const errors = unknownParameterErrors(requestQuery(request), []);
  const id = collectErrors(errors, undefined, () => registryFromRoute(request));
  if (errors.length > 0 || id === undefined) throw new ValidationErrors(errors);
  const outside = outOfScope(id);
  if (outside !== undefined) return outside;
  const replicas = new ReplicaGateway(armClients());
  const registry = await replicas.getRegistry(id);
  if (registry === undefined) return notFound(id);
  const value = (await replicas.listReplicas(id)).map((replica) => describeReplica(registry, replica));
  return json(200, { registry: describeRegistry(id, registry), value });
}

function describeRegistry(id: RegistryId, registry: RegistryView): Record<string, unknown> {
  return {
    id: registry.id,
    name: registry.name,
    subscriptionId: id.subscriptionId,
    resourceGroup: id.resourceGroup,
    homeRegion: registry.location,
    sku: registry.sku,
    privateEndpoints: registry.privateEndpointConnections > 0,
    tags: registry.tags,
  };
}

function describeReplica(registry: RegistryView, replica: ReplicaView): Record<string, unknown> {
  return { ...replica, home: sameRegion(replica.location, registry.location) };
}

function json(status: number, body: unknown): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'cache-control': 'no-store' } };
}

app.http(LIST_REGISTRIES_FUNCTION, {
  route: 'registries',
  methods: ['GET'],
  authLevel: 'function',
  handler: withProblems(listRegistries),
});

app.http(LIST_REPLICAS_FUNCTION, {
  route: 'registries/{subscriptionId}/{resourceGroup}/{registry}/replicas',
  methods: ['GET'],
  authLevel: 'function',
  handler: withProblems(listReplicas),
});
