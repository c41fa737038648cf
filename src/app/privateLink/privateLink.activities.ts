// Activities that read and grant the private-link permission (names and shapes in privateLink.contract.ts).
// Both may run more than once: the check only reads, and the grant finds what an earlier run made.
import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

import { AccessGateway, privateLinkRoleScope, roleDefinitionIdFor } from '../../azure/access';
import type { EnsuredRole } from '../../azure/access';
import { armClients } from '../../azure/armClients';
import { ReplicaGateway } from '../../azure/replicas';
import { parseRegistryId } from '../../domain';
import { CHECK_PRIVATE_LINK_ACTIVITY, GRANT_PRIVATE_LINK_ACTIVITY } from './privateLink.contract';
import type {
  PrivateLinkCheck,
  PrivateLinkCheckInput,
  PrivateLinkGrant,
  PrivateLinkGrantInput,
  PrivateLinkGranted,
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
 * Without either it writes nothing and says why.
 */
export const grantPrivateLink: ActivityHandler = async ({
  privateEndpoints,
}: PrivateLinkGrantInput): Promise<PrivateLinkGrant> => {
  const access = new AccessGateway(armClients());
  const principalId = await access.principalId();
  const plan = privateLinkRolePlan();
  if (!plan.ok) return { outcome: 'refused', reason: plan.reason, principalId };
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
  const assignments: PrivateLinkGranted['assignments'] = [];
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
};

df.app.activity(CHECK_PRIVATE_LINK_ACTIVITY, { handler: checkPrivateLink });
df.app.activity(GRANT_PRIVATE_LINK_ACTIVITY, { handler: grantPrivateLink });
