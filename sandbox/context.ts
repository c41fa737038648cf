// Everything route handlers work with. `state` and `rbac` are replaced on reset, so handlers read them
// from the context on every request instead of keeping references.
import type { Clock } from './clock';
import { createClock } from './clock';
import { FaultBook } from './faults';
import { RbacModel } from './rbac';
import type { LifecycleEnv } from './replicaLifecycle';
import { SandboxState } from './state';
import { RequestBudget } from './throttling';
import type { Principal, ProvisioningTimings } from './types';

export interface SandboxConfig {
  pageSize: number;
  timings: ProvisioningTimings;
  /** Unscaled seconds. */
  recreateBlockSeconds: number;
  /** Unscaled seconds before a role assignment made through the API takes effect. */
  rbacPropagationSeconds: number;
  /** Unscaled seconds during which a resource created through the API is missing from lists. */
  listLagSeconds: number;
  /** ARM's token buckets per principal and subscription (on unless switched off for unit tests). */
  throttling: boolean;
}

export interface SandboxContext {
  state: SandboxState;
  rbac: RbacModel;
  clock: Clock;
  faults: FaultBook;
  /** What each principal may still send, per subscription (or tenant) and kind of request. */
  budget: RequestBudget;
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
    listLagMs: ctx.config.listLagSeconds * 1000,
    isAllowed: (principalId, scope, action) => ctx.rbac.isAllowed(principalId, scope, action),
    takeReplicationFailure: (registryId, location) => ctx.faults.takeReplicationFailure(registryId, location),
  };
}

export function createSandboxContext(
  tenantId: string,
  speed: number,
  config: SandboxConfig,
  clock: Clock = createClock(speed),
): SandboxContext {
  const ctx: SandboxContext = {
    state: new SandboxState(tenantId),
    rbac: createRbac(tenantId, () => ctx.state, { clock, config }),
    clock,
    faults: new FaultBook(),
    budget: new RequestBudget(),
    config,
  };
  return ctx;
}

/** Forgets every resource, role, fault and spent budget; the clock keeps running. */
export function clearSandboxContext(ctx: SandboxContext): void {
  const tenantId = ctx.state.tenantId;
  ctx.state = new SandboxState(tenantId);
  ctx.rbac = createRbac(tenantId, () => ctx.state, ctx);
  ctx.faults.clear();
  ctx.budget.clear();
}

/** The RBAC model, told which principals exist so that it refuses assignments to unknown ones as ARM does. */
function createRbac(
  tenantId: string,
  state: () => SandboxState,
  { clock, config }: Pick<SandboxContext, 'clock' | 'config'>,
): RbacModel {
  return new RbacModel(tenantId, {
    pageSize: config.pageSize,
    directory: (objectId) => state().principal(objectId)?.type,
    clockMs: () => clock.now(),
    propagationMs: () => config.rbacPropagationSeconds * 1000,
    listLagMs: () => config.listLagSeconds * 1000,
  });
}
