// A registry's desired replica set over REST: GET, PUT and DELETE the declaration (versioned, with an
// ETag), its history, its plan against ARM now, an apply (or a dry run of one), and an import of what the
// registry has now. Each handler validates its input, checks the scope and the preconditions, calls a use
// case and shapes the answer; every refusal is audited.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import {
  declarationHistory,
  declareReplicaSet,
  importReplicaSet,
  readDeclaration,
  removeReplicaSet,
} from '../app/desiredReplicas/declarations.useCases';
import type { DeclarationWrite, Refusal, Requester } from '../app/desiredReplicas/declarations.useCases';
import { requestApply, showPlan } from '../app/desiredReplicas/desiredReplicas.useCases';
import { auditRequestBestEffort } from '../app/audit/audit.useCases';
import { APPLY_OPERATION, DECLARATION_OPERATION } from '../app/desiredReplicas/desiredReplicas.contract';
import { operationUrl } from '../app/operations/operations.useCases';
import { DeclarationStoreUnavailableError } from '../azure/desiredReplicaStore';
import {
  collectErrors,
  fieldErrorsOf,
  formatRegistryId,
  parseDesiredReplicaSet,
  parseImportOptions,
  throwIfAny,
  ValidationError,
} from '../domain';
import type { RegistryId, WritePrecondition } from '../domain';
import { callerOf } from '../http/caller';
import { toProblemResponse } from '../http/handler';
import { PayloadTooLargeError, UnsupportedMediaTypeError, readJsonBody } from '../http/requestBody';
import { writePreconditionOf } from '../http/preconditions';
import { problem, problemResponse } from '../http/problem';
import { requestQuery, unknownParameterErrors } from '../http/queryParameters';
import { outOfScope, registryFromRoute } from '../http/registryRoute';

export const GET_DESIRED_REPLICAS_FUNCTION = 'getDesiredReplicas';
export const PUT_DESIRED_REPLICAS_FUNCTION = 'putDesiredReplicas';
export const DELETE_DESIRED_REPLICAS_FUNCTION = 'deleteDesiredReplicas';
export const DESIRED_REPLICAS_HISTORY_FUNCTION = 'desiredReplicasHistory';
export const PLAN_DESIRED_REPLICAS_FUNCTION = 'planDesiredReplicas';
export const APPLY_DESIRED_REPLICAS_FUNCTION = 'applyDesiredReplicas';
export const IMPORT_DESIRED_REPLICAS_FUNCTION = 'importDesiredReplicas';

/** A declaration of every Azure region with a full set of tags each still fits well within this. */
export const MAX_DECLARATION_BYTES = 32 * 1024;
const MAX_IMPORT_BYTES = 1024;

/** What a handler does once the registry is valid and in scope. */
type Handler = (
  request: HttpRequest,
  registry: RegistryId,
  requester: Requester,
  context: InvocationContext,
) => Promise<HttpResponseInit>;

/**
 * The steps every route shares: the registry from the route, no query parameters but `allowed`, the
 * scope, then the handler; refusals at any step are audited (best effort) and answered as problems.
 */
function route(operation: string, step: string, allowed: readonly string[], handler: Handler) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const requester: Requester = {
      actor: callerOf(request),
      channel: 'api',
      warn: (message) => context.warn(message),
    };
    try {
      const errors = unknownParameterErrors(requestQuery(request), allowed);
      const registry = collectErrors<RegistryId | undefined>(errors, undefined, () =>
        registryFromRoute(request),
      );
      throwIfAny(errors);
      const id = registry as RegistryId;
      const outside = outOfScope(id);
      if (outside !== undefined) {
        await auditEdgeRefusal(request, operation, step, requester, { status: 403, refusal: 'out-of-scope' });
        return outside;
      }
      return await handler(request, id, requester, context);
    } catch (error) {
      const refusal = edgeRefusal(error);
      if (refusal !== undefined) await auditEdgeRefusal(request, operation, step, requester, refusal.audit);
      return refusal?.response ?? toProblemResponse(error, context);
    }
  };
}

/** A write without a precondition where one is required (428). */
class PreconditionRequiredError extends Error {}

