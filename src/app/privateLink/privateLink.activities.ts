// Activities that read and grant the private-link permission (names and shapes in privateLink.contract.ts).
// All may run more than once: the checks only read, and the grant finds what an earlier run made.
import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

import {
  AccessGateway,
  UnsafeRoleError,
  privateLinkRoleScope,
  roleDefinitionIdFor,
} from '../../azure/access';
import type { EnsuredRole } from '../../azure/access';
import { armClients } from '../../azure/armClients';
import { ReplicaGateway } from '../../azure/replicas';
import { parseArmResourceId, parseRegistryId } from '../../domain';
import { scopeVerdict } from '../scope/scopeGuard';
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
  PrivateLinkGrantResult,
} from './privateLink.contract';
import { privateLinkRolePlan } from './privateLinkRole';

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
 * Assigns the private-link role to the app's identity at each private endpoint, the narrowest scope at
 * which ARM checks the action: the role made beforehand (HEAL_ROLE_DEFINITION_ID), or, only where the app
 * may (HEAL_ROLE_CREATE=true), its own least-privilege role, created first at its assignable scope.
 * Refuses, without writing, a registry outside REGISTRY_SCOPE, a scope that is not a private endpoint, a
 * role found under the app's role name or id that holds anything but the private-link action, and a grant
 * without a role the app may assign. The endpoints are not checked against the registry by reading it
 * again: every caller passes the endpoints it has just read from that registry in the same orchestration
 * (no orchestration input carries them), so a second read would check ARM against itself and cost every
 * heal a request. What matters is that nothing wider than a private endpoint is ever a grant's scope.
 */
export const grantPrivateLink: ActivityHandler = async ({
  registryId,
  privateEndpoints,
}: PrivateLinkGrantInput): Promise<PrivateLinkGrantResult> => {
  const clients = armClients();
  const scope = scopeVerdict(registryId);
  if (!scope.inScope) return { refused: 'out-of-scope', reason: scope.reason };
  const notEndpoints = privateEndpoints.filter((id) => !isPrivateEndpointId(id));
  if (notEndpoints.length > 0) {
    return {
      refused: 'out-of-scope',
      reason: `${notEndpoints.join(', ')} ${notEndpoints.length === 1 ? 'is not a private endpoint' : 'are not private endpoints'}: the permission is granted at private endpoints only`,
    };
  }
  try {
    return await grantAt(new AccessGateway(clients), privateEndpoints);
  } catch (error) {
    if (!(error instanceof UnsafeRoleError)) throw error;
    return {
      refused: 'unsafe-role',
      reason: error.message,
      roleDefinitionId: error.roleDefinitionId,
      problems: error.problems,
    };
  }
};

async function grantAt(access: AccessGateway, privateEndpoints: string[]): Promise<PrivateLinkGrantResult> {
  const principalId = await access.principalId();
  const plan = privateLinkRolePlan();
  if (!plan.ok) return { refused: 'no-role', reason: plan.reason, principalId };
  const { source } = plan;

  const roles = new Map<string, EnsuredRole>();
  const roleFor = async (endpoint: string): Promise<EnsuredRole> => {
    if (source.kind === 'assign')
      return { roleDefinitionId: roleDefinitionIdFor(endpoint, source.roleDefinitionGuid), created: false };
    const roleScope = privateLinkRoleScope(endpoint, source.assignableScope);
    let role = roles.get(roleScope.toLowerCase());
    if (role === undefined) {
      role = await access.ensurePrivateLinkRole(roleScope);
      roles.set(roleScope.toLowerCase(), role);
    }
    return role;
  };

  let first: EnsuredRole | undefined;
  const assignments: PrivateLinkGrant['assignments'] = [];
  for (const endpoint of privateEndpoints) {
    const role = await roleFor(endpoint);
    first ??= role;
    const assignment = await access.ensureRoleAssignment(endpoint, role.roleDefinitionId, principalId);
    assignments.push({ scope: endpoint, ...assignment });
  }
  return {
    outcome: 'granted',
    roleDefinitionId: first?.roleDefinitionId ?? '',
    roleCreated: [...roles.values()].some((role) => role.created),
    assignments,
    principalId,
  };
}

/** A private endpoint's resource id, and nothing wider or of another type. */
function isPrivateEndpointId(id: string): boolean {
  try {
    const resource = parseArmResourceId(id);
    return (
      resource.provider.toLowerCase() === 'microsoft.network' &&
      resource.type.toLowerCase() === 'privateendpoints'
    );
  } catch {
    return false;
  }
}

df.app.activity(CHECK_PRIVATE_LINK_ACTIVITY, { handler: checkPrivateLink });
df.app.activity(CHECK_PERMISSION_AT_ACTIVITY, { handler: checkPermissionAt });
df.app.activity(GRANT_PRIVATE_LINK_ACTIVITY, { handler: grantPrivateLink });
