// The private-link permission as orchestrations handle it: check it, grant it, and wait until a grant is
// effective. Role assignments take a while to reach every ARM front end, so the wait checks soon after
// the grant and then less often (a tenth of the time waited so far), for a bounded time; replica
// operations and heals wait alike, and the wait reads only the permission, never the registry again.
import type { OrchestrationContext, Task } from 'durable-functions';

import { permissionWaitSeconds, pollDelaySeconds } from '../../domain';
import type { PollingPolicy } from '../../domain';
import { ACTIVITY_RETRY } from '../common/activityRetry';
import {
  CHECK_PERMISSION_AT_ACTIVITY,
  CHECK_PRIVATE_LINK_ACTIVITY,
  GRANT_PRIVATE_LINK_ACTIVITY,
} from './privateLink.contract';
import type {
  PermissionCheck,
  PermissionCheckInput,
  PrivateLinkCheckInput,
  PrivateLinkGrantInput,
  PrivateLinkGrantResult,
  PrivateLinkRefusal,
} from './privateLink.contract';

/** Reads the registry's private endpoints and where the app's identity lacks the permission. */
export function checkPrivateLink(context: OrchestrationContext, registryId: string): Task {
  const input: PrivateLinkCheckInput = { registryId };
  return context.df.callActivityWithRetry(CHECK_PRIVATE_LINK_ACTIVITY, ACTIVITY_RETRY, input);
}

/**
 * Grants the permission to the app's identity at each of the registry's private endpoints; yields a
 * `PrivateLinkGrantResult`, which may be a refusal.
 */
export function grantPrivateLink(
  context: OrchestrationContext,
  registryId: string,
  privateEndpoints: string[],
): Task {
  const input: PrivateLinkGrantInput = { registryId, privateEndpoints };
  return context.df.callActivityWithRetry(GRANT_PRIVATE_LINK_ACTIVITY, ACTIVITY_RETRY, input);
}

export type PermissionWait =
  { effective: true; checks: number } | { effective: false; checks: number; missingAt: string[] };

/** Checks at the endpoints until the permission is effective at all of them, or the wait's time is up. */
export function* waitUntilPermissionEffective(
  context: OrchestrationContext,
  privateEndpoints: string[],
  polling: PollingPolicy,
): Generator<unknown, PermissionWait, unknown> {
  const grantedAt = context.df.currentUtcDateTime.getTime();
  let missingAt = privateEndpoints;
  for (let checks = 1; ; checks += 1) {
    const input: PermissionCheckInput = { privateEndpoints: missingAt };
    const check = (yield context.df.callActivityWithRetry(
      CHECK_PERMISSION_AT_ACTIVITY,
      ACTIVITY_RETRY,
      input,
    )) as PermissionCheck;
    missingAt = check.missingAt;
    if (missingAt.length === 0) return { effective: true, checks };
    const waited = (context.df.currentUtcDateTime.getTime() - grantedAt) / 1000;
    const delay = pollDelaySeconds(waited, polling);
    if (waited + delay > permissionWaitSeconds(polling)) return { effective: false, checks, missingAt };
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + delay * 1000));
  }
}

/** Whether the grant activity refused, and assigned nothing. */
export function isGrantRefused(result: PrivateLinkGrantResult): result is PrivateLinkRefusal {
  return 'refused' in result;
}

/** A refused grant as the audit trail records it. */
export function refusalDetail(refusal: PrivateLinkRefusal, missingAt: string[]): Record<string, unknown> {
  return {
    refusal: refusal.refused,
    reason: refusal.reason,
    ...(refusal.roleDefinitionId === undefined ? {} : { roleDefinitionId: refusal.roleDefinitionId }),
    ...(refusal.problems === undefined ? {} : { problems: refusal.problems }),
    missingAt,
  };
}
