// POST /api/registries/{subscriptionId}/{resourceGroup}/{registry}/heal[?dryRun=true]: a sweep of one
// registry now — scan its replicas, confirm suspects, heal them within the registry's policy.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { sweepRequest } from '../app/healing/healing.useCases';
import { armClients } from '../azure/armClients';
import { ReplicaGateway } from '../azure/replicas';
import { formatRegistryId, isPremium } from '../domain';
import { callerOf } from '../http/caller';
import { parseDryRun } from '../http/dryRun';
import { toProblemResponse } from '../http/handler';
import { problem, problemResponse } from '../http/problem';
import { notFound, outOfScope, registryFromRoute } from '../http/registryRoute';
import { startSweepAnswer } from '../http/sweepAnswer';

export const HEAL_REGISTRY_FUNCTION = 'healRegistry';

export async function healRegistry(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  try {
    const registry = registryFromRoute(request);
    const outside = outOfScope(registry);
    if (outside !== undefined) return outside;
    const dryRun = parseDryRun(request);
    const view = await new ReplicaGateway(armClients()).getRegistry(registry);
    if (view === undefined) return notFound(registry);
    if (!isPremium(view)) {
      return problemResponse(
        problem(422, 'not-premium', `Registry ${view.name} is ${view.sku}: it has no replicas to heal.`),
      );
    }

    const sweep = sweepRequest(
      { kind: 'rest', actor: callerOf(request) },
      dryRun,
      formatRegistryId(registry),
    );
    return await startSweepAnswer(
      df.getClient(context),
      sweep,
      'A heal of this registry is still running.',
      view.id,
    );
  } catch (error) {
    return toProblemResponse(error, context);
  }
}

app.http(HEAL_REGISTRY_FUNCTION, {
  route: 'registries/{subscriptionId}/{resourceGroup}/{registry}/heal',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: healRegistry,
});
