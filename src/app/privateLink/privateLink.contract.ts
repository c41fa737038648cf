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
  /** Private endpoints that need the permission. */
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

export interface PrivateLinkGrant {
  roleDefinitionId: string;
  roleCreated: boolean;
  /** One assignment per private endpoint. */
  assignments: { scope: string; assignmentId: string; created: boolean }[];
  principalId: string;
}
