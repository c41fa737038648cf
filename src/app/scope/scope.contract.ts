// Names and shapes of the scope check: before an orchestration writes to ARM, it asks whether the
// registry is still one the app looks after (REGISTRY_SCOPE), since its input may not have come through
// the REST or chat checks.

/** Input `ScopeCheckInput`; output `ScopeVerdict`. */
export const CHECK_SCOPE_ACTIVITY = 'scopeCheck';

export interface ScopeCheckInput {
  /** A registry's resource id, or a replica's (its registry is checked). */
  resourceId: string;
}

export type ScopeVerdict = { inScope: true } | { inScope: false; reason: string };
