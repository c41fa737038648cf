// The real @azure/arm-authorization client against the sandbox's Microsoft.Authorization routes, over
// HTTPS with tokens the sandbox issued: serialization, status checks, error parsing and paging are the
// SDK's own. Each test starts from the same seed (admin reset).

import type { AuthorizationManagementClient, RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import { RestError } from '@azure/core-rest-pipeline';

import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { SandboxTokenCredential, authorizationClient, startTestSandbox } from '../testing';

const TENANT = '00000000-0000-0000-0000-00000000a11c';
const SUB_ID = '00000000-0000-0000-0000-0000000000a1';
const SUB = `/subscriptions/${SUB_ID}`;
const NET = `${SUB}/resourceGroups/net`;
const PROXY_WRITE = 'Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write';

const APP = '11111111-1111-1111-1111-111111111111';
const ADMIN = '22222222-2222-2222-2222-222222222222';
const CONTRIBUTOR = '33333333-3333-3333-3333-333333333333';
const ROLE = 'aaaaaaaa-0000-4000-8000-000000000001';
const ASSIGNMENT = 'bbbbbbbb-0000-4000-8000-000000000001';
// Principals given Reader in the listing test; the sandbox's directory refuses unknown ones.
const READERS = [1, 2, 3].map((i) => `55555555-0000-4000-8000-00000000000${i}`);

const SEED: SeedDocument = {
  tenantId: TENANT,
  principals: [APP, ADMIN, CONTRIBUTOR, ...READERS].map((objectId) => ({
    objectId,
    appId: objectId,
    displayName: objectId,
  })),
  subscriptions: [{ subscriptionId: SUB_ID, locations: ['westeurope'], resourceGroups: ['net'] }],
  roleDefinitions: [
    {
      name: 'aaaaaaaa-0000-4000-8000-0000000000ff',
      roleName: 'Registry operator',
      permissions: [{ actions: ['Microsoft.ContainerRegistry/*'] }],
      assignableScopes: [SUB],
    },
  ],
  roleAssignments: [
    { principalId: ADMIN, role: 'User Access Administrator', scope: SUB },
    { principalId: CONTRIBUTOR, role: 'Contributor', scope: SUB },
    { principalId: APP, role: 'Registry operator', scope: SUB },
  ],
};

let sandbox: TestSandbox;

beforeAll(async () => {
  // Two items per page, so every list below is walked through nextLink.
  sandbox = await startTestSandbox(SEED, { tenantId: TENANT, pageSize: 2 });
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

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function restError(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof RestError) return e;
    throw e;
  }
  throw new Error('expected a RestError');
}

const proxyRole: RoleDefinition = {
  roleName: 'ACR replica private link',
  description: 'Lets replica creation attach to private endpoints.',
  roleType: 'CustomRole',
  permissions: [{ actions: [PROXY_WRITE], notActions: [], dataActions: [], notDataActions: [] }],
  assignableScopes: [NET],
};

describe('@azure/arm-authorization against the sandbox over HTTPS', () => {
  it('creates a custom role (201 is the only status the SDK takes) and updates it the same way', async () => {
    const client = clientFor(ADMIN);
    const created = await client.roleDefinitions.createOrUpdate(NET.slice(1), ROLE, proxyRole);
    expect(created).toMatchObject({
      name: ROLE,
      roleName: proxyRole.roleName,
      roleType: 'CustomRole',
      createdBy: ADMIN,
    });
    expect(created.createdOn).toBeInstanceOf(Date);
    const updated = await client.roleDefinitions.createOrUpdate(NET.slice(1), ROLE, {
      ...proxyRole,
      description: 'v2',
    });
    expect(updated.description).toBe('v2');
  });

  it('finds roles by name through the paged list, and reads one by its full id', async () => {
    const client = clientFor(ADMIN);
    const byName = await collect(
      client.roleDefinitions.list(SUB.slice(1), { filter: "roleName eq 'Reader'" }),
    );
    expect(byName.map((r) => r.id)).toEqual([
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
    ]);
    const builtIns = await collect(
      client.roleDefinitions.list(SUB.slice(1), { filter: "type eq 'BuiltInRole'" }),
    );
    expect(builtIns).toHaveLength(7);
    const reader = await client.roleDefinitions.getById(byName[0]?.id ?? '');
    expect(reader.permissions).toEqual([
      { actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] },
    ]);
  });

  it('surfaces AuthorizationFailed as a 403 RestError with its code', async () => {
    const error = await restError(
      clientFor(CONTRIBUTOR).roleDefinitions.createOrUpdate(NET.slice(1), ROLE, proxyRole),
    );
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('AuthorizationFailed');
  });

  it('creates an assignment, answers a duplicate with 409 RoleAssignmentExists, and reads it back by id', async () => {
    const client = clientFor(ADMIN);
    const role = await client.roleDefinitions.createOrUpdate(NET.slice(1), ROLE, proxyRole);
    const parameters = {
      roleDefinitionId: role.id ?? '',
      principalId: APP,
      principalType: 'ServicePrincipal',
    };
    const assignment: RoleAssignment = await client.roleAssignments.create(
      NET.slice(1),
      ASSIGNMENT,
      parameters,
    );
    expect(assignment).toMatchObject({ name: ASSIGNMENT, scope: NET, principalId: APP, createdBy: ADMIN });
    expect(assignment.createdOn).toBeInstanceOf(Date);

    const duplicate = await restError(
      client.roleAssignments.create(NET.slice(1), 'bbbbbbbb-0000-4000-8000-000000000002', parameters),
    );
    expect([duplicate.statusCode, duplicate.code]).toEqual([409, 'RoleAssignmentExists']);

    const byId = await client.roleAssignments.getById(assignment.id ?? '');
    expect(byId.roleDefinitionId).toBe(role.id);
  });

  it('lists assignments for a scope, subscription and resource group, following nextLink pages', async () => {
    const client = clientFor(ADMIN);
    const readerId = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
    for (const [i, principalId] of READERS.entries()) {
      await client.roleAssignments.create(NET, `bbbbbbbb-0000-4000-8000-00000000001${i + 1}`, {
        roleDefinitionId: readerId,
        principalId,
        principalType: 'ServicePrincipal',
      });
    }
    expect(await collect(client.roleAssignments.listForScope(NET.slice(1)))).toHaveLength(6);
    expect(await collect(client.roleAssignments.listForSubscription())).toHaveLength(6);
    expect(
      await collect(client.roleAssignments.listForResourceGroup('net', { filter: 'atScope()' })),
    ).toHaveLength(6);
    const forApp = await collect(
      client.roleAssignments.listForScope(SUB.slice(1), { filter: `principalId eq '${APP}'` }),
    );
    expect(forApp.map((a) => a.principalId)).toEqual([APP]);
  });

  it('refuses listForResource with an empty parent path: the SDK then sends "Microsoft.Network//privateEndpoints" (Azure/azure-cli#28038)', async () => {
    const error = await restError(
      collect(
        clientFor(APP).permissions.listForResource('net', 'Microsoft.Network', '', 'privateEndpoints', 'pe1'),
      ),
    );
    expect([error.statusCode, error.code]).toEqual([400, 'InvalidApiVersionParameter']);
  });

  it('shows the private-link permission at the private endpoint and in listForResourceGroup once granted', async () => {
    const admin = clientFor(ADMIN);
    const app = clientFor(APP);
    const token = await new SandboxTokenCredential(sandbox.url, APP).getToken();
    const atPe = async (): Promise<string[]> => {
      const response = await fetch(
        `${sandbox.url}${NET}/providers/Microsoft.Network/privateEndpoints/pe1/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`,
        { headers: { authorization: `Bearer ${token.token}` } },
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as { value: { actions?: string[] }[] };
      return body.value.flatMap((p) => p.actions ?? []);
    };

    expect(await atPe()).not.toContain(PROXY_WRITE);
    const role = await admin.roleDefinitions.createOrUpdate(NET.slice(1), ROLE, proxyRole);
    await admin.roleAssignments.create(NET.slice(1), ASSIGNMENT, {
      roleDefinitionId: role.id ?? '',
      principalId: APP,
      principalType: 'ServicePrincipal',
    });

    expect(await atPe()).toContain(PROXY_WRITE);
    const atRg = await collect(app.permissions.listForResourceGroup('net'));
    expect(atRg.flatMap((p) => p.actions ?? [])).toEqual(['Microsoft.ContainerRegistry/*', PROXY_WRITE]);
  });
});
