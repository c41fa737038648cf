// Polling endpoints of replica long-running operations, shaped as ACR serves them:
// - Azure-AsyncOperation (create/update): .../replications/{name}/operationStatuses/{id} → 200 {status}
// - Location (delete, subscription scope): .../locations/{region}/operationResults/{id} → 202 until done, then 200
import { CONTAINER_REGISTRY_API_VERSIONS } from './apiVersions';
import { subscriptionNotFound } from './armErrors';
import type { SandboxContext } from './context';
import { authorize, lifecycleEnv } from './context';
import { operationEndsAt, operationStatus, settleRegistry } from './replicaLifecycle';
import { key, replicationId, subscriptionScope } from './resourceIds';
import type { Route } from './router';
import { requireRegistry } from './registries';
import type { OperationRecord } from './state';
import { ArmError } from './types';
import type { SandboxResponse } from './types';

export function asyncOperationUrl(
  baseUrl: string,
  replicaId: string,
  operationId: string,
  apiVersion: string,
): string {
  return `${baseUrl}${replicaId}/operationStatuses/${operationId}?api-version=${apiVersion}`;
}

export function operationResultUrl(
  baseUrl: string,
  subscriptionId: string,
  location: string,
  operationId: string,
  apiVersion: string,
): string {
  return `${baseUrl}/subscriptions/${subscriptionId}/providers/Microsoft.ContainerRegistry/locations/${location}/operationResults/${operationId}?api-version=${apiVersion}`;
}

/** Retry-After for polling, scaled by the clock's speed (0 lets clients use their own interval). */
export function retryAfterHeader(ctx: SandboxContext): Record<string, string> {
  return { 'Retry-After': String(Math.round(ctx.config.timings.retryAfterSeconds / ctx.clock.speed())) };
}

export const operationRoutes: Route[] = [
  {
    method: 'GET',
    template:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}/replications/{replicationName}/operationStatuses/{operationId}',
    operation: 'Replications_GetOperationStatus',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    handle: (req, params, ctx) => {
      const replicaId = replicationId(
        {
          subscriptionId: params['subscriptionId'] ?? '',
          resourceGroup: params['resourceGroupName'] ?? '',
          name: params['registryName'] ?? '',
        },
        params['replicationName'] ?? '',
      );
      const registry = requireRegistry(req, params, ctx, {
        action: 'replications/operationStatuses/read',
        scope: replicaId,
      });
      const operation = findOperation(ctx, params['operationId'] ?? '');
      if (
        key(operation.registryKey) !== key(registry.id) ||
        key(operation.replicaName) !== key(params['replicationName'] ?? '')
      ) {
        throw operationNotFound(params['operationId'] ?? '');
      }
      const status = operationStatus(operation, ctx.clock.now());
      return {
        status: 200,
        body: renderStatus(operation, status, req.path, ctx),
        headers: status === 'InProgress' ? retryAfterHeader(ctx) : {},
      };
    },
  },
  {
    method: 'GET',
    template:
      '/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry/locations/{location}/operationResults/{operationId}',
    operation: 'Replications_GetOperationResult',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    handle: (req, params, ctx): SandboxResponse => {
      const subscriptionId = params['subscriptionId'] ?? '';
      if (!ctx.state.subscription(subscriptionId)) throw subscriptionNotFound(subscriptionId);
      // Checked at subscription scope: a caller without subscription read sees 403 while polling.
      authorize(
        ctx,
        req.principal,
        subscriptionScope(subscriptionId),
        'Microsoft.ContainerRegistry/locations/operationResults/read',
      );
      const operation = findOperation(ctx, params['operationId'] ?? '');
      if (key(operation.subscriptionId) !== key(subscriptionId))
        throw operationNotFound(params['operationId'] ?? '');
      const status = operationStatus(operation, ctx.clock.now());
      if (status === 'InProgress') {
        return {
          status: 202,
          headers: {
            Location: `${req.baseUrl}${req.path}?${req.query.toString()}`,
            ...retryAfterHeader(ctx),
          },
        };
      }
      const registry = ctx.state.registry(operation.registryKey);
      if (registry) settleRegistry(registry, lifecycleEnv(ctx));
      return { status: 200 };
    },
  },
];

function findOperation(ctx: SandboxContext, operationId: string): OperationRecord {
  const operation = ctx.state.operations.get(operationId.toLowerCase());
  if (!operation) throw operationNotFound(operationId);
  return operation;
}

function operationNotFound(operationId: string): ArmError {
  return new ArmError(404, 'OperationNotFound', `The operation '${operationId}' could not be found.`);
}

function renderStatus(
  operation: OperationRecord,
  status: ReturnType<typeof operationStatus>,
  path: string,
  ctx: SandboxContext,
): unknown {
  const ended = status !== 'InProgress';
  const endTime =
    status === 'Canceled' && operation.canceledAt !== undefined
      ? operation.canceledAt
      : operationEndsAt(operation);
  return {
    id: path,
    name: operation.id,
    status,
    startTime: new Date(operation.wallStartedAt).toISOString(),
    ...(ended ? { endTime: new Date(ctx.clock.wallTimeOf(endTime)).toISOString() } : {}),
    ...(status === 'Failed' && operation.error ? { error: operation.error } : {}),
    ...(status === 'Canceled'
      ? { error: { code: 'OperationCanceled', message: 'The operation was canceled by a later delete.' } }
      : {}),
  };
}
