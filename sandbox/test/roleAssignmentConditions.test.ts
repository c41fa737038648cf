// A delegate holding Role Based Access Control Administrator under the documented "constrain roles and
// principals" condition (learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-
// examples), driven through the real @azure/arm-authorization client over HTTPS. A write or delete the
// condition forbids is ARM's 403 AuthorizationFailed with its "ABAC condition not fulfilled" wording
// (learn.microsoft.com/azure/role-based-access-control/troubleshooting, "Unable to assign a role");
// conditions ARM would refuse, or that the sandbox cannot evaluate, make the write itself fail with
// "The given role assignment condition is invalid." (.../conditions-troubleshoot).
import { randomUUID } from 'node:crypto';

import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import { RestError } from '@azure/core-rest-pipeline';

import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { SandboxTokenCredential, authorizationClient, startTestSandbox } from '../testing';

const TENANT = '00000000-0000-0000-0000-00000000c0d1';
const SUB_ID = '00000000-0000-0000-0000-0000000000c1';
const SUB = `/subscriptions/${SUB_ID}`;
const NET = `${SUB}/resourceGroups/rg-net`;
const APPS = `${SUB}/resourceGroups/rg-apps`;
const PE = `${NET}/providers/Microsoft.Network/privateEndpoints/pe-one`;

const DELEGATE = 'd0000000-0000-4000-8000-000000000001';
const ADMIN = 'd0000000-0000-4000-8000-000000000002';
const SOMEONE = 'd0000000-0000-4000-8000-000000000003';
const LINK_ROLE = 'd0000000-0000-4000-8000-0000000000a1';
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const RBAC_ADMINISTRATOR = 'Role Based Access Control Administrator';
const RBAC_ADMINISTRATOR_ID = 'f58310d9-a9f6-439a-9e8d-f62e7b41a168';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

function delegation(role: string, principal: string): string {
  const attribute = (source: string, name: string, value: string): string =>
    `@${source}[Microsoft.Authorization/roleAssignments:${name}] ForAnyOfAnyValues:GuidEquals {${value}}`;
  return [
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR`,
    `(${attribute('Request', 'RoleDefinitionId', role)} AND ${attribute('Request', 'PrincipalId', principal)}))`,
    `AND`,
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR`,
    `(${attribute('Resource', 'RoleDefinitionId', role)} AND ${attribute('Resource', 'PrincipalId', principal)}))`,
  ].join('\n');
}

const SEED: SeedDocument = {
  tenantId: TENANT,
  principals: [DELEGATE, ADMIN, SOMEONE].map((objectId) => ({
    objectId,
    appId: objectId,
    displayName: objectId,
  })),
  subscriptions: [
    { subscriptionId: SUB_ID, locations: ['westeurope'], resourceGroups: ['rg-net', 'rg-apps'] },
  ],
  roleDefinitions: [
    {
      name: LINK_ROLE,
      roleName: 'Private link proxy writer',
      permissions: [{ actions: ['Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write'] }],
      assignableScopes: [NET],
    },
  ],
  roleAssignments: [
    { principalId: ADMIN, role: 'Owner', scope: SUB },
    {
      principalId: DELEGATE,
      role: RBAC_ADMINISTRATOR,
      scope: NET,
      condition: delegation(LINK_ROLE, DELEGATE),
    },
  ],
};

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox(SEED, { tenantId: TENANT });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  expect((await sandbox.admin.call('POST', '/reset')).status).toBe(204);
});

function clientFor(caller: string): AuthorizationManagementClient {
  return authorizationClient(sandbox, new SandboxTokenCredential(sandbox.url, caller), SUB_ID);
}

const roleId = (guid: string): string => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

async function assign(
  caller: string,
  scope: string,
  role: string,
  principalId: string,
  extra: { condition?: string; conditionVersion?: string } = {},
  name: string = randomUUID(),
): Promise<string> {
  const created = await clientFor(caller).roleAssignments.create(scope.slice(1), name, {
    roleDefinitionId: roleId(role),
    principalId,
    principalType: 'ServicePrincipal',
    ...extra,
  });
  return created.id ?? '';
}

async function refusalOf(work: Promise<unknown>): Promise<RestError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RestError)) throw new Error(`expected a RestError, got ${String(error)}`);
  return error;
}

