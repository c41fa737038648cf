// POST, PATCH and DELETE of replicas, and GET /api/operations/{id}: validate, check against ARM, keep
// one operation per replica, audit the request before anything changes, then start the orchestration.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { findOperation, operationUrl } from '../app/operations/operations.useCases';
import { acceptReplicaOperation } from '../app/replicaOperation/replicaOperation.useCases';
import { pollingPolicy } from '../config/settings';
import {
  ValidationErrors,
  collectErrors,
  formatReplicaId,
  parseCreateReplicaRequest,
  parseOperationId,
  parseUpdateReplicaRequest,
  replicaId,
} from '../domain';
import type { ReplicaId, ReplicaOperationKind, ReplicaOperationRequest, ValidationError } from '../domain';
import { callerOf } from '../http/caller';
import { readDryRunQuery } from '../http/dryRun';
import { toProblemResponse } from '../http/handler';
import { problem, problemResponse } from '../http/problem';
import { requestQuery } from '../http/queryParameters';
import { auditRefusal, refusedTarget } from '../http/refusalAudit';
import { outOfScope, registryFromRoute } from '../http/registryRoute';
import { readBodyWithin, readJsonBody } from '../http/requestBody';
import { admitBodylessRequest, NO_BODY_LIMIT_BYTES, REPLICA_BODY_LIMIT_BYTES } from '../http/requestLimits';

export const CREATE_REPLICA_FUNCTION = 'createReplica';
export const UPDATE_REPLICA_FUNCTION = 'updateReplica';
export const DELETE_REPLICA_FUNCTION = 'deleteReplica';
export const GET_OPERATION_FUNCTION = 'getOperation';

export function replicaOperationHandler(kind: ReplicaOperationKind) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const refused = (answer: HttpResponseInit): Promise<HttpResponseInit> =>
      auditRefusal(request, context, kind, refusedTarget(request), answer);
    try {
      const { operation, replica, dryRun } = await readOperation(kind, request);
      const outside = outOfScope(registryFromRoute(request));
      if (outside !== undefined) return await refused(outside);
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
      // Refusals the use case returns are audited there; these are the ones raised before or around it.
      return refused(toProblemResponse(error, context));
    }
  };
}

/**
 * Reads the route, the query and the body (within its limit, in JSON), and reports every bad field of
 * all three at once.
 */
async function readOperation(
  kind: ReplicaOperationKind,
  request: HttpRequest,
): Promise<{ operation: ReplicaOperationRequest; replica: ReplicaId; dryRun: boolean }> {
  const body =
    kind === 'delete'
      ? await readBodyWithin(request, NO_BODY_LIMIT_BYTES)
      : await readJsonBody(request, REPLICA_BODY_LIMIT_BYTES);
  const query = requestQuery(request);
  const errors: ValidationError[] = [];
  const dryRun = readDryRunQuery(query, errors);
  const registry = collectErrors(errors, undefined, () => registryFromRoute(request));
  const created =
    kind === 'create' ? collectErrors(errors, undefined, () => parseCreateReplicaRequest(body)) : undefined;
  const update =
    kind === 'update' ? collectErrors(errors, undefined, () => parseUpdateReplicaRequest(body)) : undefined;
  const name = kind === 'create' ? created?.name : (request.params.replica ?? '');
  const replica =
    registry === undefined || name === undefined
      ? undefined
      : collectErrors(errors, undefined, () => replicaId(registry, name));
  // Each undefined above left an error behind, so this throws whenever one of them is missing.
  if (errors.length > 0 || replica === undefined) throw new ValidationErrors(errors);

  const operation: ReplicaOperationRequest = {
    kind,
    actor: callerOf(request),
    channel: 'api',
    requestedAt: new Date().toISOString(),
    polling: pollingPolicy(),
    replicaId: formatReplicaId(replica),
    ...(created === undefined ? {} : { location: created.location, settings: created.settings }),
    ...(update === undefined ? {} : { update }),
  };
  return { operation, replica, dryRun };
}

export async function getOperation(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  try {
    await admitBodylessRequest(request);
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
