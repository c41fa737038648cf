// The app identity's access in Azure RBAC (Microsoft.Authorization): its effective permissions at the
// registry's private endpoints, the assignments that give it the private-link action (of a role made
// beforehand, or, when allowed, of a least-privilege custom role it makes). Writes use deterministic
// names, so running them again finds what they made; what was made is looked up by id first, because
// ARM's lists lag its writes and its GETs do not.
import type { AuthorizationManagementClient, RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import { RestError } from '@azure/core-rest-pipeline';

import { appPrincipalId } from '../config/settings';
import {
  PRIVATE_LINK_ACTION,
  deterministicGuid,
  parseArmResourceId,
  permitsAction,
  scopeParameter,
  subscriptionScopeOf,
} from '../domain';
import { ARM_SCOPE } from './armClients';
import type { ArmClients } from './armClients';
import { listPermissionsAt } from './effectivePermissions';

export const PRIVATE_LINK_ROLE_BASE_NAME = 'ACR Replica Guard Private Link Proxy Writer';
const PRIVATE_LINK_ROLE_DESCRIPTION =
  'Lets the replica guard create replicas on registries with private endpoints: holds only ' +
  `${PRIVATE_LINK_ACTION}.`;
const MAX_ROLE_NAME_LENGTH = 128;

export interface EnsuredRole {
  roleDefinitionId: string;
  created: boolean;
}

export interface EnsuredAssignment {
  assignmentId: string;
  created: boolean;
}

/**
 * The role's name at an assignable scope. Custom role names are unique in the whole directory, so the
 * name carries the scope: several subscriptions of one tenant each get their own role.
 */
export function privateLinkRoleName(assignableScope: string): string {
  const label = assignableScope
    .replace(/^\/subscriptions\//i, '')
    .replace(/\/resourceGroups\//i, '/')
    .toLowerCase();
  const name = `${PRIVATE_LINK_ROLE_BASE_NAME} (${label})`;
  return name.length <= MAX_ROLE_NAME_LENGTH
    ? name
    : `${PRIVATE_LINK_ROLE_BASE_NAME} (${deterministicGuid(assignableScope)})`;
}

/** Where the role is assignable: the configured scope, else the private endpoint's subscription. */
export function privateLinkRoleScope(privateEndpointId: string, configured: string | undefined): string {
  return configured ?? subscriptionScopeOf(privateEndpointId);
}

/**
 * A role made beforehand, named by its GUID, as an assignment at the private endpoint names it: the
 * definition is directory-wide, and ARM reads it through the assignment's own subscription.
 */
export function roleDefinitionIdFor(privateEndpointId: string, roleDefinitionGuid: string): string {
  return `${subscriptionScopeOf(privateEndpointId)}/providers/Microsoft.Authorization/roleDefinitions/${roleDefinitionGuid}`;
}

export class AccessGateway {
  private cachedPrincipalId: string | undefined;

  constructor(private readonly clients: ArmClients) {}

  /** The app identity's object id: `APP_PRINCIPAL_ID`, else the `oid` claim of its ARM token. */
  async principalId(): Promise<string> {
    this.cachedPrincipalId ??= appPrincipalId() ?? (await this.principalIdFromToken());
    return this.cachedPrincipalId;
  }

  /** The private endpoints at which the app's identity lacks the private-link action. */
  async missingPrivateLinkPermission(privateEndpointIds: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const id of privateEndpointIds) {
      const endpoint = parseArmResourceId(id);
      const permissions = await listPermissionsAt(
        this.clients.authorization(endpoint.subscriptionId),
        this.clients.endpoint,
        id,
      );
      if (!permitsAction(permissions, PRIVATE_LINK_ACTION)) missing.push(id);
    }
    return missing;
  }

  /** Finds or creates the custom role that holds only the private-link action, assignable at the scope. */
  async ensurePrivateLinkRole(assignableScope: string): Promise<EnsuredRole> {
    const roleName = privateLinkRoleName(assignableScope);
    const client = this.authorizationFor(assignableScope);
    const guid = deterministicGuid(assignableScope, roleName);
    // Made by an earlier run under its deterministic name: found by id even moments after it was made.
    const ours = await orUndefinedWhenAbsent(() =>
      client.roleDefinitions.get(scopeParameter(assignableScope), guid),
    );
    if (ours?.id !== undefined)
      return { roleDefinitionId: safeRoleId(ours, assignableScope), created: false };
    // Made otherwise under the same name (custom role names are unique in the directory).
    const existing = await findRole(client, assignableScope, roleName);
    if (existing !== undefined)
      return { roleDefinitionId: safeRoleId(existing, assignableScope), created: false };
    try {
      const role = await client.roleDefinitions.createOrUpdate(scopeParameter(assignableScope), guid, {
        roleName,
        description: PRIVATE_LINK_ROLE_DESCRIPTION,
        roleType: 'CustomRole',
        permissions: [
          { actions: [PRIVATE_LINK_ACTION], notActions: [], dataActions: [], notDataActions: [] },
        ],
        assignableScopes: [assignableScope],
      });
      return { roleDefinitionId: requiredId(role.id, 'role definition'), created: true };
    } catch (error) {
      // Another run created it between our read and our write.
      if (!hasCode(error, 409, 'RoleDefinitionWithSameNameExists')) throw error;
      const raced = await findRole(client, assignableScope, roleName);
      if (raced === undefined) throw error;
      return { roleDefinitionId: safeRoleId(raced, assignableScope), created: false };
    }
  }

  /**
   * Assigns the role to the principal at the scope; an identical assignment counts as done. ARM answers
   * 201 to a PUT of an assignment that already exists under the same name, so whether this run made it
   * is decided by reading it first.
   */
  async ensureRoleAssignment(
    scope: string,
    roleDefinitionId: string,
    principalId: string,
  ): Promise<EnsuredAssignment> {
    const client = this.authorizationFor(scope);
    const roleGuid = lastSegment(roleDefinitionId);
    const name = deterministicGuid(scope, principalId, roleGuid);
    const earlier = await orUndefinedWhenAbsent(() =>
      client.roleAssignments.get(scopeParameter(scope), name),
    );
    if (earlier?.id !== undefined && grants(earlier, principalId, roleGuid))
      return { assignmentId: earlier.id, created: false };
    try {
      const assignment = await client.roleAssignments.create(scopeParameter(scope), name, {
        roleDefinitionId,
        principalId,
        principalType: 'ServicePrincipal',
        description: 'Granted by the replica guard so replica creation can attach to this private endpoint.',
      });
      return { assignmentId: requiredId(assignment.id, 'role assignment'), created: true };
    } catch (error) {
      if (!hasCode(error, 409, 'RoleAssignmentExists')) throw error;
      // The same grant exists under a name someone else chose: report the one ARM names.
      const named = existingAssignmentName(error);
      if (named !== undefined)
        return {
          assignmentId: `${scope}/providers/Microsoft.Authorization/roleAssignments/${named}`,
          created: false,
        };
      // Older answers named none: look for it, and fail (to be retried) while lists still lag.
      for await (const assignment of client.roleAssignments.listForScope(scopeParameter(scope), {
        filter: `principalId eq '${principalId}'`,
      })) {
        if (
          sameId(assignment.scope ?? '', scope) &&
          grants(assignment, principalId, roleGuid) &&
          assignment.id
        )
          return { assignmentId: assignment.id, created: false };
      }
      throw error;
    }
  }

  private authorizationFor(scope: string): AuthorizationManagementClient {
    return this.clients.authorization(parseSubscriptionId(scope));
  }

  private async principalIdFromToken(): Promise<string> {
    const token = await this.clients.credential.getToken(ARM_SCOPE);
    const oid = token === null ? undefined : claimsOf(token.token).oid;
    if (typeof oid !== 'string' || oid === '') {
      throw new Error("the app identity's token has no oid claim: set APP_PRINCIPAL_ID to its object id");
    }
    return oid;
  }
}

async function findRole(
  client: AuthorizationManagementClient,
  scope: string,
  roleName: string,
): Promise<RoleDefinition | undefined> {
  // Listed at the role's own assignable scope: a role assignable only at a resource group does not show
  // when listing at its subscription.
  const pages = client.roleDefinitions.list(scopeParameter(scope), {
    filter: `roleName eq '${roleName.replace(/'/g, "''")}'`,
  });
  for await (const role of pages) if (isNamed(role, roleName) && role.id !== undefined) return role;
  return undefined;
}

/**
 * A role found under the private-link role's id or name is used only when it is exactly what the app
 * would make: anyone who may write role definitions could have made one with that name and wider
 * permissions, and the app would then assign those to itself.
 */
export class UnsafeRoleError extends Error {
  constructor(
    readonly roleDefinitionId: string,
    readonly problems: string[],
  ) {
    super(
      `the role ${roleDefinitionId} carries the private-link role's name but ${problems.join('; ')}: ` +
        'it was not assigned',
    );
    this.name = 'UnsafeRoleError';
  }
}

/**
 * What makes a role unfit to be the private-link role at `assignableScope`: it must be a custom role with
 * one permission entry holding exactly the private-link action, no notActions, dataActions or
 * notDataActions, assignable exactly at that scope. Empty when it is fit.
 */
export function privateLinkRoleProblems(role: RoleDefinition, assignableScope: string): string[] {
  const problems: string[] = [];
  if (role.roleType !== 'CustomRole')
    problems.push(`it is a ${role.roleType ?? 'role of no type'}, not a custom role`);
  const permissions = role.permissions ?? [];
  const [only] = permissions;
  if (permissions.length !== 1 || only === undefined) {
    problems.push(`it has ${permissions.length} permission entries, not one`);
  } else {
    const actions = only.actions ?? [];
    if (actions.length !== 1 || actions[0]?.toLowerCase() !== PRIVATE_LINK_ACTION.toLowerCase())
      problems.push(`its actions are [${actions.join(', ')}], not only ${PRIVATE_LINK_ACTION}`);
    for (const [field, list] of [
      ['notActions', only.notActions],
      ['dataActions', only.dataActions],
      ['notDataActions', only.notDataActions],
    ] as const) {
      if ((list ?? []).length > 0) problems.push(`it has ${field} [${(list ?? []).join(', ')}]`);
    }
  }
  const scopes = role.assignableScopes ?? [];
  if (scopes.length !== 1 || !sameId(scopes[0] ?? '', assignableScope))
    problems.push(`it is assignable at [${scopes.join(', ')}], not only ${assignableScope}`);
  return problems;
}

function safeRoleId(role: RoleDefinition, assignableScope: string): string {
  const id = requiredId(role.id, 'role definition');
  const problems = privateLinkRoleProblems(role, assignableScope);
  if (problems.length > 0) throw new UnsafeRoleError(id, problems);
  return id;
}

/** The existing assignment's name from RoleAssignmentExists: "...is <32 hex digits>." as a GUID. */
function existingAssignmentName(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  const hex = /existing role assignment is ([0-9a-f]{32})\b/i.exec(message)?.[1]?.toLowerCase();
  return hex === undefined
    ? undefined
    : `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function grants(assignment: RoleAssignment, principalId: string, roleGuid: string): boolean {
  return (
    sameId(assignment.principalId ?? '', principalId) &&
    sameId(lastSegment(assignment.roleDefinitionId ?? ''), roleGuid)
  );
}

async function orUndefinedWhenAbsent<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof RestError && error.statusCode === 404) return undefined;
    throw error;
  }
}

function isNamed(role: RoleDefinition, roleName: string): boolean {
  return (role.roleName ?? '').toLowerCase() === roleName.toLowerCase();
}

function claimsOf(jwt: string): Record<string, unknown> {
  try {
    const payload = jwt.split('.')[1] ?? '';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function parseSubscriptionId(scope: string): string {
  return subscriptionScopeOf(scope).slice('/subscriptions/'.length);
}

function lastSegment(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

function sameId(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

function requiredId(id: string | undefined, what: string): string {
  if (id === undefined || id === '') throw new Error(`ARM returned a ${what} without an id`);
  return id;
}

function hasCode(error: unknown, status: number, code: string): boolean {
  return error instanceof RestError && error.statusCode === status && error.code === code;
}