/**
 * Answers for input that never reached a use case, with what the audit trail records of them: invalid
 * (400), too large (413), without a required precondition (428); and the declarations table being down.
 */
function edgeRefusal(
  error: unknown,
): { response?: HttpResponseInit; audit: Record<string, unknown> } | undefined {
  const fields = fieldErrorsOf(error);
  // The shared problem shape answers these; only the audit detail is made here.
  if (fields !== undefined) return { audit: { status: 400, errors: fields } };
  if (error instanceof PayloadTooLargeError) {
    return { audit: { status: 413, refusal: 'payload-too-large', limitBytes: error.limitBytes } };
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return { audit: { status: 415, refusal: 'unsupported-media-type' } };
  }
  if (error instanceof PreconditionRequiredError) {
    return {
      response: problemResponse(problem(428, 'precondition-required', error.message)),
      audit: { status: 428, refusal: 'precondition-required' },
    };
  }
  if (error instanceof DeclarationStoreUnavailableError) {
    return {
      response: problemResponse(
        problem(
          503,
          'declarations-unavailable',
          'The desired replica sets cannot be read or written just now; nothing was changed. Try again later.',
        ),
        { 'retry-after': '30' },
      ),
      audit: { status: 503, refusal: 'declarations-unavailable' },
    };
  }
  return undefined;
}

async function auditEdgeRefusal(
  request: HttpRequest,
  operation: string,
  step: string,
  requester: Requester,
  detail: Record<string, unknown>,
): Promise<void> {
  const target = targetOf(request);
  await auditRequestBestEffort(
    { actor: requester.actor, channel: 'api', operation, target, step, outcome: 'refused', detail },
    `refused|${target}`,
    'a refused request',
    requester.warn,
  );
}

/** The registry a request names when its route is valid, else the path it asked for. */
function targetOf(request: HttpRequest): string {
  try {
    return formatRegistryId(registryFromRoute(request));
  } catch {
    return new URL(request.url).pathname.slice(0, 512);
  }
}

function refused(answer: Refusal): HttpResponseInit {
  return problemResponse(problem(answer.status, answer.refusal, answer.detail, answer.extensions));
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'cache-control': 'no-store', ...headers } };
}

const getDeclaration: Handler = async (_request, registry, requester) => {
  const view = await readDeclaration(registry);
  if (view === undefined) {
    return refused(
      await refuseRead(registry, requester, `Registry ${registry.registryName} has no desired replica set.`),
    );
  }
  return json(200, view, { etag: view.etag });
};

/** A read that found nothing is a refusal like any other: it is audited. */
async function refuseRead(registry: RegistryId, requester: Requester, detail: string): Promise<Refusal> {
  await auditRequestBestEffort(
    {
      actor: requester.actor,
      channel: requester.channel,
      operation: DECLARATION_OPERATION,
      target: formatRegistryId(registry),
      step: 'read',
      outcome: 'refused',
      detail: { status: 404, refusal: 'declaration-not-found' },
    },
    `refused|${formatRegistryId(registry)}`,
    'a refused read',
    requester.warn,
  );
  return { outcome: 'refused', status: 404, refusal: 'declaration-not-found', detail };
}

const putDeclaration: Handler = async (request, registry, requester) => {
  const declaration = parseDesiredReplicaSet(await readJsonBody(request, MAX_DECLARATION_BYTES));
  // Without a condition a PUT only creates: replacing needs the ETag of what is replaced.
  const precondition = writePreconditionOf(request) ?? { kind: 'none-exists' };
  return written(await declareReplicaSet(registry, declaration, precondition, requester), request);
};

const importDeclaration: Handler = async (request, registry, requester) => {
  const options = parseImportOptions(await readJsonBody(request, MAX_IMPORT_BYTES, { required: false }));
  const precondition = writePreconditionOf(request) ?? { kind: 'none-exists' };
  return written(await importReplicaSet(registry, options, precondition, requester), request, true);
};

function written(answer: DeclarationWrite, request: HttpRequest, imported = false): HttpResponseInit {
  if (answer.outcome === 'refused') return refused(answer);
  const created = answer.outcome === 'written' && answer.created;
  const location = new URL(request.url).pathname.replace(/\/import$/, '');
  return json(created ? 201 : 200, answer.view, {
    etag: answer.view.etag,
    ...(created || imported ? { 'content-location': location } : {}),
  });
}

