// ARM refuses to create a replica under a name deleted moments ago (the sandbox's refusal says for how
// long): a heal's recreate waits exactly that long, once, and then creates it.
import type { HealResult } from '../../src/domain';
import { startApp } from './appHarness';
import { durable, healRequest, startHeal } from './healHarness';
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

test('a failed replica is recreated once ARM releases the name it just deleted, after one wait as long as ARM said', async () => {
  const request = healRequest(`${app.registryId(RG, 'crblock01')}/replications/eastus`, {
    thresholdMinutes: 1,
    firstSeenAt: undefined,
  });
  await startHeal(app, request, 'heal-block');

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
  expect(log.counts['Replications_Create 409']).toBe(1);
  // One 404 confirmed the delete; the refusal needed no look at the replica.
  expect(log.counts['Replications_Get 404']).toBe(1);
  expect(log.counts['Replications_Create 201']).toBe(1);
  const refused = (
    await app.audit.listByInstance(app.registryId(RG, 'crblock01'), 'heal-block|create|1')
  ).find((e) => e.step === 'arm-refused-1');
  expect(refused?.detail).toMatchObject({ action: 'create' });
  expect(typeof refused?.detail?.retryAfterSeconds).toBe('number');
});
