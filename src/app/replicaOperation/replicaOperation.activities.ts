// Activities of a replica operation: each does one side effect, may run more than once, and is safe to.
import { RestError } from '@azure/core-rest-pipeline';
import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

import { AccessGateway } from '../../azure/access';
import { armClients } from '../../azure/armClients';
import { ReplicaGateway } from '../../azure/replicas';
import { parseReplicaId } from '../../domain';
import type { ArmAction, ReplicaId, ReplicaOperationRequest, ReplicaView } from '../../domain';
import { scopeVerdict } from '../scope/scopeGuard';
import { checkReplicaRequest } from './preflight';
import {
  PREFLIGHT_ACTIVITY,
  READ_REPLICA_ACTIVITY,
  START_ARM_OPERATION_ACTIVITY,
} from './replicaOperation.contract';
import type {
  PreflightVerdict,
  ReplicaSnapshot,
  StartArmAction,
  StartArmResult,
} from './replicaOperation.contract';

function gateway(): ReplicaGateway {
  return new ReplicaGateway(armClients());
}

export const preflight: ActivityHandler = async (
  request: ReplicaOperationRequest,
): Promise<PreflightVerdict> => checkReplicaRequest(gateway(), new AccessGateway(armClients()), request);

/**
 * Starts one ARM write and returns as soon as ARM accepted it. It may run again after a lost answer: a
 * conflict then means our own earlier attempt is already under way, which counts as started. A conflict
 * that says when to try again (ARM holds a deleted replica's name for a while) is answered with that
 * wait, for the orchestration to keep with a durable timer; anything else fails the activity. A replica
 * outside REGISTRY_SCOPE is refused before ARM is called, whatever the orchestration checked.
 */
export const startArmOperation: ActivityHandler = async ({
  replicaId,
  action,
}: StartArmAction): Promise<StartArmResult> => {
  const scope = scopeVerdict(replicaId);
  if (!scope.inScope) return { started: false, refusal: 'out-of-scope', reason: scope.reason };
  const replica = parseReplicaId(replicaId);
  const replicas = gateway();
  try {
    await startWrite(replicas, replica, action);
  } catch (error) {
    if (!isConflict(error)) throw error;
    // A refusal that says when to try again has started nothing, ours or another's: no need to look.
    const retryAfterSeconds = retryAfterOf(error);
    if (retryAfterSeconds !== undefined) {
      return { started: false, retryAfterSeconds, reason: error.message.split('\n')[0] ?? error.message };
    }
    if (alreadyUnderWay(action, await replicas.getReplica(replica))) return { started: true };
    throw error;
  }
  return { started: true };
};

/** How long a refusal says to wait: its Retry-After header, else "retry after N seconds" in its message. */
function retryAfterOf(error: RestError): number | undefined {
  const header = Number(error.response?.headers.get('retry-after'));
  if (Number.isFinite(header) && header > 0) return header;
  const said = /retry after (\d+) seconds?/i.exec(error.message)?.[1];
  return said === undefined ? undefined : Number(said);
}

async function startWrite(replicas: ReplicaGateway, replica: ReplicaId, action: ArmAction): Promise<void> {
  switch (action.kind) {
    case 'create':
      await replicas.startCreate(replica, action.location, action.settings);
      return;
    case 'update':
      await replicas.startUpdate(replica, {
        ...(action.regionEndpointEnabled === undefined
          ? {}
          : { regionEndpointEnabled: action.regionEndpointEnabled }),
        ...(action.tags === undefined ? {} : { tags: action.tags }),
      });
      return;
    case 'delete':
      await replicas.startDelete(replica);
      return;
  }
}

const UNDER_WAY: Record<ArmAction['kind'], string[]> = {
  create: ['creating', 'succeeded'],
  update: ['updating'],
  delete: ['deleting'],
};

function alreadyUnderWay(action: ArmAction, current: ReplicaView | undefined): boolean {
  if (current === undefined) return action.kind === 'delete';
  return UNDER_WAY[action.kind].includes(current.provisioningState.toLowerCase());
}

function isConflict(error: unknown): error is RestError {
  return error instanceof RestError && error.statusCode === 409;
}

export const readReplica: ActivityHandler = async (replicaId: string): Promise<ReplicaSnapshot> => {
  const view = await gateway().getReplica(parseReplicaId(replicaId));
  if (view === undefined) return { exists: false };
  return {
    exists: true,
    provisioningState: view.provisioningState,
    ...(view.displayStatus === undefined ? {} : { displayStatus: view.displayStatus }),
    ...(view.statusMessage === undefined ? {} : { statusMessage: view.statusMessage }),
  };
};

df.app.activity(PREFLIGHT_ACTIVITY, { handler: preflight });
df.app.activity(START_ARM_OPERATION_ACTIVITY, { handler: startArmOperation });
df.app.activity(READ_REPLICA_ACTIVITY, { handler: readReplica });
