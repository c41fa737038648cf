// Everything route handlers work with. `state` and `rbac` are replaced on reset, so handlers read them
// from the context on every request instead of keeping references.
import type { Clock } from './clock';
import type { FaultBook } from './faults';
import type { RbacModel } from './rbac';
import type { LifecycleEnv } from './replicaLifecycle';
import type { SandboxState } from './state';
import type { Principal, ProvisioningTimings } from './types';

export interface SandboxConfig {
  pageSize: number;
  timings: ProvisioningTimings;
  /** Unscaled seconds. */
  recreateBlockSeconds: number;
}

export interface SandboxContext {
  state: SandboxState;
  rbac: RbacModel;
  clock: Clock;
  faults: FaultBook;
  config: SandboxConfig;
}

/** Throws ARM's 403 unless the principal may perform `action` at `scope`. */
export function authorize(ctx: SandboxContext, principal: Principal, scope: string, action: string): void {
  ctx.rbac.authorize(principal.objectId, scope, action);
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
