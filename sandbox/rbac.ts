// The sandbox's Azure RBAC: role definitions, role assignments and the access decisions they imply.
// One model answers both the Microsoft.Authorization API and every access check the sandbox makes.

import { createHash, randomUUID } from 'node:crypto';

import { anyMatches } from './actionPattern';
import { CONDITION_VERSION, ConditionSyntaxError, evaluateCondition, parseCondition } from './conditions';
import type { Condition, ConditionAttributes } from './conditions';
import {
  isValidScope,
  normalizeScope,
  sameScope,
  scopeCovers,
  scopesRelated,
  subscriptionIdOf,
} from './armScope';
import {
  authorizationFailed,
  badRequest,
  conditionNotFulfilled,
  invalidCondition,
  roleAssignmentExists,
  roleAssignmentUpdateNotPermitted,
  roleDefinitionDoesNotExist,
  roleDefinitionWithSameNameExists,
} from './authorizationErrors';
import { BUILT_IN_ROLES } from './builtInRoles';
import type { SeedPermission, SeedRoleAssignment, SeedRoleDefinition } from './types';
import { ArmError } from './types';

export interface Permission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export type RoleType = 'BuiltInRole' | 'CustomRole';
export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';

export interface RoleDefinition {
  /** The GUID. */
  name: string;
  roleName: string;
  description: string;
  roleType: RoleType;
  permissions: Permission[];
  assignableScopes: string[];
  createdOn: string;
  updatedOn: string;
  /** Object id of whoever created it; absent for built-in and seeded roles. */
  createdBy?: string;
  updatedBy?: string;
}

export interface RoleDefinitionInput {
  roleName: string;
  description?: string;
  permissions: SeedPermission[];
  assignableScopes: string[];
}

export interface RoleAssignment {
  /** The GUID. */
  name: string;
  scope: string;
  /** GUID of the role definition. */
  roleDefinitionName: string;
  principalId: string;
  principalType: PrincipalType;
  description?: string;
  condition?: string;
  conditionVersion?: string;
  delegatedManagedIdentityResourceId?: string;
  createdOn: string;
  updatedOn: string;
  createdBy?: string;
  updatedBy?: string;
}

export interface RoleAssignmentInput {
  /** Full role definition id (tenant or subscription form). */
  roleDefinitionId: string;
  principalId: string;
  /** Defaults to "User", as in the REST definition. */
  principalType?: PrincipalType;
  description?: string;
  condition?: string;
  conditionVersion?: string;
  delegatedManagedIdentityResourceId?: string;
}

export interface RoleDefinitionFilter {
  roleName?: string;
  roleType?: string;
  /** Also list custom roles assignable only below the scope. */
  atScopeAndBelow?: boolean;
}

/** The attributes an access check hands to role assignment conditions. */
export interface AccessAttributes {
  request?: ConditionAttributes;
  resource?: ConditionAttributes;
}

export interface RoleAssignmentFilter {
  principalId?: string;
  /** Only assignments at or above the scope. */
  atScope?: boolean;
}

export interface RbacOptions {
  /** Page size of list responses (default 100). */
  pageSize?: number;
  now?: () => Date;
  /**
   * Looks a principal up in the directory. When given, assignments to unknown principals are refused
   * with PrincipalNotFound, and a principalType that disagrees with the directory with
   * UnmatchedPrincipalType, as ARM does.
   */
  directory?: (objectId: string) => PrincipalType | undefined;
  /** The sandbox clock in (virtual) milliseconds, for propagation delays. */
  clockMs?: () => number;
  /**
   * How long, in (virtual) milliseconds, an assignment made through the API takes to become effective:
   * ARM's role assignments propagate with delay. Seeded assignments are effective at once.
   */
  propagationMs?: () => number;
  /**
   * How long, in (virtual) milliseconds, a role definition or assignment made through the API stays
   * out of list answers: ARM's lists lag its writes. GET by id sees it at once.
   */
  listLagMs?: () => number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_DEFINITION_ID = /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i;

/** How ARM spells a role definition id when read at `scope`: per subscription, or tenant-wide above one. */
export function roleDefinitionIdAt(scope: string, roleDefinitionName: string): string {
  const subscriptionId = subscriptionIdOf(scope);
  const prefix = subscriptionId === undefined ? '' : `/subscriptions/${subscriptionId}`;
  return `${prefix}/providers/Microsoft.Authorization/roleDefinitions/${roleDefinitionName}`;
}

export function roleAssignmentIdOf(assignment: Pick<RoleAssignment, 'scope' | 'name'>): string {
  const scope = normalizeScope(assignment.scope);
  return `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${assignment.name}`;
}

/** Everything the model holds, as plain data (see `snapshot` and `restore`). */
export interface RbacSnapshot {
  definitions: RoleDefinition[];
  assignments: RoleAssignment[];
  propagatingUntil: [string, number][];
  listedFrom: [string, number][];
}

export class RbacModel {
  pageSize: number;
  private readonly definitions = new Map<string, RoleDefinition>();
  private readonly assignments = new Map<string, RoleAssignment>();
  private readonly now: () => Date;
  private readonly directory: RbacOptions['directory'];
  private readonly clockMs: () => number;
  private readonly propagationMs: () => number;
  private readonly listLagMs: () => number;
  /** Assignment name → when it becomes effective, for assignments still propagating. */
  private readonly propagatingUntil = new Map<string, number>();
  /** Definition or assignment name → when lists start to show it, for those just written. */
  private readonly listedFrom = new Map<string, number>();
  /** Condition text → its parsed form. */
  private readonly conditions = new Map<string, Condition>();

