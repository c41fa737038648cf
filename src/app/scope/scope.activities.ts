// The scope check as an activity: orchestrations cannot read settings (they replay), so they ask here.
import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

import { CHECK_SCOPE_ACTIVITY } from './scope.contract';
import type { ScopeCheckInput, ScopeVerdict } from './scope.contract';
import { scopeVerdict } from './scopeGuard';

export const checkScope: ActivityHandler = (input: ScopeCheckInput): ScopeVerdict =>
  scopeVerdict(input.resourceId);

df.app.activity(CHECK_SCOPE_ACTIVITY, { handler: checkScope });
