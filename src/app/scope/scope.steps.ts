// How an orchestration asks whether a registry is still in REGISTRY_SCOPE before it writes to ARM.
import type { OrchestrationContext, Task } from 'durable-functions';

import { ACTIVITY_RETRY } from '../common/activityRetry';
import { CHECK_SCOPE_ACTIVITY } from './scope.contract';
import type { ScopeCheckInput } from './scope.contract';

/** Yields a `ScopeVerdict` for the registry of a registry or replica resource id. */
export function checkScope(context: OrchestrationContext, resourceId: string): Task {
  const input: ScopeCheckInput = { resourceId };
  return context.df.callActivityWithRetry(CHECK_SCOPE_ACTIVITY, ACTIVITY_RETRY, input);
}
