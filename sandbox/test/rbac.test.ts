import {
  CONTAINER_REGISTRY_CONTRIBUTOR_ROLE_ID,
  CONTRIBUTOR_ROLE_ID,
  OWNER_ROLE_ID,
  READER_ROLE_ID,
} from '../builtInRoles';
import type { PrincipalType } from '../rbac';
import { RbacModel, roleDefinitionIdAt } from '../rbac';
import { ArmError } from '../types';

const TENANT = '00000000-0000-0000-0000-00000000a11c';
const SUB = '/subscriptions/00000000-0000-0000-0000-0000000000a1';
const RG1 = `${SUB}/resourceGroups/rg1`;
const RG10 = `${SUB}/resourceGroups/rg10`;
const NET = `${SUB}/resourceGroups/net`;
const PE = `${NET}/providers/Microsoft.Network/privateEndpoints/pe1`;
const REGISTRY = `${RG1}/providers/Microsoft.ContainerRegistry/registries/acr1`;
const PROXY_WRITE = 'Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write';

const APP = '11111111-1111-1111-1111-111111111111';
const ADMIN = '22222222-2222-2222-2222-222222222222';
const OTHER = '33333333-3333-3333-3333-333333333333';

const ROLE_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const ROLE_B = 'aaaaaaaa-0000-4000-8000-000000000002';
const ASSIGNMENT_1 = 'bbbbbbbb-0000-4000-8000-000000000001';
const ASSIGNMENT_2 = 'bbbbbbbb-0000-4000-8000-000000000002';

function fixedClock(): { now: () => Date; advance: (ms: number) => void } {
  let t = Date.parse('2025-01-01T00:00:00.000Z');
  return { now: () => new Date(t), advance: (ms) => (t += ms) };
}

function armErrorOf(fn: () => unknown): ArmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ArmError) return e;
    throw e;
  }
  throw new Error('expected an ArmError');
}

function assign(rbac: RbacModel, principalId: string, role: string, scope: string): void {
  rbac.seed([], [{ principalId, role, scope }]);
}

describe('RbacModel built-in roles', () => {
  const rbac = new RbacModel(TENANT);

  it('pre-loads the built-in roles under their well-known ids', () => {
    expect(rbac.resolveRole('Owner')?.name).toBe(OWNER_ROLE_ID);
    expect(rbac.resolveRole('contributor')?.name).toBe(CONTRIBUTOR_ROLE_ID);
    expect(rbac.resolveRole('Reader')?.name).toBe(READER_ROLE_ID);
    expect(rbac.resolveRole('User Access Administrator')?.name).toBe('18d7d88d-d35e-4fb5-a5c3-7773c20a72d9');
    expect(rbac.resolveRole('Role Based Access Control Administrator')?.name).toBe(
      'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
    );
    expect(rbac.resolveRole('AcrPull')?.name).toBe('7f951dda-4ed3-4680-a7ca-43fe172d538d');
    expect(
      rbac.resolveRole('Container Registry Contributor and Data Access Configuration Administrator')?.name,
    ).toBe(CONTAINER_REGISTRY_CONTRIBUTOR_ROLE_ID);
    expect(rbac.getRoleDefinition(OWNER_ROLE_ID)).toMatchObject({
      roleType: 'BuiltInRole',
      assignableScopes: ['/'],
    });
  });

  it('resolves a role by its full id in either the tenant or the subscription form', () => {
    expect(
      rbac.resolveRole(`/providers/Microsoft.Authorization/roleDefinitions/${READER_ROLE_ID}`)?.roleName,
    ).toBe('Reader');
    expect(rbac.resolveRole(roleDefinitionIdAt(SUB, READER_ROLE_ID))?.roleName).toBe('Reader');
  });
});

