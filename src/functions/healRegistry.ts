// POST /api/registries/{subscriptionId}/{resourceGroup}/{registry}/heal[?dryRun=true]: a sweep of one
// registry now — scan its replicas, confirm suspects, heal them within the registry's policy.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { sweepRequest } from '../app/healing/healing.useCases';
import { armClients } from '../azure/armClients';
import { ReplicaGateway } from '../azure/replicas';
import type { ValidationError } from '../domain';
import { collectErrors, formatRegistryId, isPremium, ValidationErrors } from '../domain';
import { callerOf } from '../http/caller';
import { readDryRunQuery } from '../http/dryRun';
import { toProblemResponse } from '../http/handler';
import { problem, problemResponse } from '../http/problem';
import { requestQuery } from '../http/queryParameters';
import { auditRefusal, refusedTarget } from '../http/refusalAudit';
import { readBodyWithin } from '../http/requestBody';
import { NO_BODY_LIMIT_BYTES } from '../http/requestLimits';
import { notFound, outOfScope, registryFromRoute } from '../http/registryRoute';
import { startSweepAnswer } from '../http/sweepAnswer';

export const HEAL_REGISTRY_FUNCTION = 'healRegistry';

export async function healRegistry(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  // A sweep that is still running is audited as refused where the sweep is requested; every other
  // refusal is audited here.
  const refused = (answer: HttpResponseInit): Promise<HttpResponseInit> =>
    auditRefusal(request, context, 'sweep', refusedTarget(request), answer);
  try {
    await readBodyWithin(request, NO_BODY_LIMIT_BYTES);
    const query = requestQuery(request);
    const errors: ValidationError[] = [];
    const dryRun = readDryRunQuery(query, errors);
    const registry = collectErrors(errors, undefined, () => registryFromRoute(request));
    if (errors.length > 0 || registry === undefined) throw new ValidationErrors(errors);

    const outside = outOfScope(registry);
    if (outside !== undefined) return await refused(outside);
    const view = await new ReplicaGateway(armClients()).getRegistry(registry);
    if (view === undefined) return await refused(notFound(registry));
    if (!isPremium(view)) {
      return await refused(
        problemResponse(
          problem(422, 'not-premium', `Registry ${view.name} is ${view.sku}: it has no replicas to heal.`),
        ),
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
    return refused(toProblemResponse(error, context));
  }
}

app.http(HEAL_REGISTRY_FUNCTION, {
  route: 'registries/{subscriptionId}/{resourceGroup}/{registry}/heal',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: healRegistry,
});
