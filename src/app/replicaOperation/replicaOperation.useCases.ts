// Accepting a replica operation, whichever channel asks (REST or chat): one operation per replica, the
// same preflight against ARM, the request audited before anything changes, then the orchestration.
import type { DurableClient } from 'durable-functions';

import { AccessGateway } from '../../azure/access';
import { armClients } from '../../azure/armClients';
import { auditStore } from '../../azure/auditStoreFactory';
import { ReplicaGateway } from '../../azure/replicas';
import { describeArmActions, planArmActions, replicaInstanceId } from '../../domain';
import type { AuditOutcome, ReplicaId, ReplicaOperationRequest } from '../../domain';
import {
  EngineUnavailableError,
  findOperation,
  isActive,
  operationUrl,
  startAlone,
} from '../operations/operations.useCases';
import { checkReplicaRequest } from './preflight';
import { REPLICA_OPERATION_ORCHESTRATION } from './replicaOperation.contract';
import type { ReplicaOperationInput } from './replicaOperation.contract';

export type ReplicaOperationAcceptance =
  | { outcome: 'accepted'; instanceId: string }
  | { outcome: 'planned'; instanceId: string; plan: string[] }
  | {
      outcome: 'refused';
      instanceId: string;
      status: number;
      refusal: string;
      detail: string;
      extensions?: Record<string, unknown>;
    };

/**
 * Runs the checks and, unless it is a dry run, starts the orchestration. Refusals are audited and
 * returned; an audit trail that cannot be written throws, and then nothing has started, as does an
 * engine that cannot be reached (EngineUnavailableError).
 */
export async function acceptReplicaOperation(
  client: DurableClient,
  operation: ReplicaOperationRequest,
  replica: ReplicaId,
  options: { dryRun: boolean; warn: (message: string) => void },
): Promise<ReplicaOperationAcceptance> {
  const instanceId = replicaInstanceId(replica);
  if (isActive(await findOperation(client, instanceId))) {
    await auditReplicaOperation(operation, instanceId, 'requested', 'refused', {
      refusal: 'operation-in-progress',
    });
    return inProgress(instanceId, 'Another operation on this replica is still running.');
  }

  const verdict = await checkReplicaRequest(
    new ReplicaGateway(armClients()),
    new AccessGateway(armClients()),
    operation,
  );
  if (!verdict.ok) {
    await auditReplicaOperation(operation, instanceId, 'requested', 'refused', {
      refusal: verdict.refusal,
      detail: verdict.detail,
    });
    return {
      outcome: 'refused',
      instanceId,
      status: verdict.status,
      refusal: verdict.refusal,
      detail: verdict.detail,
      ...(verdict.extensions === undefined ? {} : { extensions: verdict.extensions }),
    };
  }
  if (options.dryRun) {
    await auditReplicaOperation(operation, instanceId, 'dry-run', 'succeeded');
    return {
      outcome: 'planned',
      instanceId,
      plan: [
        'check the registry (exists, Premium), the region and the replica',
        ...describeArmActions(planArmActions(operation, verdict.replica), verdict.privateLink),
      ],
    };
  }

  await auditReplicaOperation(operation, instanceId, 'requested', 'accepted');
  const input: ReplicaOperationInput = { request: operation };
  const start = await startAlone(client, REPLICA_OPERATION_ORCHESTRATION, instanceId, input);
  if (start.outcome === 'busy') {
    // Another request (or a heal) took the replica between the check above and this start.
    await auditReplicaOperation(operation, instanceId, 'start', 'refused', {
      refusal: 'operation-in-progress',
    });
    return inProgress(instanceId, 'Another operation on this replica has just started.');
  }
  if (start.outcome === 'failed') {
    // Nothing runs under the id: the engine would not take the work. Nothing has changed; try again.
    options.warn(`starting ${instanceId} failed: ${start.reason}`);
    await auditReplicaOperation(operation, instanceId, 'start', 'failed', {
      reason: start.reason.slice(0, 500),
    });
    throw new EngineUnavailableError(start.reason);
  }
  return { outcome: 'accepted', instanceId };
}

function inProgress(instanceId: string, detail: string): ReplicaOperationAcceptance {
  return {
    outcome: 'refused',
    instanceId,
    status: 409,
    refusal: 'operation-in-progress',
    detail,
    extensions: { operationId: instanceId, operationLocation: operationUrl(instanceId) },
  };
}

async function auditReplicaOperation(
  operation: ReplicaOperationRequest,
  instanceId: string,
  step: string,
  outcome: AuditOutcome,
  detail?: Record<string, unknown>,
): Promise<void> {
  await auditStore().append(
    {
      time: operation.requestedAt,
      actor: operation.actor,
      channel: operation.channel,
      operation: operation.kind,
      target: operation.replicaId,
      instanceId,
      step,
      outcome,
      ...(detail === undefined ? {} : { detail }),
    },
    `${instanceId}|${operation.requestedAt}|${step}`,
  );
}