const deleteDeclaration: Handler = async (request, registry, requester) => {
  const precondition: WritePrecondition | undefined = writePreconditionOf(request);
  if (precondition === undefined) {
    throw new PreconditionRequiredError(
      'A delete needs If-Match with the ETag of the version it deletes (or * for whatever is there).',
    );
  }
  if (precondition.kind === 'none-exists') {
    throw new ValidationError('If-None-Match', 'a delete needs If-Match, not If-None-Match');
  }
  const answer = await removeReplicaSet(registry, precondition, requester);
  if (answer.outcome === 'refused') return refused(answer);
  return { status: 204, headers: { 'cache-control': 'no-store' } };
};

const history: Handler = async (_request, registry) => {
  const value = await declarationHistory(registry);
  return json(200, { registry: formatRegistryId(registry), value });
};

const plan: Handler = async (_request, registry, requester) => {
  const answer = await showPlan(registry, requester);
  if (answer.outcome === 'refused') return refused(answer);
  return json(200, answer.view, { etag: answer.view.etag });
};

const apply: Handler = async (request, registry, requester, context) => {
  const dryRun = dryRunOf(request);
  const answer = await requestApply(df.getClient(context), registry, requester, dryRun);
  if (answer.outcome === 'refused') return refused(answer);
  if (answer.outcome === 'planned') return json(200, { dryRun: true, ...answer.view });
  const location = operationUrl(answer.instanceId);
  return json(
    202,
    {
      operationId: answer.instanceId,
      operation: 'apply',
      target: formatRegistryId(registry),
      status: location,
    },
    { location, 'retry-after': '10' },
  );
};

/** `?dryRun`, `?dryRun=true` or `?dryRun=false`, given at most once. */
function dryRunOf(request: HttpRequest): boolean {
  const values = requestQuery(request).getAll('dryRun');
  if (values.length > 1) throw new ValidationError('dryRun', 'must be given at most once');
  const [value] = values;
  if (value === undefined || value === 'false') return false;
  if (value === '' || value === 'true') return true;
  throw new ValidationError('dryRun', 'must be true or false', value);
}

const clientInput = df.input.durableClient();
const base = 'registries/{subscriptionId}/{resourceGroup}/{registry}/desired-replicas';

app.http(GET_DESIRED_REPLICAS_FUNCTION, {
  route: base,
  methods: ['GET'],
  authLevel: 'function',
  handler: route(DECLARATION_OPERATION, 'read', [], getDeclaration),
});

app.http(PUT_DESIRED_REPLICAS_FUNCTION, {
  route: base,
  methods: ['PUT'],
  authLevel: 'function',
  handler: route(DECLARATION_OPERATION, 'put', [], putDeclaration),
});

app.http(DELETE_DESIRED_REPLICAS_FUNCTION, {
  route: base,
  methods: ['DELETE'],
  authLevel: 'function',
  handler: route(DECLARATION_OPERATION, 'delete', [], deleteDeclaration),
});

app.http(DESIRED_REPLICAS_HISTORY_FUNCTION, {
  route: `${base}/history`,
  methods: ['GET'],
  authLevel: 'function',
  handler: route(DECLARATION_OPERATION, 'history', [], history),
});

app.http(PLAN_DESIRED_REPLICAS_FUNCTION, {
  route: `${base}/plan`,
  methods: ['GET'],
  authLevel: 'function',
  handler: route(DECLARATION_OPERATION, 'plan', [], plan),
});

app.http(APPLY_DESIRED_REPLICAS_FUNCTION, {
  route: `${base}/apply`,
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [clientInput],
  handler: route(APPLY_OPERATION, 'requested', ['dryRun'], apply),
});

app.http(IMPORT_DESIRED_REPLICAS_FUNCTION, {
  route: `${base}/import`,
  methods: ['POST'],
  authLevel: 'function',
  handler: route(DECLARATION_OPERATION, 'import', [], importDeclaration),
});
