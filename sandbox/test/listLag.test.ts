// ARM's lists lag its writes while GET by id does not: a replication listed right after its PUT can be
// missing (recorded: azure-sdk-for-python sdk/containerregistry/azure-mgmt-containerregistry/tests/
// recordings/test_mgmt_containerregistry.test_replication.yaml, where the list that follows a PUT is
// empty), and so can a role definition or assignment found by list just after it was written
// (learn.microsoft.com/azure/role-based-access-control/troubleshooting: changes take time to show).
// The sandbox models it with `listLagSeconds` (virtual seconds), off unless asked for.
import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { startTestSandbox } from '../testing';
import { STILL_CLOCK, advanceClock, armFetch } from './armFetch';

const SUB_ID = '3f000000-0000-4000-8000-000000000001';
const SUB = `/subscriptions/${SUB_ID}`;
const ADMIN = '3f000000-0000-4000-8000-0000000000a1';
const APP = '3f000000-0000-4000-8000-0000000000b1';
const REGISTRY = `${SUB}/resourceGroups/rg-lag/providers/Microsoft.ContainerRegistry/registries/crlag01`;
const ROLE = '3f000000-0000-4000-8000-00000000d001';
const ASSIGNMENT = '3f000000-0000-4000-8000-00000000e001';
const V = 'api-version=2022-04-01';

const seed: SeedDocument = {
  principals: [
    { objectId: ADMIN, appId: ADMIN, displayName: 'admin' },
    { objectId: APP, appId: APP, displayName: 'app' },
  ],
  subscriptions: [{ subscriptionId: SUB_ID, locations: ['westeurope', 'eastus'] }],
  roleAssignments: [
    { principalId: ADMIN, role: 'Owner', scope: SUB },
    { principalId: APP, role: 'Reader', scope: SUB },
  ],
  registries: [{ id: REGISTRY, location: 'westeurope', sku: 'Premium' }],
};

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox(seed, { speed: STILL_CLOCK, listLagSeconds: 5 });
});
afterAll(() => sandbox.close());

const names = (answer: { body: unknown }): string[] =>
  (answer.body as { value: { name: string }[] }).value.map((item) => item.name);

describe('lists lag writes; GET by id does not', () => {
  test('a new role definition is found by id at once, by name only after the lag', async () => {
    const put = await armFetch(
      sandbox,
      ADMIN,
      'PUT',
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`,
      {
        properties: {
          roleName: 'Lagging role',
          permissions: [{ actions: ['Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write'] }],
          assignableScopes: [SUB],
        },
      },
    );
    const byName = `${SUB}/providers/Microsoft.Authorization/roleDefinitions?$filter=${encodeURIComponent("roleName eq 'Lagging role'")}&${V}`;

    expect(put.status).toBe(201);
    expect(names(await armFetch(sandbox, ADMIN, 'GET', byName))).toEqual([]);
    expect(
      (
        await armFetch(
          sandbox,
          ADMIN,
          'GET',
          `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`,
        )
      ).status,
    ).toBe(200);
    await advanceClock(sandbox, 6);
    expect(names(await armFetch(sandbox, ADMIN, 'GET', byName))).toEqual([ROLE]);
  });

  test('a new role assignment is read by id at once, listed only after the lag', async () => {
    const at = `${SUB}/providers/Microsoft.Authorization/roleAssignments/${ASSIGNMENT}?${V}`;
    const list = `${SUB}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${APP}'`)}&${V}`;
    const put = await armFetch(sandbox, ADMIN, 'PUT', at, {
      properties: {
        roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}`,
        principalId: APP,
        principalType: 'ServicePrincipal',
      },
    });

    expect(put.status).toBe(201);
    expect(names(await armFetch(sandbox, ADMIN, 'GET', list))).not.toContain(ASSIGNMENT);
    expect((await armFetch(sandbox, ADMIN, 'GET', at)).status).toBe(200);
    await advanceClock(sandbox, 6);
    expect(names(await armFetch(sandbox, ADMIN, 'GET', list))).toContain(ASSIGNMENT);
  });

  test('a new replication is read by id at once, listed only after the lag', async () => {
    const replica = `${REGISTRY}/replications/eastus?api-version=2025-11-01`;
    const list = `${REGISTRY}/replications?api-version=2025-11-01`;
    expect((await armFetch(sandbox, ADMIN, 'PUT', replica, { location: 'eastus' })).status).toBe(201);

    expect(names(await armFetch(sandbox, ADMIN, 'GET', list))).toEqual(['westeurope']);
    expect((await armFetch(sandbox, ADMIN, 'GET', replica)).body).toMatchObject({ name: 'eastus' });
    await advanceClock(sandbox, 6);
    expect(names(await armFetch(sandbox, ADMIN, 'GET', list))).toEqual(['eastus', 'westeurope']);
  });

  test('the lag is a setting of the admin API, and 0 turns it off', async () => {
    expect((await sandbox.admin.call('GET', '/settings')).body).toMatchObject({ listLagSeconds: 5 });
    expect((await sandbox.admin.call('POST', '/settings', { listLagSeconds: 0 })).status).toBe(200);
    const second = '3f000000-0000-4000-8000-00000000d002';
    await armFetch(
      sandbox,
      ADMIN,
      'PUT',
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${second}?${V}`,
      {
        properties: {
          roleName: 'Prompt role',
          permissions: [{ actions: ['*/read'] }],
          assignableScopes: [SUB],
        },
      },
    );
    const byName = `${SUB}/providers/Microsoft.Authorization/roleDefinitions?$filter=${encodeURIComponent("roleName eq 'Prompt role'")}&${V}`;
    expect(names(await armFetch(sandbox, ADMIN, 'GET', byName))).toEqual([second]);
    expect((await sandbox.admin.call('POST', '/settings', { listLagSeconds: -1 })).status).toBe(400);
  });
});
