// The audit trail says whether a heal made the private-link role and assignment or found them made.
// ARM answers 201 to a PUT of an assignment that already exists under the same name, so the answer
// alone cannot tell; a second heal of a replica whose grant never took effect finds the first heal's.
import { APP_IDENTITY } from '../support/appFleet';
import { CREATE_OWN_ROLE, rbacAdministration } from '../support/rbacAdministration';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';
import { healRequest, healResult, startHeal } from './healHarness';

const RG = 'rg-grant-audit';
let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id, subscriptionId) => [
      {
        id: id(RG, 'crgrant01'),
        location: 'westeurope',
        sku: 'Premium',
        privateEndpoints: [
          `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-grant`,
        ],
        replicas: [{ location: 'northeurope', creating: { createdBy: APP_IDENTITY.objectId } }],
      },
    ],
    // The grant never takes effect, so each heal stops after granting and the replica stays stuck.
    {
      seed: rbacAdministration,
      env: CREATE_OWN_ROLE,
      sandbox: { rbacPropagationSeconds: 1_000_000_000 },
    },
  );
});

afterAll(async () => {
  await app?.stop();
});

interface GrantDetail {
  roleCreated: boolean;
  assignments: { scope: string; assignmentId: string; created: boolean }[];
}

async function grantRecordedBy(instanceId: string): Promise<GrantDetail> {
  const replicaId = `${app.registryId(RG, 'crgrant01')}/replications/northeurope`;
  await startHeal(app, healRequest(replicaId, { thresholdMinutes: 1, maxAttempts: 1 }), instanceId);
  expect(await healResult(app, instanceId)).toMatchObject({ outcome: 'escalated' });
  const entries = await app.audit.listByInstance(app.registryId(RG, 'crgrant01'), instanceId);
  const granted = entries.find((e) => e.step === 'permission-granted');
  expect(granted).toBeDefined();
  return granted?.detail as unknown as GrantDetail;
}

test('a second heal reports the role and assignment the first one made as found, not created', async () => {
  const first = await grantRecordedBy('heal-grant-1');
  const second = await grantRecordedBy('heal-grant-2');

  expect(first.roleCreated).toBe(true);
  expect(first.assignments.map((a) => a.created)).toEqual([true]);
  expect(second.roleCreated).toBe(false);
  expect(second.assignments).toEqual(first.assignments.map((a) => ({ ...a, created: false })));
});
