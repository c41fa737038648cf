// Everything route handlers work with. `state` and `rbac` are replaced on reset, so handlers read them
// from the context on every request instead of keeping references.
import { authorizationFailed } from './armErrors';
import type { Clock } from './clock';
import type { FaultBook } from './faults';
import type { LifecycleEnv } from './replicaLifecycle';
import type { SandboxState } from './state';
import type { Principal, ProvisioningTimings } from './types';

/** The part of the RBAC model that ARM operations consult. */
export interface PermissionModel {
  isAllowed(principalId: string, scope: string, action: string): boolean;
}

export interface SandboxConfig {
  pageSize: number;
  timings: ProvisioningTimings;
  /** Unscaled seconds. */
  recreateBlockSeconds: number;
}

export interface SandboxContext {
  state: SandboxState;
  rbac: PermissionModel;
  clock: Clock;
  faults: FaultBook;
  config: SandboxConfig;
}

/** Throws ARM's 403 unless the principal may perform `action` at `scope`. */
export function authorize(ctx: SandboxContext, principal: Principal, scope: string, action: string): void {
  if (!ctx.rbac.isAllowed(principal.objectId, scope, action)) throw authorizationFailed(principal.objectId, action, scope);
}

export function lifecycleEnv(ctx: SandboxContext): LifecycleEnv {
  return {
    operations: ctx.state.operations,
    clock: ctx.clock,
    timings: ctx.config.timings,
    isAllowed: (principalId, scope, action) => ctx.rbac.isAllowed(principalId, scope, action),
    takeReplicationFailure: (registryId, location) => ctx.faults.takeReplicationFailure(registryId, location),
  };
}
