// Activities that read and grant the private-link permission (names and shapes in privateLink.contract.ts).
// Both may run more than once: the check only reads, and the grant finds what an earlier run made.
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
import { parseRegistryId } from '../../domain';
import { scopeVerdict } from '../scope/scopeGuard';
import { CHECK_PRIVATE_LINK_ACTIVITY, GRANT_PRIVATE_LINK_ACTIVITY } from './privateLink.contract';
import type {
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

/**
 * Assigns the private-link role to the app's identity at each private endpoint, the narrowest scope at
 * which ARM checks the action: the role made beforehand (HEAL_ROLE_DEFINITION_ID), or, only where the app
 * may (HEAL_ROLE_CREATE=true), its own least-privilege role, created first at its assignable scope.
 * Refuses, without writing, a registry outside REGISTRY_SCOPE, an endpoint that is not the registry's, a
 * role found under the app's role name or id that holds anything but the private-link action, and a grant
 * without a role the app may assign.
 */
export const grantPrivateLink: ActivityHandler = async ({
  registryId,
  privateEndpoints,
}: PrivateLinkGrantInput): Promise<PrivateLinkGrantResult> => {
  const clients = armClients();
  const scope = scopeVerdict(registryId);
  if (!scope.inScope) return { refused: 'out-of-scope', reason: scope.reason };
  const registry = await new ReplicaGateway(clients).getRegistry(parseRegistryId(registryId));
  const own = new Set((registry?.privateEndpoints ?? []).map((id) => id.toLowerCase()));
  const foreign = privateEndpoints.filter((id) => !own.has(id.toLowerCase()));
  if (foreign.length > 0) {
    return {
      refused: 'out-of-scope',
      reason: `${foreign.join(', ')} ${foreign.length === 1 ? 'is not a private endpoint' : 'are not private endpoints'} of registry ${registryId}`,
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

df.app.activity(CHECK_PRIVATE_LINK_ACTIVITY, { handler: checkPrivateLink });
df.app.activity(GRANT_PRIVATE_LINK_ACTIVITY, { handler: grantPrivateLink });