  constructor(
    readonly tenantId: string,
    options: RbacOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 100;
    this.now = options.now ?? (() => new Date());
    this.directory = options.directory;
    this.clockMs = options.clockMs ?? (() => Date.now());
    this.propagationMs = options.propagationMs ?? (() => 0);
    this.listLagMs = options.listLagMs ?? (() => 0);
    for (const role of BUILT_IN_ROLES) {
      this.definitions.set(role.name.toLowerCase(), {
        name: role.name,
        roleName: role.roleName,
        description: role.description,
        roleType: 'BuiltInRole',
        permissions: role.permissions.map(copyPermission),
        assignableScopes: ['/'],
        createdOn: role.createdOn,
        updatedOn: role.updatedOn,
      });
    }
  }

  /** Loads a seed document's roles and assignments; throws on anything ARM would refuse. */
  seed(definitions: SeedRoleDefinition[], assignments: SeedRoleAssignment[]): void {
    for (const seed of definitions) {
      const name = seed.name ?? randomUUID();
      const definition = this.validatedDefinition(name, seed, seed.type ?? 'CustomRole');
      const at = this.now().toISOString();
      this.definitions.set(name.toLowerCase(), { ...definition, createdOn: at, updatedOn: at });
    }
    for (const seed of assignments) {
      const role = this.resolveRole(seed.role);
      if (role === undefined) throw new Error(`Seed role assignment names an unknown role '${seed.role}'.`);
      const scope = normalizeScope(seed.scope);
      const name = deterministicGuid(`${scope.toLowerCase()}|${seed.principalId.toLowerCase()}|${role.name}`);
      this.createRoleAssignment(scope, name, {
        roleDefinitionId: roleDefinitionIdAt(scope, role.name),
        principalId: seed.principalId,
        // Seeds are mostly managed identities; say so unless told or the directory knows otherwise.
        principalType: seed.principalType ?? this.directory?.(seed.principalId) ?? 'ServicePrincipal',
        ...(seed.condition === undefined
          ? {}
          : { condition: seed.condition, conditionVersion: seed.conditionVersion ?? CONDITION_VERSION }),
      });
    }
  }

  /** The model's contents, for keeping them across restarts. */
  snapshot(): RbacSnapshot {
    return {
      definitions: [...this.definitions.values()].map(copyDefinition),
      assignments: [...this.assignments.values()].map((a) => ({ ...a })),
      propagatingUntil: [...this.propagatingUntil],
      listedFrom: [...this.listedFrom],
    };
  }

  /** Replaces the model's contents with a snapshot's. */
  restore(snapshot: RbacSnapshot): void {
    this.definitions.clear();
    for (const d of snapshot.definitions) this.definitions.set(d.name.toLowerCase(), copyDefinition(d));
    this.assignments.clear();
    for (const a of snapshot.assignments) this.assignments.set(a.name.toLowerCase(), { ...a });
    this.propagatingUntil.clear();
    for (const [name, at] of snapshot.propagatingUntil) this.propagatingUntil.set(name, at);
    this.listedFrom.clear();
    for (const [name, at] of snapshot.listedFrom) this.listedFrom.set(name, at);
  }

