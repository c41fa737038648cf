// Role assignments take a while to become effective in Azure. The sandbox models that delay; the heal
// waits for it, and when the permission never becomes effective it stops before deleting anything.
import type { HealResult } from '../../src/domain';
import { APP_IDENTITY } from '../support/appFleet';
import { CREATE_OWN_ROLE, rbacAdministration } from '../support/rbacAdministration';
import { startApp } from './appHarness';
import { healRequest, healResult, startHeal } from './healHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-propagation';

async function stuckFleet(rbacPropagationSeconds: number): Promise<AppHarness> {
  return startApp(
    (id, subscriptionId) => [
      {
        id: id(RG, 'crprop01'),
        location: 'westeurope',
        sku: 'Premium',
        privateEndpoints: [
          `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-prop`,
        ],
        replicas: [{ location: 'northeurope', creating: { createdBy: APP_IDENTITY.objectId } }],
      },
    ],
    { seed: rbacAdministration, env: CREATE_OWN_ROLE, sandbox: { rbacPropagationSeconds } },
  );
}

async function heal(app: AppHarness): Promise<HealResult> {
  const request = healRequest(`${app.registryId(RG, 'crprop01')}/replications/northeurope`, {
    thresholdMinutes: 1,
    maxAttempts: 1,
  });
  await startHeal(app, request, 'heal-prop');
  return healResult(app, 'heal-prop');
}

async function replicaState(app: AppHarness): Promise<string | undefined> {
  const answer = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crprop01/replicas`);
  return answer
    .json<{ value: { name: string; provisioningState: string }[] }>()
    .value.find((r) => r.name === 'northeurope')?.provisioningState;
}

test('a grant that takes a while to propagate is waited for, and the replica is healed', async () => {
  // About a second and a half of wall time at the test sandbox's speed.
  const app = await stuckFleet(1500);
  try {
    expect(await heal(app)).toMatchObject({ outcome: 'healed' });
    expect(await replicaState(app)).toBe('Succeeded');
    const effective = (await app.audit.listByInstance(app.registryId(RG, 'crprop01'), 'heal-prop')).find(
      (e) => e.step === 'permission-effective',
    );
    expect(effective).toMatchObject({ outcome: 'succeeded' });
    expect(effective?.detail?.checks).toBeGreaterThan(1);
  } finally {
    await app.stop();
  }
});

test('a grant that never takes effect stops the heal before the replica is deleted, and escalates', async () => {
  const app = await stuckFleet(1_000_000_000);
  try {
    const result = await heal(app);

    expect(result).toMatchObject({ outcome: 'escalated' });
    expect(result.reason).toMatch(/did not become effective/);
    expect(await replicaState(app)).toBe('Creating');
    const log = await app.sandbox.admin.requests(app.subscriptionId);
    expect(log.requests.filter((r) => r.operation === 'Replications_Delete')).toEqual([]);
  } finally {
    await app.stop();
  }
});
