// The private-link permission as orchestrations handle it: check it, grant it, and wait until a grant is
// effective. Role assignments take a while to reach every ARM front end, so the wait re-checks with
// durable timers and backoff, a bounded number of times; replica operations and heals wait alike.
import type { OrchestrationContext, Task } from 'durable-functions';

import { PERMISSION_CHECKS, pollDelaySeconds } from '../../domain';
import type { PollingPolicy } from '../../domain';
import { ACTIVITY_RETRY } from '../common/activityRetry';
import { CHECK_PRIVATE_LINK_ACTIVITY, GRANT_PRIVATE_LINK_ACTIVITY } from './privateLink.contract';
import type {
  PrivateLinkCheck,
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

/** Checks until the permission is effective everywhere, at most PERMISSION_CHECKS times. */
export function* waitUntilPermissionEffective(
  context: OrchestrationContext,
  registryId: string,
  polling: PollingPolicy,
): Generator<unknown, PermissionWait, unknown> {
  for (let checks = 1; ; checks += 1) {
    const access = (yield checkPrivateLink(context, registryId)) as PrivateLinkCheck;
    if (access.missingAt.length === 0) return { effective: true, checks };
    if (checks >= PERMISSION_CHECKS) return { effective: false, checks, missingAt: access.missingAt };
    const seconds = pollDelaySeconds(checks - 1, polling);
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + seconds * 1000));
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
