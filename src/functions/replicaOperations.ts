// POST, PATCH and DELETE of replicas, and GET /api/operations/{id}: validate, check against ARM, keep
// one operation per replica, audit the request before anything changes, then start the orchestration.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { auditRequestBestEffort } from '../app/audit/audit.useCases';
import { findOperation, operationUrl } from '../app/operations/operations.useCases';
import { acceptReplicaOperation } from '../app/replicaOperation/replicaOperation.useCases';
import { pollingPolicy } from '../config/settings';
import {
  ValidationError,
  fieldErrorsOf,
  formatRegistryId,
  formatReplicaId,
  parseCreateReplicaRequest,
  parseOperationId,
  parseUpdateReplicaRequest,
  replicaId,
} from '../domain';
import type { ReplicaId, ReplicaOperationKind, ReplicaOperationRequest } from '../domain';
import { callerOf } from '../http/caller';
import { toProblemResponse } from '../http/handler';
import { parseDryRun } from '../http/dryRun';
import { problem, problemResponse } from '../http/problem';
import { outOfScope, registryFromRoute } from '../http/registryRoute';

export const CREATE_REPLICA_FUNCTION = 'createReplica';
export const UPDATE_REPLICA_FUNCTION = 'updateReplica';
export const DELETE_REPLICA_FUNCTION = 'deleteReplica';
export const GET_OPERATION_FUNCTION = 'getOperation';

export function replicaOperationHandler(kind: ReplicaOperationKind) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    try {
      const { operation, replica } = await readOperation(kind, request);
      const outside = outOfScope(registryFromRoute(request));
      if (outside !== undefined) {
        await auditRefusedRequest(kind, request, context, { status: 403, refusal: 'out-of-scope' });
        return outside;
      }
      const dryRun = parseDryRun(request);
      const answer = await acceptReplicaOperation(df.getClient(context), operation, replica, {
        dryRun,
        warn: (message) => context.warn(message),
      });
      if (answer.outcome === 'refused') {
        return problemResponse(problem(answer.status, answer.refusal, answer.detail, answer.extensions));
      }
      if (answer.outcome === 'planned') {
        return {
          status: 200,
          jsonBody: { dryRun: true, operation: kind, target: operation.replicaId, plan: answer.plan },
        };
      }
      const { instanceId } = answer;
      return {
        status: 202,
        headers: { location: operationUrl(instanceId), 'retry-after': '10' },
        jsonBody: {
          operationId: instanceId,
          operation: kind,
          target: operation.replicaId,
          status: operationUrl(instanceId),
        },
      };
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (fields !== undefined)
        await auditRefusedRequest(kind, request, context, { status: 400, errors: fields });
      return toProblemResponse(error, context);
    }
  };
}

/** The registry a request names when its route is valid, else the path it asked for. */
function targetOf(request: HttpRequest): string {
  try {
    return formatRegistryId(registryFromRoute(request));
  } catch {
    return new URL(request.url).pathname.slice(0, 512);
  }
}

/**
 * Requests refused before they name a valid replica are audited too, against the path they asked for.
 * Best effort: nothing changes either way, and the caller should learn what was wrong with the request
 * even when the audit trail is down.
 */
async function auditRefusedRequest(
  kind: ReplicaOperationKind,
  request: HttpRequest,
  context: InvocationContext,
  detail: Record<string, unknown>,
): Promise<void> {
  const target = targetOf(request);
  await auditRequestBestEffort(
    {
      actor: callerOf(request),
      channel: 'api',
      operation: kind,
      target,
      step: 'requested',
      outcome: 'refused',
      detail,
    },
    `refused|${target}`,
    'a refused request',
    (message) => context.warn(message),
  );
}

async function readOperation(
  kind: ReplicaOperationKind,
  request: HttpRequest,
): Promise<{ operation: ReplicaOperationRequest; replica: ReplicaId }> {
  const registry = registryFromRoute(request);
  const base = {
    kind,
    actor: callerOf(request),
    channel: 'api' as const,
    requestedAt: new Date().toISOString(),
    polling: pollingPolicy(),
  };
  if (kind === 'create') {
    const body = parseCreateReplicaRequest(await readJson(request));
    const replica = replicaId(registry, body.name);
    const operation = {
      ...base,
      replicaId: formatReplicaId(replica),
      location: body.location,
      settings: body.settings,
    };
    return { operation, replica };
  }
  const replica = replicaId(registry, request.params.replica ?? '');
  const update = kind === 'update' ? { update: parseUpdateReplicaRequest(await readJson(request)) } : {};
  return { operation: { ...base, replicaId: formatReplicaId(replica), ...update }, replica };
}

async function readJson(request: HttpRequest): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') throw new ValidationError('body', 'a JSON object is required');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('body', 'the body is not valid JSON');
  }
}

export async function getOperation(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  try {
    const id = parseOperationId(request.params.id);
    const status = await findOperation(df.getClient(context), id);
    if (status === undefined)
      return problemResponse(problem(404, 'operation-not-found', `No operation ${id}.`));
    const custom = (status.customStatus ?? {}) as Record<string, unknown>;
    return {
      status: 200,
      headers: { 'cache-control': 'no-store' },
      jsonBody: {
        operationId: id,
        runtimeStatus: status.runtimeStatus,
        ...custom,
        createdTime: status.createdTime,
        lastUpdatedTime: status.lastUpdatedTime,
        ...(status.output === undefined || status.output === null ? {} : { result: status.output }),
      },
    };
  } catch (error) {
    return toProblemResponse(error, context);
  }
}

const clientInput = df.input.durableClient();
const replicaRoute = 'registries/{subscriptionId}/{resourceGroup}/{registry}/replicas';

app.http(CREATE_REPLICA_FUNCTION, {
  route: replicaRoute,
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [clientInput],
  handler: replicaOperationHandler('create'),
});
app.http(UPDATE_REPLICA_FUNCTION, {
  route: `${replicaRoute}/{replica}`,
  methods: ['PATCH'],
  authLevel: 'function',
  extraInputs: [clientInput],
  handler: replicaOperationHandler('update'),
});
app.http(DELETE_REPLICA_FUNCTION, {
  route: `${replicaRoute}/{replica}`,
  methods: ['DELETE'],
  authLevel: 'function',
  extraInputs: [clientInput],
  handler: replicaOperationHandler('delete'),
});
app.http(GET_OPERATION_FUNCTION, {
  route: 'operations/{id}',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [clientInput],
  handler: getOperation,
});
