// Activities that read and grant the private-link permission (names and shapes in privateLink.contract.ts).
// Both may run more than once: the check only reads, and the grant finds what an earlier run made.
import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

import {
  AccessGateway,
  isMissingRoleDefinition,
  privateLinkRoleId,
  privateLinkRoleScope,
} from '../../azure/access';
import type { EnsuredAssignment, EnsuredRole } from '../../azure/access';
import { armClients } from '../../azure/armClients';
import { ReplicaGateway } from '../../azure/replicas';
import { healRoleScope } from '../../config/settings';
import { parseRegistryId } from '../../domain';
import {
  CHECK_PERMISSION_AT_ACTIVITY,
  CHECK_PRIVATE_LINK_ACTIVITY,
  GRANT_PRIVATE_LINK_ACTIVITY,
} from './privateLink.contract';
import type {
  PermissionCheck,
  PermissionCheckInput,
  PrivateLinkCheck,
  PrivateLinkCheckInput,
  PrivateLinkGrant,
  PrivateLinkGrantInput,
} from './privateLink.contract';

export const checkPrivateLink: ActivityHandler = async ({
  registryId,
}: PrivateLinkCheckInput): Promise<PrivateLinkCheck> => {
  const clients = armClients();
  const registry = await new ReplicaGateway(clients).getRegistry(parseRegistryId(registryId));
  if (registry === undefined) throw new Error(`registry ${registryId} was not found`);
  const access = new AccessGateway(clients);
  return {
    privateEndpoints: registry.privateEndpoints,
    missingAt: await access.missingPrivateLinkPermission(registry.privateEndpoints),
    principalId: await access.principalId(),
  };
};

/** The permission at given private endpoints only: no registry read, for a caller that knows them. */
export const checkPermissionAt: ActivityHandler = async ({
  privateEndpoints,
}: PermissionCheckInput): Promise<PermissionCheck> => ({
  missingAt: await new AccessGateway(armClients()).missingPrivateLinkPermission(privateEndpoints),
});

/**
 * Ensures the least-privilege role at its assignable scope and assigns it to the app's identity at each
 * private endpoint, the narrowest scope at which ARM checks the action.
 */
export const grantPrivateLink: ActivityHandler = async ({
  privateEndpoints,
}: PrivateLinkGrantInput): Promise<PrivateLinkGrant> => {
  const access = new AccessGateway(armClients());
  const principalId = await access.principalId();
  const configured = healRoleScope();
  const roles = new Map<string, EnsuredRole>();
  const assignments: PrivateLinkGrant['assignments'] = [];
  for (const endpoint of privateEndpoints) {
    const roleScope = privateLinkRoleScope(endpoint, configured);
    const known = roles.get(roleScope.toLowerCase());
    // The role an earlier grant made is assigned by its deterministic id, unread; it is made (or found
    // under its name) only when ARM says there is no such role.
    let role = known ?? { roleDefinitionId: privateLinkRoleId(roleScope), created: false };
    let assignment: EnsuredAssignment;
    try {
      assignment = await access.ensureRoleAssignment(endpoint, role.roleDefinitionId, principalId);
    } catch (error) {
      if (known !== undefined || !isMissingRoleDefinition(error)) throw error;
      role = await access.ensurePrivateLinkRole(roleScope);
      assignment = await access.ensureRoleAssignment(endpoint, role.roleDefinitionId, principalId);
    }
    roles.set(roleScope.toLowerCase(), role);
    assignments.push({ scope: endpoint, ...assignment });
  }
  const ensured = [...roles.values()];
  return {
    roleDefinitionId: ensured[0]?.roleDefinitionId ?? '',
    roleCreated: ensured.some((role) => role.created),
    assignments,
    principalId,
  };
};

df.app.activity(CHECK_PRIVATE_LINK_ACTIVITY, { handler: checkPrivateLink });
df.app.activity(CHECK_PERMISSION_AT_ACTIVITY, { handler: checkPermissionAt });
df.app.activity(GRANT_PRIVATE_LINK_ACTIVITY, { handler: grantPrivateLink });
