// A heal that would grant the private-link role finds a role under that role's name holding every action
// (someone made it before the app did). The app refuses to assign it: nothing is assigned, the stuck
// replica is not deleted, and the heal escalates at once with the role's problems in the audit trail.
// Against the real app on the devhost.
import { privateLinkRoleName } from '../../src/azure/access';
import { APP_IDENTITY } from '../support/appFleet';
import { CREATE_OWN_ROLE, rbacAdministration } from '../support/rbacAdministration';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';
import { healRequest, healResult, startHeal } from './healHarness';

const RG = 'rg-unsafe-role';
let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id, subscriptionId) => [
      {
        id: id(RG, 'crunsafe01'),
        location: 'westeurope',
        sku: 'Premium',
        privateEndpoints: [
          `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-unsafe`,
        ],
        replicas: [{ location: 'northeurope', creating: { createdBy: APP_IDENTITY.objectId } }],
      },
    ],
    {
      seed: (subscriptionId) => {
        const rbac = rbacAdministration(subscriptionId);
        const scope = `/subscriptions/${subscriptionId}`;
        return {
          ...rbac,
          roleDefinitions: [
            ...(rbac.roleDefinitions ?? []),
            {
              roleName: privateLinkRoleName(scope),
              type: 'CustomRole',
              permissions: [{ actions: ['*'] }],
              assignableScopes: [scope],
            },
          ],
        };
      },
      // The app creates (and so looks for) its own role here: the one found under its name is unsafe.
      env: { ...CREATE_OWN_ROLE },
    },
  );
});

afterAll(async () => {
  await app?.stop();
});

test('a role under the private-link role’s name with wider permissions is never assigned, and the heal escalates without deleting', async () => {
  const replicaId = `${app.registryId(RG, 'crunsafe01')}/replications/northeurope`;
  await startHeal(app, healRequest(replicaId, { thresholdMinutes: 1, maxAttempts: 3 }), 'heal-unsafe');

  const result = await healResult(app, 'heal-unsafe');

  expect(result).toMatchObject({
    diagnosis: 'missing-private-link-permission',
    outcome: 'escalated',
    attempts: 1,
  });
  expect(result.reason).toMatch(/not granted: .*actions are \[\*\]/);
  const writes = (await app.sandbox.admin.requests(app.subscriptionId)).requests
    .filter((r) => r.method !== 'GET')
    .map((r) => r.operation);
  expect(writes).toEqual([]);
  const trail = await app.audit.listByInstance(app.registryId(RG, 'crunsafe01'), 'heal-unsafe');
  expect(trail.find((e) => e.step === 'permission-granted')).toMatchObject({
    outcome: 'refused',
    detail: { refusal: 'unsafe-role', problems: [expect.stringMatching(/actions are \[\*\]/)] },
  });
  expect(trail.map((e) => e.step)).toEqual(expect.arrayContaining(['attempt-failed', 'escalated']));
  expect(trail.map((e) => e.step)).not.toContain('permission-effective');
});