function abacMessage(action: string, assignmentId: string): string {
  return (
    `The client '${DELEGATE}' with object id '${DELEGATE}' does not have authorization or an ABAC condition ` +
    `not fulfilled to perform action '${action}' over scope '${assignmentId}' or the scope is invalid. ` +
    `If access was recently granted, please refresh your credentials.`
  );
}

describe('a role assignment write under the delegation condition', () => {
  it('is allowed for the named role to the named principal', async () => {
    const id = await assign(DELEGATE, PE, LINK_ROLE, DELEGATE);
    expect(id).toMatch(new RegExp(`^${PE}/providers/Microsoft.Authorization/roleAssignments/`, 'i'));
  });

  it('is refused with the ABAC wording for any other role, even to the named principal', async () => {
    const name = randomUUID();
    const error = await refusalOf(assign(DELEGATE, PE, OWNER, DELEGATE, {}, name));
    expect([error.statusCode, error.code]).toEqual([403, 'AuthorizationFailed']);
    expect(error.message).toBe(
      abacMessage(
        'Microsoft.Authorization/roleAssignments/write',
        `${PE}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      ),
    );
  });

  it('is refused for the named role to any other principal', async () => {
    const error = await refusalOf(assign(DELEGATE, PE, LINK_ROLE, SOMEONE));
    expect([error.statusCode, error.code]).toEqual([403, 'AuthorizationFailed']);
    expect(error.message).toContain('ABAC condition not fulfilled');
  });

  it('is refused with the plain wording outside the scope the delegation covers', async () => {
    const error = await refusalOf(assign(DELEGATE, APPS, LINK_ROLE, DELEGATE));
    expect([error.statusCode, error.code]).toEqual([403, 'AuthorizationFailed']);
    expect(error.message).toContain('does not have authorization to perform action');
  });

  it('leaves the role’s reads alone', async () => {
    const mine = await assign(DELEGATE, PE, LINK_ROLE, DELEGATE);
    const read = await clientFor(DELEGATE).roleAssignments.getById(mine);
    expect(read.roleDefinitionId?.toLowerCase()).toBe(roleId(LINK_ROLE).toLowerCase());
  });
});

describe('a role assignment delete under the delegation condition', () => {
  it('is allowed for an assignment of the named role to the named principal', async () => {
    const mine = await assign(DELEGATE, PE, LINK_ROLE, DELEGATE);
    await expect(clientFor(DELEGATE).roleAssignments.deleteById(mine)).resolves.toBeDefined();
  });

  it('is refused for anyone else’s assignment, however the role matches', async () => {
    const theirs = await assign(ADMIN, PE, LINK_ROLE, SOMEONE);
    const error = await refusalOf(clientFor(DELEGATE).roleAssignments.deleteById(theirs));
    expect([error.statusCode, error.code]).toEqual([403, 'AuthorizationFailed']);
    expect(error.message).toBe(abacMessage('Microsoft.Authorization/roleAssignments/delete', theirs));
    await expect(clientFor(ADMIN).roleAssignments.getById(theirs)).resolves.toMatchObject({
      principalId: SOMEONE,
    });
  });
});

describe('conditions the sandbox will not store', () => {
  it('refuses a write with a condition it cannot evaluate, rather than ignoring the condition', async () => {
    const storage = `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'`;
    const error = await refusalOf(
      assign(ADMIN, APPS, READER, SOMEONE, {
        condition: storage,
        conditionVersion: '2.0',
      }),
    );
    expect([error.statusCode, error.code]).toEqual([400, 'InvalidCondition']);
    expect(error.message).toMatch(/^The given role assignment condition is invalid\. /);
  });

  it('refuses condition version 1.0 and a condition without a version', async () => {
    const condition = delegation(LINK_ROLE, SOMEONE);
    for (const conditionVersion of ['1.0', undefined]) {
      const error = await refusalOf(
        assign(ADMIN, NET, RBAC_ADMINISTRATOR_ID, SOMEONE, {
          condition,
          ...(conditionVersion === undefined ? {} : { conditionVersion }),
        }),
      );
      expect([error.statusCode, error.code]).toEqual([400, 'InvalidCondition']);
    }
  });

  it('refuses a seed whose condition it cannot evaluate', async () => {
    const answer = await sandbox.admin.call('POST', '/seed', {
      roleAssignments: [
        { principalId: SOMEONE, role: RBAC_ADMINISTRATOR, scope: APPS, condition: 'ActionMatches{' },
      ],
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('The given role assignment condition is invalid.');
  });
});
