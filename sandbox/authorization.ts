// Routes of Microsoft.Authorization (api-version 2022-04-01): role definitions, role assignments and
// the caller's effective permissions, at any scope: `{scope}/providers/Microsoft.Authorization/...`.

import { isValidScope, normalizeScope, subscriptionIdOf } from './armScope';
import {
  authorizationFailed,
  badRequest,
  roleAssignmentNotFound,
  roleDefinitionDoesNotExist,
} from './authorizationErrors';
import { toPermission, toRoleAssignmentResource, toRoleDefinitionResource } from './authorizationResources';
import { listPage } from './listPage';
import { invalidFilter, parseFilter } from './odataFilter';
import type { ConditionAttributes } from './conditions';
import { roleAssignmentIdOf } from './rbac';
import type {
  PrincipalType,
  RbacModel,
  RoleAssignment,
  RoleAssignmentFilter,
  RoleAssignmentInput,
  RoleDefinitionFilter,
  RoleDefinitionInput,
} from './rbac';
import type { SandboxRequest, SandboxResponse, SeedPermission } from './types';
import { ArmError } from './types';

export const AUTHORIZATION_API_VERSION = '2022-04-01';
const ROLE_ASSIGNMENT_WRITE = 'Microsoft.Authorization/roleAssignments/write';
const ROLE_ASSIGNMENT_DELETE = 'Microsoft.Authorization/roleAssignments/delete';
// Effective permissions kept their shape since 2015-07-01; older callers still use that version.
const PERMISSIONS_API_VERSIONS = [AUTHORIZATION_API_VERSION, '2015-07-01'];

const ROUTE =
  /^(.*)\/providers\/Microsoft\.Authorization\/(roleDefinitions|roleAssignments|permissions)(?:\/([^/]+))?$/i;
const PRINCIPAL_TYPES: readonly PrincipalType[] = [
  'User',
  'Group',
  'ServicePrincipal',
  'ForeignGroup',
  'Device',
];

type Collection = 'roledefinitions' | 'roleassignments' | 'permissions';

interface Route {
  scope: string;
  collection: Collection;
  item?: string;
}

/** Answers a Microsoft.Authorization request; undefined when the path is not one of its routes. */
export function handleAuthorization(req: SandboxRequest, rbac: RbacModel): SandboxResponse | undefined {
  const route = parseRoute(req.path);
  if (route === undefined) return undefined;
  const method = req.method.toUpperCase();
  switch (route.collection) {
    case 'roledefinitions':
      requireApiVersion(req, [AUTHORIZATION_API_VERSION]);
      return route.item === undefined
        ? listRoleDefinitions(req, rbac, route.scope, method)
        : roleDefinition(req, rbac, route.scope, route.item, method);
    case 'roleassignments':
      requireApiVersion(req, [AUTHORIZATION_API_VERSION]);
      return route.item === undefined
        ? listRoleAssignments(req, rbac, route.scope, method)
        : roleAssignment(req, rbac, route.scope, route.item, method);
    case 'permissions':
      if (route.item !== undefined) return undefined;
      requireApiVersion(req, PERMISSIONS_API_VERSIONS);
      return permissions(req, rbac, route.scope, method);
  }
}

function parseRoute(path: string): Route | undefined {
  const match = ROUTE.exec(normalizeScope(path));
  if (match === null) return undefined;
  const item = match[3];
  return {
    scope: normalizeScope(match[1] ?? ''),
    collection: (match[2] ?? '').toLowerCase() as Collection,
    ...(item === undefined ? {} : { item }),
  };
}

// ---- role definitions ----

function roleDefinition(
  req: SandboxRequest,
  rbac: RbacModel,
  scope: string,
  id: string,
  method: string,
): SandboxResponse {
  const caller = req.principal.objectId;
  switch (method) {
    case 'GET': {
      authorizeRead(rbac, caller, scope, 'Microsoft.Authorization/roleDefinitions/read');
      const role = rbac.getRoleDefinition(id);
      if (role === undefined || !rbac.isRoleDefinitionVisibleAt(role, scope))
        throw roleDefinitionDoesNotExist(404, id);
      return { status: 200, body: toRoleDefinitionResource(role, scope) };
    }
    case 'PUT': {
      const input = roleDefinitionInput(req.body);
      // ARM wants the write right on every scope the role will be assignable at, and where it is written.
      for (const at of [scope, ...input.assignableScopes.filter(isValidScope)]) {
        rbac.authorize(caller, at, 'Microsoft.Authorization/roleDefinitions/write');
      }
      const { definition } = rbac.putRoleDefinition(id, input, caller);
      // The REST definition (and the SDK) know only 201, for updates as well as creations.
      return { status: 201, body: toRoleDefinitionResource(definition, scope) };
    }
    case 'DELETE': {
      rbac.authorize(caller, scope, 'Microsoft.Authorization/roleDefinitions/delete');
      const removed = rbac.deleteRoleDefinition(id);
      return removed === undefined
        ? { status: 204 }
        : { status: 200, body: toRoleDefinitionResource(removed, scope) };
    }
    default:
      throw methodNotAllowed(method);
  }
}

