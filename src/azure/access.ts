// The app identity's access in Azure RBAC (Microsoft.Authorization): its effective permissions at the
// registry's private endpoints, and the least-privilege custom role and assignments that give it the
// private-link action. Writes use deterministic names, so running them again finds what they made.
import type { AuthorizationManagementClient, RoleDefinition } from '@azure/arm-authorization';
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
      const pages = this.clients
        .authorization(endpoint.subscriptionId)
        .permissions.listForResource(
          endpoint.resourceGroup,
          endpoint.provider,
          '',
          endpoint.type,
          endpoint.name,
        );
      const permissions = [];
      for await (const permission of pages) permissions.push(permission);
      if (!permitsAction(permissions, PRIVATE_LINK_ACTION)) missing.push(id);
    }
    return missing;
  }

  /** Finds or creates the custom role that holds only the private-link action, assignable at the scope. */
  async ensurePrivateLinkRole(assignableScope: string): Promise<EnsuredRole> {
    const roleName = privateLinkRoleName(assignableScope);
    const client = this.authorizationFor(assignableScope);
    const existing = await findRole(client, assignableScope, roleName);
    if (existing !== undefined) return { roleDefinitionId: existing, created: false };
    try {
      const role = await client.roleDefinitions.createOrUpdate(
        scopeParameter(assignableScope),
        deterministicGuid(assignableScope, roleName),
        {
          roleName,
          description: PRIVATE_LINK_ROLE_DESCRIPTION,
          roleType: 'CustomRole',
          permissions: [
            { actions: [PRIVATE_LINK_ACTION], notActions: [], dataActions: [], notDataActions: [] },
          ],
          assignableScopes: [assignableScope],
        },
      );
      return { roleDefinitionId: requiredId(role.id, 'role definition'), created: true };
    } catch (error) {
      // Another run created it between our read and our write.
      if (!hasCode(error, 409, 'RoleDefinitionWithSameNameExists')) throw error;
      const raced = await findRole(client, assignableScope, roleName);
      if (raced === undefined) throw error;
      return { roleDefinitionId: raced, created: false };
    }
  }

  /** Assigns the role to the principal at the scope; an identical assignment counts as done. */
  async ensureRoleAssignment(
    scope: string,
    roleDefinitionId: string,
    principalId: string,
  ): Promise<EnsuredAssignment> {
    const client = this.authorizationFor(scope);
    const roleGuid = lastSegment(roleDefinitionId);
    const name = deterministicGuid(scope, principalId, roleGuid);
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
      // The same grant exists, possibly under a name someone else chose: report that one.
      for await (const assignment of client.roleAssignments.listForScope(scopeParameter(scope), {
        filter: `principalId eq '${principalId}'`,
      })) {
        if (
          sameId(assignment.scope ?? '', scope) &&
          sameId(lastSegment(assignment.roleDefinitionId ?? ''), roleGuid) &&
          assignment.id !== undefined
        ) {
          return { assignmentId: assignment.id, created: false };
        }
      }
      return {
        assignmentId: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        created: false,
      };
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
): Promise<string | undefined> {
  // Listed at the role's own assignable scope: a role assignable only at a resource group does not show
  // when listing at its subscription.
  const pages = client.roleDefinitions.list(scopeParameter(scope), {
    filter: `roleName eq '${roleName.replace(/'/g, "''")}'`,
  });
  for await (const role of pages) if (isNamed(role, roleName) && role.id !== undefined) return role.id;
  return undefined;
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
