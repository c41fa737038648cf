// Names and shapes of the replica operation (create, update or delete one replica) and its activities,
// shared by the registrations, the use case that starts it and the orchestration that calls them.
import type { ArmAction, PrivateLinkPlan, RegistryView, ReplicaView } from '../../domain';

export type { OperationResult, ReplicaOperationInput } from '../../domain';

/** Input `ReplicaOperationInput`; output `OperationResult` (undefined for a generation that continued as new). */
export const REPLICA_OPERATION_ORCHESTRATION = 'replicaOperation';

/** Input a `ReplicaOperationRequest`; output `PreflightVerdict`. */
export const PREFLIGHT_ACTIVITY = 'replicaPreflight';
/** Input `StartArmAction`; output `StartArmResult`. */
export const START_ARM_OPERATION_ACTIVITY = 'replicaStartArmOperation';
/** Input the replica's resource id; output `ReplicaSnapshot`. */
export const READ_REPLICA_ACTIVITY = 'replicaRead';

export type PreflightRefusal =
  | 'out-of-scope'
  | 'registry-not-found'
  | 'replica-not-found'
  | 'replica-exists'
  | 'not-premium'
  | 'home-region'
  | 'region-not-offered'
  | 'missing-private-link-permission';

export type PreflightVerdict =
  | { ok: true; registry: RegistryView; replica?: ReplicaView; privateLink?: PrivateLinkPlan }
  | {
      ok: false;
      status: 403 | 404 | 409 | 422;
      refusal: PreflightRefusal;
      detail: string;
      extensions?: Record<string, unknown>;
    };

export interface StartArmAction {
  replicaId: string;
  action: ArmAction;
}

/**
 * ARM accepted the write; or refused it for now and said for how long (it holds a deleted replica's name
 * for a while before it can be created again), so the operation waits exactly that long; or the activity
 * refused it without calling ARM.
 */
export type StartArmResult =
  | { started: true }
  | { started: false; retryAfterSeconds: number; reason: string }
  | { started: false; refusal: 'out-of-scope'; reason: string };

export interface ReplicaSnapshot {
  exists: boolean;
  provisioningState?: string;
  displayStatus?: string;
  statusMessage?: string;
}
