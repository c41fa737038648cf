// Role assignments take a while to become effective in Azure. The sandbox models that delay; the heal
// waits for it, and when the permission never becomes effective it stops before deleting anything.
import { DEFAULT_POLLING } from '../../src/domain';
import type { HealRequest, HealResult } from '../../src/domain';
import { APP_IDENTITY } from '../support/appFleet';
import { rbacAdministration } from '../support/rbacAdministration';
import { startApp } from './appHarness';
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
    { seed: rbacAdministration, sandbox: { rbacPropagationSeconds } },
  );
}

function healRequest(app: AppHarness): HealRequest {
  return {
    replicaId: `${app.registryId(RG, 'crprop01')}/replications/northeurope`,
    actor: { id: 'schedule' },
    channel: 'schedule',
    requestedAt: new Date().toISOString(),
    policy: 'auto',
    dryRun: false,
    polling: { ...DEFAULT_POLLING, initialSeconds: 0.2, maxSeconds: 0.5, goneConfirmations: 2 },
    thresholdMinutes: 1,
    firstSeenAt: '2026-01-01T00:00:00.000Z',
    maxAttempts: 1,
    approvalTimeoutMinutes: 60,
  };
}

async function heal(app: AppHarness): Promise<HealResult> {
  const durable = (path: string): string => `/runtime/webhooks/durabletask/${path}`;
  expect(
    (
      await app.api(durable('orchestrators/healReplica/heal-prop'), {
        method: 'POST',
        body: healRequest(app),
      })
    ).status,
  ).toBe(202);
  for (;;) {
    const status = (await app.api(durable('instances/heal-prop'))).json<{
      runtimeStatus: string;
      output: HealResult;
    }>();
    if (status.runtimeStatus === 'Completed') return status.output;
    if (status.runtimeStatus === 'Failed') throw new Error(JSON.stringify(status));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
