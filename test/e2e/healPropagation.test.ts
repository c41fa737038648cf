// Role assignments take a while to become effective in Azure. The sandbox models that delay; the heal
// waits for it, and when the permission never becomes effective it stops before deleting anything. The
// grant takes effect only when the test moves the sandbox's clock, after the heal has seen it missing.
import type { PollingPolicy } from '../../src/domain';
import { APP_IDENTITY } from '../support/appFleet';
import { CREATE_OWN_ROLE, rbacAdministration } from '../support/rbacAdministration';
import { eventually } from '@acr-replica-guard/devhost/testing';
import { startApp } from './appHarness';
import { healRequest, healResult, startHeal } from './healHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-propagation';
/** Over a quarter of an hour of wall time at the test sandbox's speed: only the test ends the wait. */
const PROPAGATION_SECONDS = 1_000_000;

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

async function startHealing(app: AppHarness, polling: Partial<PollingPolicy> = {}): Promise<void> {
  const request = healRequest(`${app.registryId(RG, 'crprop01')}/replications/northeurope`, {
    thresholdMinutes: 1,
    maxAttempts: 1,
  });
  request.polling = { ...request.polling, ...polling };
  await startHeal(app, request, 'heal-prop');
}

/** Whether the app has checked its permissions since it granted itself the role. */
async function checkedAfterGrant(app: AppHarness): Promise<boolean> {
  const operations = (await app.sandbox.admin.requests(app.subscriptionId)).requests.map(
    (r) => `${r.operation} ${r.status}`,
  );
  const granted = operations.indexOf('RoleAssignments_Create 201');
  return granted >= 0 && operations.slice(granted).includes('Permissions_List 200');
}

async function replicaState(app: AppHarness): Promise<string | undefined> {
  const answer = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crprop01/replicas`);
  return answer
    .json<{ value: { name: string; provisioningState: string }[] }>()
    .value.find((r) => r.name === 'northeurope')?.provisioningState;
}

test('a grant that takes a while to propagate is waited for, and the replica is healed', async () => {
  const app = await stuckFleet(PROPAGATION_SECONDS);
  try {
    // Re-checks back off to half a minute, so the heal keeps checking for over a minute.
    await startHealing(app, { maxSeconds: 30 });
    await eventually('a permission check after the grant', async () =>
      (await checkedAfterGrant(app)) ? true : undefined,
    );
    const propagated = await app.sandbox.admin.call('POST', '/clock', {
      advanceSeconds: PROPAGATION_SECONDS,
    });
    expect(propagated.status).toBe(200);

    expect(await healResult(app, 'heal-prop')).toMatchObject({ outcome: 'healed' });
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
    await startHealing(app);
    const result = await healResult(app, 'heal-prop');

    expect(result).toMatchObject({ outcome: 'escalated' });
    expect(result.reason).toMatch(/did not become effective/);
    expect(await replicaState(app)).toBe('Creating');
    const log = await app.sandbox.admin.requests(app.subscriptionId);
    expect(log.requests.filter((r) => r.operation === 'Replications_Delete')).toEqual([]);
  } finally {
    await app.stop();
  }
});
