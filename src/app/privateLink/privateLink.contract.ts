// Names and shapes of the activities that read and grant the private-link permission, shared by the
// orchestrations that call them and the module that implements them.

export const CHECK_PRIVATE_LINK_ACTIVITY = 'accessCheckPrivateLink';
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
  /** Private endpoints that need the permission: they must be the registry's. */
  privateEndpoints: string[];
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
 * A grant refused without assigning anything: the registry is outside REGISTRY_SCOPE (or an endpoint is
 * not the registry's), the role found under the app's role name or id holds other permissions than the
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