describe('RbacModel access decisions', () => {
  it('lets Owner do anything below its scope, and nothing outside it', () => {
    const rbac = new RbacModel(TENANT);
    assign(rbac, APP, 'Owner', RG1);
    expect(rbac.isAllowed(APP, REGISTRY, 'Microsoft.ContainerRegistry/registries/replications/write')).toBe(
      true,
    );
    expect(rbac.isAllowed(APP, RG1, 'Microsoft.Authorization/roleAssignments/write')).toBe(true);
    expect(rbac.isAllowed(APP, RG10, 'Microsoft.ContainerRegistry/registries/read')).toBe(false);
    expect(rbac.isAllowed(APP, SUB, 'Microsoft.ContainerRegistry/registries/read')).toBe(false);
  });

  it('takes Contributor notActions away from its own "*", including through mid-path wildcards', () => {
    const rbac = new RbacModel(TENANT);
    assign(rbac, APP, 'Contributor', SUB);
    expect(rbac.isAllowed(APP, PE, PROXY_WRITE)).toBe(true);
    expect(rbac.isAllowed(APP, SUB, 'Microsoft.Authorization/roleAssignments/read')).toBe(true);
    expect(rbac.isAllowed(APP, SUB, 'Microsoft.Authorization/roleAssignments/write')).toBe(false);
    expect(rbac.isAllowed(APP, SUB, 'Microsoft.Authorization/roleDefinitions/write')).toBe(false);
    expect(rbac.isAllowed(APP, SUB, 'Microsoft.Authorization/roleAssignments/delete')).toBe(false);
    expect(rbac.isAllowed(APP, SUB, 'Microsoft.Authorization/elevateAccess/action')).toBe(false);
    expect(rbac.isAllowed(APP, SUB, 'Microsoft.Compute/galleries/share/action')).toBe(false);
  });

  it("does not let one role's notActions take away what another role grants", () => {
    const rbac = new RbacModel(TENANT);
    rbac.seed(
      [
        {
          name: ROLE_A,
          roleName: 'Assignment writer',
          permissions: [{ actions: ['Microsoft.Authorization/roleAssignments/write'] }],
          assignableScopes: [SUB],
        },
      ],
      [
        { principalId: APP, role: 'Contributor', scope: SUB },
        { principalId: APP, role: 'Assignment writer', scope: SUB },
      ],
    );
    expect(rbac.isAllowed(APP, RG1, 'Microsoft.Authorization/roleAssignments/write')).toBe(true);
    expect(rbac.isAllowed(APP, RG1, 'Microsoft.Authorization/roleDefinitions/write')).toBe(false);
  });

  it('lets Reader read and nothing else', () => {
    const rbac = new RbacModel(TENANT);
    assign(rbac, APP, 'Reader', SUB);
    expect(rbac.isAllowed(APP, REGISTRY, 'Microsoft.ContainerRegistry/registries/read')).toBe(true);
    expect(rbac.isAllowed(APP, REGISTRY, 'Microsoft.ContainerRegistry/registries/write')).toBe(false);
  });

  it('applies a resource-group assignment to rg1 and below but not to rg10', () => {
    const rbac = new RbacModel(TENANT);
    assign(rbac, APP, 'Reader', RG1);
    expect(rbac.isAllowed(APP, RG1, 'Microsoft.Resources/subscriptions/resourceGroups/read')).toBe(true);
    expect(
      rbac.isAllowed(APP, `${RG10}/providers/Microsoft.ContainerRegistry/registries/acr9`, 'x/read'),
    ).toBe(false);
    expect(rbac.isAllowed(APP, RG10, 'Microsoft.Resources/subscriptions/resourceGroups/read')).toBe(false);
    expect(rbac.permissionsAt(APP, RG10)).toEqual([]);
  });

  it('does not let an assignment on a resource reach up to its resource group', () => {
    const rbac = new RbacModel(TENANT);
    assign(rbac, APP, 'Reader', REGISTRY);
    expect(
      rbac.isAllowed(
        APP,
        `${REGISTRY}/replications/westeurope`,
        'Microsoft.ContainerRegistry/registries/replications/read',
      ),
    ).toBe(true);
    expect(rbac.isAllowed(APP, RG1, 'Microsoft.Resources/subscriptions/resourceGroups/read')).toBe(false);
  });

  it('ignores case in actions, scopes and principal ids', () => {
    const rbac = new RbacModel(TENANT);
    rbac.seed(
      [
        {
          name: ROLE_A,
          roleName: 'Proxy writer',
          permissions: [{ actions: [PROXY_WRITE] }],
          assignableScopes: [NET],
        },
      ],
      [{ principalId: APP.toUpperCase(), role: 'proxy WRITER', scope: NET.toUpperCase() }],
    );
    expect(rbac.isAllowed(APP, PE.toLowerCase(), PROXY_WRITE.toLowerCase())).toBe(true);
  });

  it('checks data actions apart from control actions', () => {
    const rbac = new RbacModel(TENANT);
    rbac.seed(
      [
        {
          name: ROLE_A,
          roleName: 'Blob reader',
          permissions: [
            {
              actions: [],
              dataActions: ['Microsoft.Storage/*/read'],
              notDataActions: ['Microsoft.Storage/x/read'],
            },
          ],
          assignableScopes: [SUB],
        },
      ],
      [{ principalId: APP, role: 'Blob reader', scope: SUB }],
    );
    expect(
      rbac.isDataActionAllowed(
        APP,
        SUB,
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
      ),
    ).toBe(true);
    expect(rbac.isDataActionAllowed(APP, SUB, 'Microsoft.Storage/x/read')).toBe(false);
    expect(
      rbac.isAllowed(APP, SUB, 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'),
    ).toBe(false);
  });

  it('reports one permission entry per role held at the scope, however many assignments lead to it', () => {
    const rbac = new RbacModel(TENANT);
    rbac.seed(
      [],
      [
        { principalId: APP, role: 'Reader', scope: SUB },
        { principalId: APP, role: 'Reader', scope: RG1 },
        { principalId: APP, role: 'AcrPull', scope: REGISTRY },
        { principalId: OTHER, role: 'Owner', scope: SUB },
      ],
    );
    expect(rbac.permissionsAt(APP, REGISTRY)).toEqual([
      { actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] },
      {
        actions: ['Microsoft.ContainerRegistry/registries/pull/read'],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ]);
    expect(rbac.permissionsAt(APP, RG1)).toHaveLength(1);
  });

  it('throws ARM AuthorizationFailed from authorize when the action is not granted', () => {
    const rbac = new RbacModel(TENANT);
    assign(rbac, APP, 'Reader', SUB);
    expect(() => rbac.authorize(APP, SUB, 'Microsoft.Resources/subscriptions/read')).not.toThrow();
    const error = armErrorOf(() => rbac.authorize(APP, RG1, 'Microsoft.Authorization/roleAssignments/write'));
    expect(error.status).toBe(403);
    expect(error.code).toBe('AuthorizationFailed');
    expect(error.message).toBe(
      `The client '${APP}' with object id '${APP}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '${RG1}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  });
});

describe('RbacModel: the private-link permission the product grants itself', () => {
  it('denies the proxy write to a registry-only custom role, then allows it once the least-privilege role is assigned', () => {
    const rbac = new RbacModel(TENANT);
    rbac.seed(
      [
        {
          name: ROLE_A,
          roleName: 'Registry operator',
          permissions: [{ actions: ['Microsoft.ContainerRegistry/*'] }],
          assignableScopes: [SUB],
        },
      ],
      [
        { principalId: APP, role: 'Registry operator', scope: SUB },
        { principalId: ADMIN, role: 'Owner', scope: SUB },
      ],
    );
    expect(rbac.isAllowed(APP, PE, PROXY_WRITE)).toBe(false);
    expect(rbac.permissionsAt(APP, PE).flatMap((p) => p.actions)).toEqual(['Microsoft.ContainerRegistry/*']);

    const { definition } = rbac.putRoleDefinition(
      ROLE_B,
      {
        roleName: 'Private link proxy writer',
        permissions: [{ actions: [PROXY_WRITE] }],
        assignableScopes: [NET],
      },
      ADMIN,
    );
    rbac.createRoleAssignment(
      NET,
      ASSIGNMENT_1,
      {
        roleDefinitionId: roleDefinitionIdAt(NET, definition.name),
        principalId: APP,
        principalType: 'ServicePrincipal',
      },
      ADMIN,
    );

    expect(rbac.isAllowed(APP, PE, PROXY_WRITE)).toBe(true);
    expect(rbac.permissionsAt(APP, PE)).toContainEqual({
      actions: [PROXY_WRITE],
      notActions: [],
      dataActions: [],
      notDataActions: [],
    });
    // Assignable at the resource group only: the grant stops at its border.
    expect(rbac.isAllowed(APP, `${RG1}/providers/Microsoft.Network/privateEndpoints/pe2`, PROXY_WRITE)).toBe(
      false,
    );
  });
});

describe('RbacModel custom role lifecycle', () => {
  const input = {
    roleName: 'Replica healer',
    description: 'Heals replicas',
    permissions: [{ actions: ['Microsoft.ContainerRegistry/registries/replications/*'] }],
    assignableScopes: [SUB],
  };

  it('creates a role, records who did it, and updates it in place keeping its creation record', () => {
    const clock = fixedClock();
    const rbac = new RbacModel(TENANT, { now: clock.now });
    const first = rbac.putRoleDefinition(ROLE_A, input, ADMIN);
    expect(first.created).toBe(true);
    expect(first.definition).toMatchObject({
      name: ROLE_A,
      roleName: 'Replica healer',
      roleType: 'CustomRole',
      createdBy: ADMIN,
      updatedBy: ADMIN,
      createdOn: '2025-01-01T00:00:00.000Z',
    });

    clock.advance(60_000);
    const second = rbac.putRoleDefinition(ROLE_A, { ...input, description: 'Heals replicas, v2' }, OTHER);
    expect(second.created).toBe(false);
    expect(second.definition).toMatchObject({
      description: 'Heals replicas, v2',
      createdBy: ADMIN,
      updatedBy: OTHER,
      createdOn: '2025-01-01T00:00:00.000Z',
      updatedOn: '2025-01-01T00:01:00.000Z',
    });
    expect(rbac.listRoleDefinitions(SUB, { roleName: 'replica HEALER' }).map((r) => r.name)).toEqual([
      ROLE_A,
    ]);
  });

  it('refuses a second role with the same name anywhere in the directory, built-in names included', () => {
    const rbac = new RbacModel(TENANT);
    rbac.putRoleDefinition(ROLE_A, input, ADMIN);
    const elsewhere = { ...input, assignableScopes: ['/subscriptions/00000000-0000-0000-0000-0000000000b2'] };
    const clash = armErrorOf(() => rbac.putRoleDefinition(ROLE_B, elsewhere, ADMIN));
    expect([clash.status, clash.code]).toEqual([409, 'RoleDefinitionWithSameNameExists']);
    const builtIn = armErrorOf(() => rbac.putRoleDefinition(ROLE_B, { ...input, roleName: 'Reader' }, ADMIN));
    expect(builtIn.code).toBe('RoleDefinitionWithSameNameExists');
  });

  it('refuses custom roles without assignable scopes, assignable at the root, or with a non-GUID name', () => {
    const rbac = new RbacModel(TENANT);
    expect(
      armErrorOf(() => rbac.putRoleDefinition(ROLE_A, { ...input, assignableScopes: [] }, ADMIN)).status,
    ).toBe(400);
    expect(
      armErrorOf(() => rbac.putRoleDefinition(ROLE_A, { ...input, assignableScopes: ['/'] }, ADMIN)).status,
    ).toBe(400);
    expect(armErrorOf(() => rbac.putRoleDefinition('healer', input, ADMIN)).status).toBe(400);
  });

  it('refuses to modify or delete a built-in role', () => {
    const rbac = new RbacModel(TENANT);
    expect(armErrorOf(() => rbac.putRoleDefinition(READER_ROLE_ID, input, ADMIN)).status).toBe(400);
    expect(armErrorOf(() => rbac.deleteRoleDefinition(READER_ROLE_ID)).status).toBe(400);
  });

  it('lists custom roles at their assignable scope and below, and only with atScopeAndBelow above it', () => {
    const rbac = new RbacModel(TENANT);
    rbac.putRoleDefinition(ROLE_A, { ...input, assignableScopes: [RG1] }, ADMIN);
    expect(rbac.listRoleDefinitions(REGISTRY, { roleType: 'CustomRole' }).map((r) => r.name)).toEqual([
      ROLE_A,
    ]);
    expect(rbac.listRoleDefinitions(SUB, { roleType: 'CustomRole' })).toEqual([]);
    expect(
      rbac.listRoleDefinitions(SUB, { roleType: 'CustomRole', atScopeAndBelow: true }).map((r) => r.name),
    ).toEqual([ROLE_A]);
    expect(rbac.listRoleDefinitions(RG10, { roleType: 'CustomRole' })).toEqual([]);
    expect(rbac.listRoleDefinitions(SUB, { roleType: 'BuiltInRole' }).length).toBeGreaterThanOrEqual(7);
  });

  it('refuses to assign a custom role outside its assignable scopes', () => {
    const rbac = new RbacModel(TENANT);
    rbac.putRoleDefinition(ROLE_A, { ...input, assignableScopes: [RG1] }, ADMIN);
    const outside = armErrorOf(() =>
      rbac.createRoleAssignment(RG10, ASSIGNMENT_1, {
        roleDefinitionId: roleDefinitionIdAt(RG10, ROLE_A),
        principalId: APP,
      }),
    );
    expect([outside.status, outside.code]).toEqual([400, 'ScopeDoesNotMatchRoleDefinition']);
    const above = armErrorOf(() =>
      rbac.createRoleAssignment(SUB, ASSIGNMENT_1, {
        roleDefinitionId: roleDefinitionIdAt(SUB, ROLE_A),
        principalId: APP,
      }),
    );
    expect(above.code).toBe('ScopeDoesNotMatchRoleDefinition');
    const below = rbac.createRoleAssignment(REGISTRY, ASSIGNMENT_1, {
      roleDefinitionId: roleDefinitionIdAt(REGISTRY, ROLE_A),
      principalId: APP,
    });
    expect(below.created).toBe(true);
  });

  it('refuses to delete a role while it is assigned, and deletes it once it is not', () => {
    const rbac = new RbacModel(TENANT);
    rbac.putRoleDefinition(ROLE_A, input, ADMIN);
    rbac.createRoleAssignment(SUB, ASSIGNMENT_1, {
      roleDefinitionId: roleDefinitionIdAt(SUB, ROLE_A),
      principalId: APP,
    });
    expect(armErrorOf(() => rbac.deleteRoleDefinition(ROLE_A)).code).toBe('RoleDefinitionHasAssignments');
    rbac.deleteRoleAssignment(SUB, ASSIGNMENT_1);
    expect(rbac.deleteRoleDefinition(roleDefinitionIdAt(SUB, ROLE_A))?.name).toBe(ROLE_A);
    expect(rbac.getRoleDefinition(ROLE_A)).toBeUndefined();
    expect(rbac.deleteRoleDefinition(ROLE_A)).toBeUndefined();
  });
});

describe('RbacModel role assignments', () => {
  const readerAt = (scope: string): string => roleDefinitionIdAt(scope, READER_ROLE_ID);

  it('records who created an assignment and when', () => {
    const clock = fixedClock();
    const rbac = new RbacModel(TENANT, { now: clock.now });
    const { assignment, created } = rbac.createRoleAssignment(
      RG1,
      ASSIGNMENT_1,
      { roleDefinitionId: readerAt(RG1), principalId: APP, principalType: 'ServicePrincipal' },
      ADMIN,
    );
    expect(created).toBe(true);
    expect(assignment).toEqual({
      name: ASSIGNMENT_1,
      scope: RG1,
      roleDefinitionName: READER_ROLE_ID,
      principalId: APP,
      principalType: 'ServicePrincipal',
      createdOn: '2025-01-01T00:00:00.000Z',
      updatedOn: '2025-01-01T00:00:00.000Z',
      createdBy: ADMIN,
      updatedBy: ADMIN,
    });
    expect(rbac.getRoleAssignment(RG1.toUpperCase(), ASSIGNMENT_1.toUpperCase())?.name).toBe(ASSIGNMENT_1);
    expect(rbac.getRoleAssignment(SUB, ASSIGNMENT_1)).toBeUndefined();
  });

  it('defaults the principal type to User, as the REST definition does', () => {
    const rbac = new RbacModel(TENANT);
    const { assignment } = rbac.createRoleAssignment(SUB, ASSIGNMENT_1, {
      roleDefinitionId: readerAt(SUB),
      principalId: APP,
    });
    expect(assignment.principalType).toBe('User');
  });

  it('answers RoleAssignmentExists for the same principal, role and scope under another name', () => {
    const rbac = new RbacModel(TENANT);
    rbac.createRoleAssignment(SUB, ASSIGNMENT_1, { roleDefinitionId: readerAt(SUB), principalId: APP });
    const error = armErrorOf(() =>
      rbac.createRoleAssignment(SUB.toUpperCase(), ASSIGNMENT_2, {
        roleDefinitionId: readerAt(SUB),
        principalId: APP.toUpperCase(),
      }),
    );
    expect([error.status, error.code, error.message]).toEqual([
      409,
      'RoleAssignmentExists',
      `The role assignment already exists. The ID of the existing role assignment is ${ASSIGNMENT_1.replace(/-/g, '')}.`,
    ]);
  });

  it('takes an identical assignment sent again under the same name as done (Azure/azure-cli#31995)', () => {
    const rbac = new RbacModel(TENANT);
    const first = rbac.createRoleAssignment(SUB, ASSIGNMENT_1, {
      roleDefinitionId: readerAt(SUB),
      principalId: APP,
    });
    const again = rbac.createRoleAssignment(SUB, ASSIGNMENT_1, {
      roleDefinitionId: readerAt(SUB),
      principalId: APP,
    });
    expect(again).toEqual({ assignment: first.assignment, created: false });
    expect(rbac.listRoleAssignments(SUB)).toHaveLength(1);
  });

  it('updates the description of an assignment sent again under the same name', () => {
    const rbac = new RbacModel(TENANT);
    rbac.createRoleAssignment(
      SUB,
      ASSIGNMENT_1,
      { roleDefinitionId: readerAt(SUB), principalId: APP },
      ADMIN,
    );
    const { assignment, created } = rbac.createRoleAssignment(
      SUB,
      ASSIGNMENT_1,
      { roleDefinitionId: readerAt(SUB), principalId: APP, description: 'why' },
      OTHER,
    );
    expect(created).toBe(false);
    expect(assignment).toMatchObject({ description: 'why', createdBy: ADMIN, updatedBy: OTHER });
  });

  it('refuses to move an existing assignment name to another principal, role or scope', () => {
    const rbac = new RbacModel(TENANT);
    rbac.createRoleAssignment(SUB, ASSIGNMENT_1, { roleDefinitionId: readerAt(SUB), principalId: APP });
    const attempts = [
      () =>
        rbac.createRoleAssignment(SUB, ASSIGNMENT_1, { roleDefinitionId: readerAt(SUB), principalId: OTHER }),
      () =>
        rbac.createRoleAssignment(SUB, ASSIGNMENT_1, {
          roleDefinitionId: roleDefinitionIdAt(SUB, OWNER_ROLE_ID),
          principalId: APP,
        }),
      () =>
        rbac.createRoleAssignment(RG1, ASSIGNMENT_1, { roleDefinitionId: readerAt(RG1), principalId: APP }),
    ];
    for (const attempt of attempts) {
      expect(armErrorOf(attempt).code).toBe('RoleAssignmentUpdateNotPermitted');
    }
  });

  it('refuses a non-GUID name, an unknown role and a malformed role id', () => {
    const rbac = new RbacModel(TENANT);
    expect(
      armErrorOf(() =>
        rbac.createRoleAssignment(SUB, 'reader-for-app', {
          roleDefinitionId: readerAt(SUB),
          principalId: APP,
        }),
      ).code,
    ).toBe('InvalidRoleAssignmentId');
    const unknown = armErrorOf(() =>
      rbac.createRoleAssignment(SUB, ASSIGNMENT_1, {
        roleDefinitionId: roleDefinitionIdAt(SUB, ROLE_A),
        principalId: APP,
      }),
    );
    expect([unknown.status, unknown.code]).toEqual([400, 'RoleDefinitionDoesNotExist']);
    expect(
      armErrorOf(() =>
        rbac.createRoleAssignment(SUB, ASSIGNMENT_1, { roleDefinitionId: 'Reader', principalId: APP }),
      ).code,
    ).toBe('InvalidRoleDefinitionId');
  });

  it('checks principals against the directory when it has one', () => {
    const directory = (id: string): PrincipalType | undefined =>
      id === APP ? 'ServicePrincipal' : undefined;
    const rbac = new RbacModel(TENANT, { directory });
    const missing = armErrorOf(() =>
      rbac.createRoleAssignment(SUB, ASSIGNMENT_1, {
        roleDefinitionId: readerAt(SUB),
        principalId: OTHER,
        principalType: 'User',
      }),
    );
    expect(missing.code).toBe('PrincipalNotFound');
    const mismatch = armErrorOf(() =>
      rbac.createRoleAssignment(SUB, ASSIGNMENT_1, {
        roleDefinitionId: readerAt(SUB),
        principalId: APP,
        principalType: 'User',
      }),
    );
    expect(mismatch.code).toBe('UnmatchedPrincipalType');
    const ok = rbac.createRoleAssignment(SUB, ASSIGNMENT_1, {
      roleDefinitionId: readerAt(SUB),
      principalId: APP,
      principalType: 'ServicePrincipal',
    });
    expect(ok.created).toBe(true);
  });

  it('lists assignments at, above and below a scope, at or above with atScope, and per principal', () => {
    const rbac = new RbacModel(TENANT);
    rbac.seed(
      [],
      [
        { principalId: APP, role: 'Reader', scope: SUB },
        { principalId: APP, role: 'AcrPull', scope: REGISTRY },
        { principalId: OTHER, role: 'Owner', scope: RG1 },
        { principalId: OTHER, role: 'Reader', scope: RG10 },
      ],
    );
    const scopesOf = (list: { scope: string }[]): string[] => list.map((a) => a.scope);
    expect(scopesOf(rbac.listRoleAssignments(RG1))).toEqual([SUB, REGISTRY, RG1]);
    expect(scopesOf(rbac.listRoleAssignments(RG1, { atScope: true }))).toEqual([SUB, RG1]);
    expect(scopesOf(rbac.listRoleAssignments(SUB, { principalId: OTHER }))).toEqual([RG1, RG10]);
    expect(scopesOf(rbac.listRoleAssignments(RG1, { principalId: APP, atScope: true }))).toEqual([SUB]);
  });
});

describe('RbacModel seeding', () => {
  it('seeds custom roles and assignments naming roles by name or by full id', () => {
    const rbac = new RbacModel(TENANT);
    rbac.seed(
      [
        {
          name: ROLE_A,
          roleName: 'Replica healer',
          permissions: [{ actions: ['Microsoft.ContainerRegistry/*'] }],
          assignableScopes: [SUB],
        },
      ],
      [
        { principalId: APP, role: 'Replica healer', scope: RG1 },
        {
          principalId: OTHER,
          role: `/providers/Microsoft.Authorization/roleDefinitions/${READER_ROLE_ID}`,
          scope: SUB,
          principalType: 'User',
        },
      ],
    );
    expect(rbac.isAllowed(APP, REGISTRY, 'Microsoft.ContainerRegistry/registries/replications/write')).toBe(
      true,
    );
    expect(rbac.listRoleAssignments(SUB, { principalId: OTHER })).toEqual([
      expect.objectContaining({ roleDefinitionName: READER_ROLE_ID, principalType: 'User' }),
    ]);
    expect(rbac.listRoleAssignments(RG1, { principalId: APP })[0]?.principalType).toBe('ServicePrincipal');
  });

  it("takes a seeded assignment's principal type from the directory when the seed does not say", () => {
    const rbac = new RbacModel(TENANT, { directory: (id) => (id === ADMIN ? 'User' : undefined) });
    rbac.seed([], [{ principalId: ADMIN, role: 'Owner', scope: SUB }]);
    expect(rbac.listRoleAssignments(SUB)[0]?.principalType).toBe('User');
  });

  it('generates a GUID for a seeded role without one', () => {
    const rbac = new RbacModel(TENANT);
    rbac.seed(
      [{ roleName: 'Nameless', permissions: [{ actions: ['*/read'] }], assignableScopes: [SUB] }],
      [],
    );
    expect(rbac.resolveRole('Nameless')?.name).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an assignment to a role it does not know', () => {
    const rbac = new RbacModel(TENANT);
    expect(() => rbac.seed([], [{ principalId: APP, role: 'Wizard', scope: SUB }])).toThrow(
      /unknown role 'Wizard'/,
    );
  });
});

describe('RbacModel role assignment propagation', () => {
  it('an assignment made through the API takes effect only after the propagation delay; a seeded one at once', () => {
    let clock = 0;
    const rbac = new RbacModel(TENANT, { clockMs: () => clock, propagationMs: () => 30_000 });
    assign(rbac, ADMIN, 'Owner', SUB);
    expect(rbac.isAllowed(ADMIN, PE, PROXY_WRITE)).toBe(true);

    rbac.createRoleAssignment(
      PE,
      ASSIGNMENT_1,
      {
        roleDefinitionId: roleDefinitionIdAt(PE, OWNER_ROLE_ID),
        principalId: APP,
        principalType: 'ServicePrincipal',
      },
      ADMIN,
    );

    expect(rbac.isAllowed(APP, PE, PROXY_WRITE)).toBe(false);
    expect(rbac.listRoleAssignments(PE, { principalId: APP })).toHaveLength(1);
    clock += 29_999;
    expect(rbac.isAllowed(APP, PE, PROXY_WRITE)).toBe(false);
    clock += 1;
    expect(rbac.isAllowed(APP, PE, PROXY_WRITE)).toBe(true);
  });
});
