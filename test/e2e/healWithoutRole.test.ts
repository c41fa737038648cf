// Without HEAL_ROLE_DEFINITION_ID or HEAL_ROLE_CREATE=true the app has no private-link role it may
// assign itself, even where its identity could write role definitions: a heal that needs the grant is
// refused before anything is changed, audited and escalated, and a create that would need it is refused
// at once. The app never widens its own rights unasked.
import { APP_IDENTITY } from '../support/appFleet';
import { rbacAdministration } from '../support/rbacAdministration';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';
import { healRequest, healResult, startHeal } from './healHarness';

const RG = 'rg-norole';
let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id, subscriptionId) => {
      const endpoint = `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-norole`;
      return [
        {
          id: id(RG, 'crnorole01'),
          location: 'westeurope',
          sku: 'Premium',
          privateEndpoints: [endpoint],
          replicas: [{ location: 'northeurope', creating: { createdBy: APP_IDENTITY.objectId } }],
        },
      ];
    },
    // Rights enough to create and assign a role of its own: it must still not, unasked.
    { seed: rbacAdministration },
  );
});

afterAll(async () => {
  await app?.stop();
});

async function writesOf(prefix: string): Promise<string[]> {
  const log = await app.sandbox.admin.requests(app.subscriptionId);
  return log.requests
    .filter((r) => r.operation.startsWith(prefix) && r.method !== 'GET')
    .map((r) => `${r.method} ${r.operation}`);
}

test('a heal that needs the grant is refused, audited and escalated, and the replica left as it was', async () => {
  const replicaId = `${app.registryId(RG, 'crnorole01')}/replications/northeurope`;
  await startHeal(app, healRequest(replicaId, { maxAttempts: 3 }), 'heal-no-role');

  const result = await healResult(app, 'heal-no-role');

  expect(result).toMatchObject({
    diagnosis: 'missing-private-link-permission',
    outcome: 'escalated',
    attempts: 1,
    reason: expect.stringMatching(/HEAL_ROLE_DEFINITION_ID.*HEAL_ROLE_CREATE=true.*left as it was/) as string,
  });
  const steps = (await app.audit.listByInstance(app.registryId(RG, 'crnorole01'), 'heal-no-role')).map(
    (entry) => [entry.step, entry.outcome],
  );
  expect(steps).toEqual(
    expect.arrayContaining([
      ['permission-granted', 'refused'],
      ['attempt-failed', 'failed'],
      ['escalated', 'failed'],
    ]),
  );
  expect(steps.filter(([step]) => step === 'attempt-failed')).toHaveLength(1);
  expect(await writesOf('Role')).toEqual([]);
  expect(await writesOf('Replications_')).toEqual([]);
});

test('a create on a registry with private endpoints is refused at once, naming the settings', async () => {
  const answer = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crnorole01/replicas`, {
    method: 'POST',
    body: { location: 'eastus' },
  });

  expect(answer.status).toBe(422);
  expect(answer.json<{ type: string; detail: string }>()).toMatchObject({
    type: 'urn:acr-replica-guard:problem:missing-private-link-permission',
    detail: expect.stringContaining('HEAL_ROLE_DEFINITION_ID') as string,
  });
  expect(await writesOf('Role')).toEqual([]);
});
