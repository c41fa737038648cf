// Names and shapes of the activities that read and grant the private-link permission, shared by the
// orchestrations that call them and the module that implements them.

export const CHECK_PRIVATE_LINK_ACTIVITY = 'accessCheckPrivateLink';
/** Input `PermissionCheckInput`; output `PermissionCheck`. */
export const CHECK_PERMISSION_AT_ACTIVITY = 'accessCheckPermissionAt';
export const GRANT_PRIVATE_LINK_ACTIVITY = 'accessGrantPrivateLink';

export interface PrivateLinkCheckInput {
  /** The registry's resource id. */
  registryId: string;
}

export interface PrivateLinkCheck {
  /** Resource ids of the registry's private endpoints. */
  privateEndpoints: string[];
  /** The private endpoints at which the app's identity lacks the private-link action. */
  missingAt: string[];
  /** The app identity's principal (object) id. */
  principalId: string;
}

export interface PrivateLinkGrantInput {
  /** The registry whose replica needs the permission: it must be in scope. */
  registryId: string;
  /** The registry's private endpoints that need the permission, as the caller has just read them. */
  privateEndpoints: string[];
}

export interface PermissionCheckInput {
  /** Private endpoints at which to check the app identity's permission. */
  privateEndpoints: string[];
}

export interface PermissionCheck {
  /** Those of them at which the app's identity lacks the private-link action. */
  missingAt: string[];
}

/** What a grant did: assigned the role at each private endpoint. */
export interface PrivateLinkGrant {
  outcome: 'granted';
  /** The role assigned (as the first private endpoint's assignment names it). */
  roleDefinitionId: string;
  /** Whether this grant created the role (only when the app may create its own). */
  roleCreated: boolean;
  /** One assignment per private endpoint. */
  assignments: { scope: string; assignmentId: string; created: boolean }[];
  principalId: string;
}

/**
 * A grant refused without assigning anything: the registry is outside REGISTRY_SCOPE (or a scope is not
 * a private endpoint), the role found under the app's role name or id holds other permissions than the
 * private-link action, or the app has no role it may assign (neither HEAL_ROLE_DEFINITION_ID nor
 * HEAL_ROLE_CREATE is set).
 */
export interface PrivateLinkRefusal {
  refused: 'out-of-scope' | 'unsafe-role' | 'no-role';
  reason: string;
  principalId?: string;
  roleDefinitionId?: string;
  problems?: string[];
}

/** The grant activity's output. */
export type PrivateLinkGrantResult = PrivateLinkGrant | PrivateLinkRefusal;