function listRoleDefinitions(
  req: SandboxRequest,
  rbac: RbacModel,
  scope: string,
  method: string,
): SandboxResponse {
  if (method !== 'GET') throw methodNotAllowed(method);
  authorizeRead(rbac, req.principal.objectId, scope, 'Microsoft.Authorization/roleDefinitions/read');
  const roles = rbac.listRoleDefinitions(scope, roleDefinitionFilter(req.query.get('$filter')));
  const page = listPage(roles, req, rbac.pageSize);
  return {
    status: 200,
    body: { ...page, value: page.value.map((role) => toRoleDefinitionResource(role, scope)) },
  };
}

function roleDefinitionFilter(raw: string | null): RoleDefinitionFilter {
  const filter: RoleDefinitionFilter = {};
  for (const term of raw === null || raw.trim() === '' ? [] : parseFilter(raw)) {
    if (term.kind === 'eq' && same(term.property, 'roleName')) filter.roleName = term.value;
    else if (term.kind === 'eq' && same(term.property, 'type')) filter.roleType = term.value;
    else if (term.kind === 'function' && same(term.name, 'atScopeAndBelow')) filter.atScopeAndBelow = true;
    else throw invalidFilter(raw ?? '');
  }
  return filter;
}

function roleDefinitionInput(body: unknown): RoleDefinitionInput {
  const properties = propertiesOf(body);
  const permissions = properties.permissions;
  if (!Array.isArray(permissions)) {
    throw badRequest('InvalidRoleDefinition', 'The role definition must have a permissions array.');
  }
  return {
    roleName: typeof properties.roleName === 'string' ? properties.roleName : '',
    ...(typeof properties.description === 'string' ? { description: properties.description } : {}),
    permissions: permissions.map(permissionOf),
    assignableScopes: Array.isArray(properties.assignableScopes)
      ? properties.assignableScopes.filter((s): s is string => typeof s === 'string')
      : [],
  };
}

function permissionOf(value: unknown): SeedPermission {
  const p = isRecord(value) ? value : {};
  return {
    actions: stringsOf(p.actions),
    notActions: stringsOf(p.notActions),
    dataActions: stringsOf(p.dataActions),
    notDataActions: stringsOf(p.notDataActions),
  };
}

// ---- role assignments ----

function roleAssignment(
  req: SandboxRequest,
  rbac: RbacModel,
  scope: string,
  name: string,
  method: string,
): SandboxResponse {
  const caller = req.principal.objectId;
  switch (method) {
    case 'GET': {
      rbac.authorize(caller, scope, 'Microsoft.Authorization/roleAssignments/read');
      const found = rbac.getRoleAssignment(scope, name);
      if (found === undefined) throw roleAssignmentNotFound(name);
      return { status: 200, body: toRoleAssignmentResource(found) };
    }
    case 'PUT': {
      // ARM checks the write on the assignment's own id, and names that id when it refuses.
      const id = roleAssignmentIdOf({ scope, name });
      // A caller without the action at all is refused before the body is read; conditions, which need
      // the body's role and principal, are checked once it is.
      if (!rbac.holdsAction(caller, id, ROLE_ASSIGNMENT_WRITE))
        throw authorizationFailed(caller, ROLE_ASSIGNMENT_WRITE, id);
      const input = roleAssignmentInput(req.body, scope, name);
      rbac.authorize(caller, id, ROLE_ASSIGNMENT_WRITE, { request: requestAttributes(input) });
      const { assignment } = rbac.createRoleAssignment(scope, name, input, caller);
      // 201 whether the name was new or not: the REST definition knows no other success.
      return { status: 201, body: toRoleAssignmentResource(assignment) };
    }
    case 'DELETE': {
      const existing = rbac.getRoleAssignment(scope, name);
      rbac.authorize(caller, roleAssignmentIdOf({ scope, name }), ROLE_ASSIGNMENT_DELETE, {
        ...(existing === undefined ? {} : { resource: resourceAttributes(existing) }),
      });
      const removed = rbac.deleteRoleAssignment(scope, name);
      return removed === undefined
        ? { status: 204 }
        : { status: 200, body: toRoleAssignmentResource(removed) };
    }
    default:
      throw methodNotAllowed(method);
  }
}

function listRoleAssignments(
  req: SandboxRequest,
  rbac: RbacModel,
  scope: string,
  method: string,
): SandboxResponse {
  if (method !== 'GET') throw methodNotAllowed(method);
  rbac.authorize(req.principal.objectId, scope, 'Microsoft.Authorization/roleAssignments/read');
  const assignments = rbac.listRoleAssignments(scope, roleAssignmentFilter(req.query.get('$filter')));
  const page = listPage(assignments, req, rbac.pageSize);
  return { status: 200, body: { ...page, value: page.value.map(toRoleAssignmentResource) } };
}