  // ---- access decisions ----

  /**
   * Whether an effective assignment of the principal at or above `scope` grants `action` and its
   * condition, if any, holds for the action and the attributes given.
   */
  isAllowed(principalId: string, scope: string, action: string, attributes: AccessAttributes = {}): boolean {
    return this.grantingAssignments(principalId, scope, action, 'control').some((a) =>
      this.conditionHolds(a, action, attributes),
    );
  }

  isDataActionAllowed(principalId: string, scope: string, dataAction: string): boolean {
    return this.grantingAssignments(principalId, scope, dataAction, 'data').some((a) =>
      this.conditionHolds(a, dataAction, {}),
    );
  }

  /**
   * Throws ARM's 403 AuthorizationFailed unless the principal may perform `action` at `scope`; when only
   * an assignment whose condition did not hold would have granted it, with ARM's wording for that.
   */
  authorize(principalId: string, scope: string, action: string, attributes: AccessAttributes = {}): void {
    const candidates = this.grantingAssignments(principalId, scope, action, 'control');
    if (candidates.some((a) => this.conditionHolds(a, action, attributes))) return;
    const at = normalizeScope(scope);
    throw candidates.length > 0
      ? conditionNotFulfilled(principalId, action, at)
      : authorizationFailed(principalId, action, at);
  }

  /** Whether the principal holds `action` at `scope` through some assignment, conditions aside. */
  holdsAction(principalId: string, scope: string, action: string): boolean {
    return this.grantingAssignments(principalId, scope, action, 'control').length > 0;
  }

  /** The permission blocks of every role the principal holds at `scope`, one role once. */
  permissionsAt(principalId: string, scope: string): Permission[] {
    return this.rolesOf(principalId, scope).flatMap((role) => role.permissions.map(copyPermission));
  }

  // ---- role definitions ----

  /** By GUID or by full id. */
  getRoleDefinition(nameOrId: string): RoleDefinition | undefined {
    const name = ROLE_DEFINITION_ID.exec(nameOrId)?.[2] ?? nameOrId;
    const found = this.definitions.get(name.toLowerCase());
    return found && copyDefinition(found);
  }

  /** By role name (built-in or custom), GUID, or full id. */
  resolveRole(role: string): RoleDefinition | undefined {
    const byId = this.getRoleDefinition(role);
    if (byId !== undefined) return byId;
    const wanted = role.toLowerCase();
    const found = [...this.definitions.values()].find((d) => d.roleName.toLowerCase() === wanted);
    return found && copyDefinition(found);
  }

  /** Whether a role definition can be seen from `scope`: assignable there, above, or below it. */
  isRoleDefinitionVisibleAt(role: RoleDefinition, scope: string): boolean {
    return role.assignableScopes.some((assignable) => scopesRelated(assignable, scope));
  }

  /** Role definitions applicable at the scope and above (and below with atScopeAndBelow), in creation order. */
  listRoleDefinitions(scope: string, filter: RoleDefinitionFilter = {}): RoleDefinition[] {
    return [...this.definitions.values()]
      .filter((role) => this.isListed(role.name))
      .filter((role) =>
        role.assignableScopes.some(
          (assignable) =>
            scopeCovers(assignable, scope) ||
            (filter.atScopeAndBelow === true && scopeCovers(scope, assignable)),
        ),
      )
      .filter(
        (role) =>
          filter.roleName === undefined || role.roleName.toLowerCase() === filter.roleName.toLowerCase(),
      )
      .filter(
        (role) =>
          filter.roleType === undefined || role.roleType.toLowerCase() === filter.roleType.toLowerCase(),
      )
      .map(copyDefinition);
  }

  /**
   * Creates or replaces a custom role. The caller's right to do so is the route's business (see
   * `authorize`); this checks what ARM checks about the role itself.
   */
  putRoleDefinition(
    name: string,
    input: RoleDefinitionInput,
    callerId: string,
  ): { definition: RoleDefinition; created: boolean } {
    const existing = this.definitions.get(name.toLowerCase());
    if (existing?.roleType === 'BuiltInRole') {
      throw badRequest(
        'RoleDefinitionUpdateNotPermitted',
        `Built-in role definition '${name}' cannot be modified.`,
      );
    }
    const definition = this.validatedDefinition(existing?.name ?? name, input, 'CustomRole');
    const at = this.now().toISOString();
    const stored: RoleDefinition = {
      ...definition,
      createdOn: existing?.createdOn ?? at,
      updatedOn: at,
      createdBy: existing ? existing.createdBy : callerId,
      updatedBy: callerId,
    };
    this.definitions.set(stored.name.toLowerCase(), stored);
    if (existing === undefined) this.hideFromListsForAWhile(stored.name);
    return { definition: copyDefinition(stored), created: existing === undefined };
  }

