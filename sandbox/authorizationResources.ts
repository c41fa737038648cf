// Wire shapes of Microsoft.Authorization resources (api-version 2022-04-01).
// Absent optional properties are left out rather than sent as null, so bodies validate against the
// REST definitions, which type them as plain strings.

import type { Permission, RoleAssignment, RoleDefinition } from './rbac';
import { roleAssignmentIdOf, roleDefinitionIdAt } from './rbac';

export function toRoleDefinitionResource(role: RoleDefinition, readAt: string): object {
  return {
    id: roleDefinitionIdAt(readAt, role.name),
    type: 'Microsoft.Authorization/roleDefinitions',
    name: role.name,
    properties: withoutUndefined({
      roleName: role.roleName,
      type: role.roleType,
      description: role.description,
      assignableScopes: role.assignableScopes,
      permissions: role.permissions.map(toPermission),
      createdOn: role.createdOn,
      updatedOn: role.updatedOn,
      createdBy: role.createdBy,
      updatedBy: role.updatedBy,
    }),
  };
}

export function toRoleAssignmentResource(assignment: RoleAssignment): object {
  return {
    id: roleAssignmentIdOf(assignment),
    type: 'Microsoft.Authorization/roleAssignments',
    name: assignment.name,
    properties: withoutUndefined({
      roleDefinitionId: roleDefinitionIdAt(assignment.scope, assignment.roleDefinitionName),
      principalId: assignment.principalId,
      principalType: assignment.principalType,
      scope: assignment.scope,
      description: assignment.description,
      condition: assignment.condition,
      conditionVersion: assignment.conditionVersion,
      createdOn: assignment.createdOn,
      updatedOn: assignment.updatedOn,
      createdBy: assignment.createdBy,
      updatedBy: assignment.updatedBy,
      delegatedManagedIdentityResourceId: assignment.delegatedManagedIdentityResourceId,
    }),
  };
}

export function toPermission(p: Permission): Permission {
  return {
    actions: [...p.actions],
    notActions: [...p.notActions],
    dataActions: [...p.dataActions],
    notDataActions: [...p.notDataActions],
  };
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
