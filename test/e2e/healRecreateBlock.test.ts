// ARM refuses to create a replica under a name deleted moments ago: a heal's recreate keeps retrying
// until ARM lets go of the name.
import { DEFAULT_POLLING } from '../../src/domain';
import type { HealRequest, HealResult } from '../../src/domain';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-block';

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id) => [
      {
        id: id(RG, 'crblock01'),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'eastus', failed: true }],
      },
    ],
    // The name stays blocked for about three seconds of wall time after the delete.
    { sandbox: { recreateBlockSeconds: 3000 } },
  );
});

afterAll(async () => {
  await app?.stop();
});

test('a failed replica is recreated once ARM releases the name it just deleted', async () => {
  const request: HealRequest = {
    replicaId: `${app.registryId(RG, 'crblock01')}/replications/eastus`,
    actor: { id: 'schedule' },
    channel: 'schedule',
    requestedAt: new Date().toISOString(),
    policy: 'auto',
    dryRun: false,
    polling: { ...DEFAULT_POLLING, initialSeconds: 0.2, maxSeconds: 0.5, goneConfirmations: 2 },
    thresholdMinutes: 1,
    maxAttempts: 2,
    approvalTimeoutMinutes: 60,
  };
  const durable = (path: string): string => `/runtime/webhooks/durabletask/${path}`;
  expect(
    (await app.api(durable('orchestrators/healReplica/heal-block'), { method: 'POST', body: request }))
      .status,
  ).toBe(202);

  let status: { runtimeStatus: string; output: HealResult };
  do {
    await new Promise((resolve) => setTimeout(resolve, 200));
    status = (await app.api(durable('instances/heal-block'))).json();
  } while (!['Completed', 'Failed'].includes(status.runtimeStatus));

  expect(status).toMatchObject({
    runtimeStatus: 'Completed',
    output: { outcome: 'healed', diagnosis: 'failed' },
  });
  const log = await app.sandbox.admin.requests(app.subscriptionId);
  expect(log.counts['Replications_Create 409']).toBeGreaterThan(0);
  expect(log.counts['Replications_Create 201']).toBe(1);
});
