// Accepting a replica operation, whichever channel asks (REST or chat): one operation per replica, the
// same preflight against ARM, the request audited before anything changes, then the orchestration. Of
// requests that race to start the same replica's operation, the one whose start took is recorded as
// accepted (by the orchestration it started) and every other as refused, naming the one that won.
import { randomUUID } from 'node:crypto';

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
  const requestId = randomUUID();
  const audit = (step: string, outcome: AuditOutcome, detail: Record<string, unknown> = {}): Promise<void> =>
    auditReplicaOperation(operation, instanceId, requestId, step, outcome, detail);

  if (isActive(await findOperation(client, instanceId))) {
    await audit('requested', 'refused', { refusal: 'operation-in-progress' });
    return inProgress(instanceId, 'Another operation on this replica is still running.');
  }

  const verdict = await checkReplicaRequest(
    new ReplicaGateway(armClients()),
    new AccessGateway(armClients()),
    operation,
  );
  if (!verdict.ok) {
    await audit('requested', 'refused', { refusal: verdict.refusal, detail: verdict.detail });
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
    await audit('dry-run', 'succeeded');
    return {
      outcome: 'planned',
      instanceId,
      plan: [
        'check the registry (exists, Premium), the region and the replica',
        ...describeArmActions(planArmActions(operation, verdict.replica), verdict.privateLink),
      ],
    };
  }

  // Written before anything starts: a trail that cannot take the request stops it here (503).
  await audit('received', 'progress');
  // The orchestration records `requested/accepted` as its first step, so only the request that started
  // it is accepted in the trail; whether this one did is read back from what runs under the id.
  const input: ReplicaOperationInput = { request: operation, requestId };
  const start = await startAlone(client, REPLICA_OPERATION_ORCHESTRATION, instanceId, input);
  if (start.outcome === 'started') return { outcome: 'accepted', instanceId };
  if (start.outcome === 'failed') {
    // Nothing runs under the id: the engine would not take the work. Nothing has changed; try again.
    options.warn(`starting ${instanceId} failed: ${start.reason}`);
    await audit('requested', 'failed', { reason: 'the operation could not be started' });
    throw new EngineUnavailableError(start.reason);
  }
  // Another request (or a heal) took the replica between the check above and this start.
  await audit('requested', 'refused', {
    refusal: 'operation-in-progress',
    ...(start.requestId === undefined ? {} : { startedBy: start.requestId }),
  });
  return inProgress(instanceId, 'Another operation on this replica has just started.');
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
  requestId: string,
  step: string,
  outcome: AuditOutcome,
  detail: Record<string, unknown>,
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
      detail: { requestId, ...detail },
    },
    `${instanceId}|${operation.requestedAt}|${step}|${requestId}`,
  );
}
