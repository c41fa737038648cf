// The app identity's access exactly as the infrastructure grants it, read from infra/ (the action lists
// of main.bicep's custom roles, the delegation condition's template), and the same grants as a sandbox
// seed: so the demo fleet and the least-privilege tests cannot drift from what a deployment gets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { SeedDocument } from '@acr-replica-guard/sandbox';
import { REPO_ROOT, declaration, fileNamed, literalStrings, loadInfra } from '../infra/bicep';

export const RBAC_ADMINISTRATOR_ROLE_ID = 'f58310d9-a9f6-439a-9e8d-f62e7b41a168';
const CONDITION_TEMPLATE = 'infra/conditions/private-link-delegation.txt';

export interface InfraActions {
  replicaOperator: string[];
  operationReader: string[];
  privateLink: string[];
}

/** The action lists main.bicep gives its three custom roles. */
export async function infraActions(): Promise<InfraActions> {
  const main = fileNamed(await loadInfra(), 'infra/main.bicep');
  const actions = (variable: string): string[] => {
    const list = literalStrings(
      declaration(main, 'variable_declaration', variable).namedChildren[1] ?? undefined,
    );
    if (list === undefined || list.length === 0)
      throw new Error(`${variable} is not a list of action strings`);
    return list;
  };
  return {
    replicaOperator: actions('replicaOperatorActions'),
    operationReader: actions('operationReaderActions'),
    privateLink: actions('privateLinkActions'),
  };
}

/** The delegation condition as the infrastructure deploys it: the trimmed template, placeholders filled. */
export function delegationCondition(privateLinkRoleGuid: string, principalId: string): string {
  return readFileSync(join(REPO_ROOT, CONDITION_TEMPLATE), 'utf8')
    .trim()
    .split('<roleDefinitionId>')
    .join(privateLinkRoleGuid)
    .split('<principalId>')
    .join(principalId);
}

export interface LeastPrivilegeFleet {
  subscriptionId: string;
  /** The app identity's object id. */
  principalId: string;
  /** REGISTRY_SCOPE entries: resource group ids (the infrastructure's common case). */
  registryResourceGroups: string[];
  /** PRIVATE_ENDPOINT_RESOURCE_GROUPS. */
  privateEndpointResourceGroups: string[];
  /** GUIDs for the three custom roles (the infrastructure derives them from the environment). */
  roleGuids: { replicaOperator: string; operationReader: string; privateLink: string };
  /** Custom role names are unique in a directory: a suffix keeps test files apart. */
  roleNameSuffix: string;
}

/**
 * What main.bicep grants the app for resource-group entries in REGISTRY_SCOPE and the private endpoints'
 * resource groups: the replica operator on each group, the operation reader on the subscription, the
 * private-link role assignable in the private endpoints' groups and Role Based Access Control
 * Administrator there under the delegation condition. Nothing else.
 */
export function leastPrivilegeSeed(actions: InfraActions, fleet: LeastPrivilegeFleet): SeedDocument {
  const subscription = `/subscriptions/${fleet.subscriptionId}`;
  const role = (guid: string, name: string, list: string[], assignableScopes: string[]) => ({
    name: guid,
    roleName: `ACR Replica Guard ${name} (${fleet.roleNameSuffix})`,
    permissions: [{ actions: list, notActions: [], dataActions: [], notDataActions: [] }],
    assignableScopes,
  });
  const assignment = (roleId: string, scope: string, condition?: string) => ({
    principalId: fleet.principalId,
    role: `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`,
    scope,
    principalType: 'ServicePrincipal' as const,
    ...(condition === undefined ? {} : { condition, conditionVersion: '2.0' }),
  });
  return {
    roleDefinitions: [
      role(
        fleet.roleGuids.replicaOperator,
        'Replica Operator',
        actions.replicaOperator,
        fleet.registryResourceGroups,
      ),
      role(fleet.roleGuids.operationReader, 'Operation Reader', actions.operationReader, [subscription]),
      role(
        fleet.roleGuids.privateLink,
        'Private Link Proxy Writer',
        actions.privateLink,
        fleet.privateEndpointResourceGroups,
      ),
    ],
    roleAssignments: [
      ...fleet.registryResourceGroups.map((group) => assignment(fleet.roleGuids.replicaOperator, group)),
      assignment(fleet.roleGuids.operationReader, subscription),
      ...fleet.privateEndpointResourceGroups.map((group) =>
        assignment(
          RBAC_ADMINISTRATOR_ROLE_ID,
          group,
          delegationCondition(fleet.roleGuids.privateLink, fleet.principalId),
        ),
      ),
    ],
  };
}