  /** Removes a custom role; undefined when there was none. Refused while assignments use it. */
  deleteRoleDefinition(nameOrId: string): RoleDefinition | undefined {
    const existing = this.getRoleDefinition(nameOrId);
    if (existing === undefined) return undefined;
    if (existing.roleType === 'BuiltInRole') {
      throw badRequest(
        'RoleDefinitionUpdateNotPermitted',
        `Built-in role definition '${existing.name}' cannot be deleted.`,
      );
    }
    const inUse = [...this.assignments.values()].some((a) => a.roleDefinitionName === existing.name);
    if (inUse) {
      throw new ArmError(
        409,
        'RoleDefinitionHasAssignments',
        `There are existing role assignments referencing role '${existing.name}'. Remove them before deleting the role definition.`,
      );
    }
    this.definitions.delete(existing.name.toLowerCase());
    return existing;
  }

  // ---- role assignments ----

  /**
   * Creates a role assignment named `name` at `scope`.
   *
   * Sending the same assignment again under its name succeeds (ARM answers 201 again: the name makes the
   * write idempotent, Azure/azure-cli#31995), and may change its description or condition. Any other
   * change under that name is RoleAssignmentUpdateNotPermitted. The same principal, role and scope under
   * a new name is RoleAssignmentExists, naming the existing assignment.
   */
  createRoleAssignment(
    scope: string,
    name: string,
    input: RoleAssignmentInput,
    callerId?: string,
  ): { assignment: RoleAssignment; created: boolean } {
    const at = normalizeScope(scope);
    if (!GUID.test(name)) {
      throw badRequest(
        'InvalidRoleAssignmentId',
        `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
      );
    }
    if (!isValidScope(at) || at === '/') {
      throw badRequest('InvalidScope', `The scope '${at}' is not valid for a role assignment.`);
    }
    const role = this.roleForAssignment(input.roleDefinitionId, at);
    const principalType = this.checkedPrincipalType(input.principalId, input.principalType ?? 'User');
    if (input.condition !== undefined) this.parsedCondition(input.condition, input.conditionVersion);

    const existing = this.assignments.get(name.toLowerCase());
    if (existing !== undefined) {
      return { assignment: this.updateAssignment(existing, at, role.name, input, callerId), created: false };
    }
    const duplicate = [...this.assignments.values()].find(
      (a) =>
        sameScope(a.scope, at) &&
        a.roleDefinitionName === role.name &&
        sameId(a.principalId, input.principalId),
    );
    if (duplicate !== undefined) throw roleAssignmentExists(duplicate.name);

    const now = this.now().toISOString();
    const assignment: RoleAssignment = dropUndefined({
      name: name.toLowerCase(),
      scope: at,
      roleDefinitionName: role.name,
      principalId: input.principalId,
      principalType,
      description: input.description,
      condition: input.condition,
      conditionVersion: input.conditionVersion,
      delegatedManagedIdentityResourceId: input.delegatedManagedIdentityResourceId,
      createdOn: now,
      updatedOn: now,
      createdBy: callerId,
      updatedBy: callerId,
    });
    this.assignments.set(assignment.name, assignment);
    const delay = callerId === undefined ? 0 : this.propagationMs();
    if (delay > 0) this.propagatingUntil.set(assignment.name, this.clockMs() + delay);
    if (callerId !== undefined) this.hideFromListsForAWhile(assignment.name);
    return { assignment: { ...assignment }, created: true };
  }

  /** The assignment named `name` at exactly `scope`. */
  getRoleAssignment(scope: string, name: string): RoleAssignment | undefined {
    const found = this.assignments.get(name.toLowerCase());
    return found && sameScope(found.scope, scope) ? { ...found } : undefined;
  }

  /** Removes the assignment named `name` at `scope`; undefined when there was none. */
  deleteRoleAssignment(scope: string, name: string): RoleAssignment | undefined {
    const found = this.getRoleAssignment(scope, name);
    if (found !== undefined) this.assignments.delete(found.name);
    return found;
  }

  /**
   * ARM's listForScope: without a filter, assignments at, above and below the scope; `atScope` keeps
   * those at or above; `principalId` keeps one principal's.
   */
  listRoleAssignments(scope: string, filter: RoleAssignmentFilter = {}): RoleAssignment[] {
    return [...this.assignments.values()]
      .filter((a) => this.isListed(a.name))
      .filter((a) => (filter.atScope === true ? scopeCovers(a.scope, scope) : scopesRelated(a.scope, scope)))
      .filter((a) => filter.principalId === undefined || sameId(a.principalId, filter.principalId))
      .map((a) => ({ ...a }));
  }

  // ---- internals ----

  private hideFromListsForAWhile(name: string): void {
    const lag = this.listLagMs();
    if (lag > 0) this.listedFrom.set(name.toLowerCase(), this.clockMs() + lag);
  }

  private isListed(name: string): boolean {
    return (this.listedFrom.get(name.toLowerCase()) ?? 0) <= this.clockMs();
  }

  /** Effective assignments of the principal at or above `scope` whose role grants the action. */
  private grantingAssignments(
    principalId: string,
    scope: string,
    action: string,
    plane: 'control' | 'data',
  ): RoleAssignment[] {
    const now = this.clockMs();
    return [...this.assignments.values()].filter((a) => {
      if ((this.propagatingUntil.get(a.name) ?? 0) > now) return false;
      if (!sameId(a.principalId, principalId) || !scopeCovers(a.scope, scope)) return false;
      const role = this.definitions.get(a.roleDefinitionName.toLowerCase());
      return role !== undefined && grants(role, action, plane);
    });
  }

  private conditionHolds(assignment: RoleAssignment, action: string, attributes: AccessAttributes): boolean {
    if (assignment.condition === undefined) return true;
    const condition = this.parsedCondition(assignment.condition, assignment.conditionVersion);
    return evaluateCondition(condition, { action, ...attributes });
  }

  /**
   * A condition as written (version 2.0 only), parsed once. Anything the sandbox cannot evaluate is
   * refused when the assignment is written, so that no stored condition is ever ignored.
   */
  private parsedCondition(text: string, version: string | undefined): Condition {
    const cached = this.conditions.get(text);
    if (cached !== undefined && version === CONDITION_VERSION) return cached;
    if (version !== CONDITION_VERSION)
      throw invalidCondition(`conditionVersion must be '${CONDITION_VERSION}'`);
    try {
      const parsed = parseCondition(text);
      this.conditions.set(text, parsed);
      return parsed;
    } catch (error) {
      if (error instanceof ConditionSyntaxError) throw invalidCondition(error.message);
      throw error;
    }
  }

  private rolesOf(principalId: string, scope: string): RoleDefinition[] {
    const names = new Set<string>();
    const now = this.clockMs();
    for (const a of this.assignments.values()) {
      if ((this.propagatingUntil.get(a.name) ?? 0) > now) continue;
      if (sameId(a.principalId, principalId) && scopeCovers(a.scope, scope)) names.add(a.roleDefinitionName);
    }
    return [...names].flatMap((name) => this.definitions.get(name.toLowerCase()) ?? []);
  }

  private roleForAssignment(roleDefinitionId: string, scope: string): RoleDefinition {
    const match = ROLE_DEFINITION_ID.exec(normalizeScope(roleDefinitionId ?? ''));
    const guid = match?.[2];
    if (guid === undefined || !GUID.test(guid)) {
      throw badRequest(
        'InvalidRoleDefinitionId',
        `The role definition ID '${roleDefinitionId}' is not valid.`,
      );
    }
    const role = this.definitions.get(guid.toLowerCase());
    if (role === undefined) throw roleDefinitionDoesNotExist(400, guid);
    if (!role.assignableScopes.some((assignable) => scopeCovers(assignable, scope))) {
      throw badRequest(
        'ScopeDoesNotMatchRoleDefinition',
        `The role assignment scope '${scope}' is not within the assignable scopes of role definition '${role.name}'.`,
      );
    }
    return role;
  }

  private checkedPrincipalType(principalId: string, requested: PrincipalType): PrincipalType {
    if (this.directory === undefined) return requested;
    const actual = this.directory(principalId);
    if (actual === undefined) {
      throw badRequest(
        'PrincipalNotFound',
        `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${this.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.`,
      );
    }
    if (actual !== requested) {
      throw badRequest(
        'UnmatchedPrincipalType',
        `The PrincipalId '${principalId.replace(/-/g, '')}' has type '${actual}' , which is different from specified PrincipalType '${requested}'.`,
      );
    }
    return requested;
  }

  private updateAssignment(
    existing: RoleAssignment,
    scope: string,
    roleName: string,
    input: RoleAssignmentInput,
    callerId: string | undefined,
  ): RoleAssignment {
    const sameTarget =
      sameScope(existing.scope, scope) &&
      existing.roleDefinitionName === roleName &&
      sameId(existing.principalId, input.principalId);
    if (!sameTarget) throw roleAssignmentUpdateNotPermitted();
    const unchanged =
      (input.description ?? undefined) === existing.description &&
      (input.condition ?? undefined) === existing.condition &&
      (input.conditionVersion ?? undefined) === existing.conditionVersion;
    if (unchanged) return { ...existing };
    const updated: RoleAssignment = dropUndefined({
      ...existing,
      description: input.description,
      condition: input.condition,
      conditionVersion: input.conditionVersion,
      updatedOn: this.now().toISOString(),
      updatedBy: callerId,
    });
    this.assignments.set(updated.name, updated);
    return { ...updated };
  }

  private validatedDefinition(
    name: string,
    input: RoleDefinitionInput & { description?: string },
    roleType: RoleType,
  ): Omit<RoleDefinition, 'createdOn' | 'updatedOn'> {
    if (!GUID.test(name)) {
      throw badRequest(
        'InvalidRoleDefinitionId',
        `The role definition ID '${name}' is not valid. It must be a GUID.`,
      );
    }
    const roleName = typeof input.roleName === 'string' ? input.roleName.trim() : '';
    if (roleName === '')
      throw badRequest('InvalidRoleDefinition', 'The role definition must have a roleName.');
    if (!Array.isArray(input.assignableScopes) || input.assignableScopes.length === 0) {
      throw badRequest(
        'InvalidRoleDefinition',
        'The role definition must have at least one assignable scope.',
      );
    }
    const assignableScopes = input.assignableScopes.map((s) => normalizeScope(String(s)));
    for (const scope of assignableScopes) {
      if (!isValidScope(scope) || (scope === '/' && roleType === 'CustomRole')) {
        throw badRequest(
          'InvalidAssignableScope',
          `The assignable scope '${scope}' is not valid for a custom role.`,
        );
      }
    }
    if (!Array.isArray(input.permissions)) {
      throw badRequest('InvalidRoleDefinition', 'The role definition must have a permissions array.');
    }
    const clash = [...this.definitions.values()].find(
      (d) =>
        d.roleName.toLowerCase() === roleName.toLowerCase() && d.name.toLowerCase() !== name.toLowerCase(),
    );
    // Custom role names are unique in the whole directory, not per subscription.
    if (clash !== undefined) throw roleDefinitionWithSameNameExists();
    return {
      name: name.toLowerCase(),
      roleName,
      description: input.description ?? '',
      roleType,
      permissions: input.permissions.map(copyPermission),
      assignableScopes,
    };
  }
}

function grants(role: RoleDefinition, action: string, plane: 'control' | 'data'): boolean {
  const allowed = role.permissions.flatMap((p) => (plane === 'control' ? p.actions : p.dataActions));
  const denied = role.permissions.flatMap((p) => (plane === 'control' ? p.notActions : p.notDataActions));
  return anyMatches(allowed, action) && !anyMatches(denied, action);
}

function copyPermission(p: SeedPermission): Permission {
  return {
    actions: [...(p.actions ?? [])],
    notActions: [...(p.notActions ?? [])],
    dataActions: [...(p.dataActions ?? [])],
    notDataActions: [...(p.notDataActions ?? [])],
  };
}

function copyDefinition(d: RoleDefinition): RoleDefinition {
  return { ...d, permissions: d.permissions.map(copyPermission), assignableScopes: [...d.assignableScopes] };
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A stable GUID-shaped name, like a template's guid(scope, principal, role). */
function deterministicGuid(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
