// Polling endpoints of replica long-running operations, shaped as ACR serves them (recorded sessions in
// Azure/azure-cli acr/tests/latest/recordings/test_acr_create_replication.yaml):
// - Azure-AsyncOperation (create/update): .../replications/{name}/operationStatuses/{id} → 200
//   {"status": "Creating" | "Updating" | "Succeeded" | ...}, each answer with a fresh Azure-AsyncOperation
// - Location (delete, subscription scope): .../locations/{region}/operationResults/{id} → 202 with a
//   fresh Location until done, then 200 with an empty body
// Neither sends Retry-After: callers poll at their own interval.
import { CONTAINER_REGISTRY_API_VERSIONS } from './apiVersions';
import { subscriptionNotFound } from './armErrors';
import type { SandboxContext } from './context';
import { authorize, lifecycleEnv } from './context';
import { operationStatus, settleRegistry } from './replicaLifecycle';
import type { OperationStatus } from './replicaLifecycle';
import { key, replicationId, subscriptionScope } from './resourceIds';
import type { Route } from './router';
import { requireRegistry } from './registries';
import type { OperationRecord } from './state';
import { ArmError } from './types';
import type { SandboxResponse } from './types';

/**
 * ARM signs polling URLs and issues a new one with every answer (its `t` parameter is the time of
 * issue); the sandbox does the same with the virtual clock, so callers must follow the latest header.
 */
export function asyncOperationUrl(
  baseUrl: string,
  replicaId: string,
  operationId: string,
  apiVersion: string,
  ctx: SandboxContext,
): string {
  return `${baseUrl}${replicaId}/operationStatuses/${operationId}?api-version=${apiVersion}&t=${issuedAt(ctx)}`;
}

export function operationResultUrl(
  baseUrl: string,
  subscriptionId: string,
  location: string,
  operationId: string,
  apiVersion: string,
  ctx: SandboxContext,
): string {
  return `${baseUrl}/subscriptions/${subscriptionId}/providers/Microsoft.ContainerRegistry/locations/${location}/operationResults/${operationId}?api-version=${apiVersion}&t=${issuedAt(ctx)}`;
}

let issued = 0;

/**
 * .NET ticks (100 ns) of the virtual clock, the form ARM's `t` parameter takes; a count in the sub-
 * millisecond digits keeps two URLs issued within one millisecond apart.
 */
function issuedAt(ctx: SandboxContext): string {
  issued = (issued + 1) % 10_000;
  return String(BigInt(Math.floor(ctx.clock.now())) * 10_000n + 621_355_968_000_000_000n + BigInt(issued));
}

export const operationRoutes: Route[] = [
  {
    method: 'GET',
    template:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}/replications/{replicationName}/operationStatuses/{operationId}',
    operation: 'Replications_GetOperationStatus',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'registries/replications/operationStatuses',
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
        body: renderStatus(operation, status),
        headers: {
          'Azure-AsyncOperation': asyncOperationUrl(
            req.baseUrl,
            replicaId,
            operation.id,
            req.query.get('api-version') ?? operation.apiVersion,
            ctx,
          ),
        },
      };
    },
  },
  {
    method: 'GET',
    template:
      '/subscriptions/{subscriptionId}/providers/Microsoft.ContainerRegistry/locations/{location}/operationResults/{operationId}',
    operation: 'Replications_GetOperationResult',
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
    resourceType: 'locations/operationResults',
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
            Location: operationResultUrl(
              req.baseUrl,
              subscriptionId,
              params['location'] ?? operation.location,
              operation.id,
              req.query.get('api-version') ?? operation.apiVersion,
              ctx,
            ),
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

/**
 * `{"status"}` and nothing else while running or once succeeded, as recorded; a failed or canceled
 * operation also carries ARM's `error`, which SDK pollers report.
 */
function renderStatus(operation: OperationRecord, status: OperationStatus): unknown {
  if (status === 'InProgress') return { status: RUNNING_STATUS[operation.kind] };
  if (status === 'Failed' && operation.error) return { status, error: operation.error };
  if (status === 'Canceled')
    return {
      status,
      error: { code: 'OperationCanceled', message: 'The operation was canceled by a later delete.' },
    };
  return { status };
}

/** What ARM reports while an operation runs: the provisioning state it leads through. */
const RUNNING_STATUS: Record<OperationRecord['kind'], string> = {
  create: 'Creating',
  update: 'Updating',
  delete: 'Deleting',
};