function roleAssignmentFilter(raw: string | null): RoleAssignmentFilter {
  const filter: RoleAssignmentFilter = {};
  for (const term of raw === null || raw.trim() === '' ? [] : parseFilter(raw)) {
    if (term.kind === 'function' && same(term.name, 'atScope') && term.argument === undefined)
      filter.atScope = true;
    else if (term.kind === 'eq' && same(term.property, 'principalId')) filter.principalId = term.value;
    // Without groups in the sandbox, "assigned to" a principal means assigned to it directly.
    else if (term.kind === 'function' && same(term.name, 'assignedTo') && term.argument !== undefined)
      filter.principalId = term.argument;
    else throw invalidFilter(raw ?? '');
  }
  return filter;
}

function roleAssignmentInput(body: unknown, scope: string, name: string): RoleAssignmentInput {
  const properties = propertiesOf(body);
  const { roleDefinitionId, principalId, principalType } = properties;
  if (typeof roleDefinitionId !== 'string' || roleDefinitionId === '') {
    throw badRequest(
      'InvalidRequestContent',
      "The request content is missing the required property 'roleDefinitionId'.",
    );
  }
  if (typeof principalId !== 'string' || principalId === '') {
    throw badRequest(
      'InvalidRequestContent',
      "The request content is missing the required property 'principalId'.",
    );
  }
  if (principalType !== undefined && !PRINCIPAL_TYPES.includes(principalType as PrincipalType)) {
    throw badRequest(
      'InvalidRequestContent',
      `The principal type '${JSON.stringify(principalType)}' is not valid.`,
    );
  }
  if (
    typeof properties.scope === 'string' &&
    normalizeScope(properties.scope).toLowerCase() !== scope.toLowerCase()
  ) {
    throw badRequest(
      'InvalidCreateRoleAssignmentRequest',
      `The request to create role assignment '${name}' is not valid. Role assignment scope '${properties.scope}' must match the scope specified on the URI '${scope}'.`,
    );
  }
  const optional = (key: string): Record<string, string> =>
    typeof properties[key] === 'string' ? { [key]: properties[key] } : {};
  return {
    roleDefinitionId,
    principalId,
    ...(principalType === undefined ? {} : { principalType: principalType as PrincipalType }),
    ...optional('description'),
    ...optional('condition'),
    ...optional('conditionVersion'),
    ...optional('delegatedManagedIdentityResourceId'),
  };
}

/** What a role assignment write shows to conditions as `@Request[...]`. */
function requestAttributes(input: RoleAssignmentInput): ConditionAttributes {
  return {
    roleDefinitionId: input.roleDefinitionId.slice(input.roleDefinitionId.lastIndexOf('/') + 1),
    principalId: input.principalId,
    ...(input.principalType === undefined ? {} : { principalType: input.principalType }),
  };
}

/** What an existing assignment shows to conditions as `@Resource[...]`. */
function resourceAttributes(assignment: RoleAssignment): ConditionAttributes {
  return {
    roleDefinitionId: assignment.roleDefinitionName,
    principalId: assignment.principalId,
    principalType: assignment.principalType,
  };
}

// ---- effective permissions ----

function permissions(req: SandboxRequest, rbac: RbacModel, scope: string, method: string): SandboxResponse {
  if (method !== 'GET') throw methodNotAllowed(method);
  // Asking for one's own permissions needs no permission.
  const value = rbac.permissionsAt(req.principal.objectId, scope).map(toPermission);
  return { status: 200, body: listPage(value, req, rbac.pageSize) };
}

// ---- shared ----

/**
 * Definitions are directory objects: anyone signed in may read them tenant-wide; below a
 * subscription ARM checks the read action like any other.
 */
function authorizeRead(rbac: RbacModel, caller: string, scope: string, action: string): void {
  if (subscriptionIdOf(scope) !== undefined) rbac.authorize(caller, scope, action);
}

function requireApiVersion(req: SandboxRequest, supported: readonly string[]): void {
  const version = req.query.get('api-version');
  if (version === null || version === '') {
    throw badRequest(
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  if (!supported.includes(version)) {
    throw badRequest(
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${supported.join(',')}'.`,
    );
  }
}

function methodNotAllowed(method: string): ArmError {
  return new ArmError(
    405,
    'MethodNotAllowed',
    `The requested resource does not support http method '${method}'.`,
  );
}

function propertiesOf(body: unknown): Record<string, unknown> {
  if (!isRecord(body) || !isRecord(body.properties)) {
    throw badRequest(
      'InvalidRequestContent',
      "The request content must be a JSON object with a 'properties' object.",
    );
  }
  return body.properties;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
