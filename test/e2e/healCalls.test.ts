// What healing one stuck replica of a private-endpoint registry costs in ARM requests, with the private-link
// role made beforehand (HEAL_ROLE_DEFINITION_ID, as the infrastructure sets it): each thing is read once and
// passed on (the replica, the registry), the permission is checked once before the grant and once to see
// it effective, the role is assigned by its id, unread, and one 404 confirms the delete. Ten requests in
// all here, where the sandbox runs fast enough that every wait ends at its first check.
import { randomUUID } from 'node:crypto';

import { APP_IDENTITY } from '../support/appFleet';
import { preCreatedPrivateLinkRole } from '../support/rbacAdministration';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';
import { healRequest, healResult, startHeal } from './healHarness';

const RG = 'rg-calls';
let app: AppHarness;
const ROLE_GUID = randomUUID();

beforeAll(async () => {
  app = await startApp(
    (id, subscriptionId) =>
      ['crcalls01', 'crcalls02'].map((name) => ({
        id: id(RG, name),
        location: 'westeurope',
        sku: 'Premium' as const,
        privateEndpoints: [
          `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-${name}`,
        ],
        replicas: [{ location: 'northeurope', creating: { createdBy: APP_IDENTITY.objectId } }],
      })),
    {
      seed: (subscriptionId) => preCreatedPrivateLinkRole(subscriptionId, ROLE_GUID).seed,
      env: (subscriptionId) => preCreatedPrivateLinkRole(subscriptionId, ROLE_GUID).env,
    },
  );
});

afterAll(async () => {
  await app?.stop();
});

async function heal(name: string): Promise<void> {
  const replicaId = `${app.registryId(RG, name)}/replications/northeurope`;
  await startHeal(app, healRequest(replicaId, { thresholdMinutes: 1 }), `calls-${name}`);
  expect(await healResult(app, `calls-${name}`)).toMatchObject({ outcome: 'healed' });
}

test('a heal of a stuck private-endpoint replica sends ten ARM requests', async () => {
  // The first heal in the subscription, and then another: neither reads the role.
  await heal('crcalls01');
  await app.sandbox.admin.call('DELETE', '/requests');

  await heal('crcalls02');

  const log = await app.sandbox.admin.requests(app.subscriptionId);
  const counts = Object.fromEntries(
    Object.entries(log.counts).filter(([name]) => !name.startsWith('ManagedIdentity')),
  );
  expect(counts).toEqual({
    // The evidence, the delete's one 404, the create's Succeeded.
    'Replications_Get 200': 2,
    'Replications_Get 404': 1,
    'Registries_Get 200': 1,
    // Before the grant, and once to see it effective.
    'Permissions_List 200': 2,
    'RoleAssignments_Get 404': 1,
    'RoleAssignments_Create 201': 1,
    'Replications_Delete 202': 1,
    'Replications_Create 201': 1,
  });
  expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(10);
});
