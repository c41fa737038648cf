// Activities that read and grant the private-link permission (names and shapes in privateLink.contract.ts).
// Both may run more than once: the check only reads, and the grant finds what an earlier run made.
import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

import { AccessGateway, UnsafeRoleError, privateLinkRoleScope } from '../../azure/access';
import type { EnsuredRole } from '../../azure/access';
import { armClients } from '../../azure/armClients';
import { ReplicaGateway } from '../../azure/replicas';
import { healRoleScope } from '../../config/settings';
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
 * Ensures the least-privilege role at its assignable scope and assigns it to the app's identity at each
 * private endpoint, the narrowest scope at which ARM checks the action. Refuses, without writing, a
 * registry outside REGISTRY_SCOPE, an endpoint that is not the registry's, and a role found under the
 * app's role name or id that holds anything but the private-link action.
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

async function grantAt(access: AccessGateway, privateEndpoints: string[]): Promise<PrivateLinkGrant> {
  const principalId = await access.principalId();
  const configured = healRoleScope();
  const roles = new Map<string, EnsuredRole>();
  const assignments: PrivateLinkGrant['assignments'] = [];
  for (const endpoint of privateEndpoints) {
    const roleScope = privateLinkRoleScope(endpoint, configured);
    let role = roles.get(roleScope.toLowerCase());
    if (role === undefined) {
      role = await access.ensurePrivateLinkRole(roleScope);
      roles.set(roleScope.toLowerCase(), role);
    }
    const assignment = await access.ensureRoleAssignment(endpoint, role.roleDefinitionId, principalId);
    assignments.push({ scope: endpoint, ...assignment });
  }
  const ensured = [...roles.values()];
  return {
    roleDefinitionId: ensured[0]?.roleDefinitionId ?? '',
    roleCreated: ensured.some((role) => role.created),
    assignments,
    principalId,
  };
}

df.app.activity(CHECK_PRIVATE_LINK_ACTIVITY, { handler: checkPrivateLink });
df.app.activity(GRANT_PRIVATE_LINK_ACTIVITY, { handler: grantPrivateLink });
