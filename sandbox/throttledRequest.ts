// One authenticated ARM request against its principal's budget: the remaining-requests header every
// answer carries, or ARM's 429 with Retry-After when the bucket is empty.
import type { SandboxContext } from './context';
import { requestKind } from './throttling';
import { ArmError } from './types';
import type { Principal } from './types';

export interface Charge {
  headers: Record<string, string>;
  refusal?: ArmError;
}

/** The request's kind in ARM's messages ("Number of 'read' requests ..."). */
const SINGULAR = { reads: 'read', writes: 'write', deletes: 'delete' } as const;

export function chargeBudget(
  ctx: SandboxContext,
  principal: Principal,
  method: string,
  subscriptionId: string | undefined,
): Charge {
  if (!ctx.config.throttling) return { headers: {} };
  const kind = requestKind(method);
  const level = subscriptionId === undefined ? 'tenant' : 'subscription';
  const header = `x-ms-ratelimit-remaining-${level}-${kind}`;
  const scope = subscriptionId === undefined ? 'tenant' : `subscriptions/${subscriptionId}`;
  const draw = ctx.budget.draw(scope, principal.objectId, kind, ctx.clock.now());
  if (draw.granted) return { headers: { [header]: String(Math.floor(draw.remaining)) } };
  // Retry-After is in wall-clock seconds: the bucket refills on the virtual clock, at its speed.
  const seconds = Math.max(1, Math.ceil(draw.retryAfterVirtualMs / 1000 / ctx.clock.speed()));
  const target =
    subscriptionId === undefined ? `tenant '${ctx.state.tenantId}'` : `subscription '${subscriptionId}'`;
  const refusal = new ArmError(
    429,
    level === 'tenant' ? 'TenantRequestsThrottled' : 'SubscriptionRequestsThrottled',
    `Number of '${SINGULAR[kind]}' requests for ${target} actor '${principal.objectId}' exceeded. Please try again after '${seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
    { 'Retry-After': String(seconds) },
  );
  return { headers: { [header]: '0' }, refusal };
}
