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
  /** Private endpoints that need the permission. */
  privateEndpoints: string[];
}

/** What a grant did: assigned the role at each private endpoint, or refused to grant anything. */
export type PrivateLinkGrant = PrivateLinkGranted | PrivateLinkGrantRefused;

export interface PrivateLinkGranted {
  outcome: 'granted';
  /** The role assigned (as the first private endpoint's assignment names it). */
  roleDefinitionId: string;
  /** Whether this grant created the role (only when the app may create its own). */
  roleCreated: boolean;
  /** One assignment per private endpoint. */
  assignments: { scope: string; assignmentId: string; created: boolean }[];
  principalId: string;
}

/** The app has no role it may assign: nothing was written. */
export interface PrivateLinkGrantRefused {
  outcome: 'refused';
  reason: string;
  principalId: string;
}
