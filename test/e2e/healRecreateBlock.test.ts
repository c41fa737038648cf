// ARM refuses to create a replica under a name deleted moments ago: a heal's recreate keeps retrying
// until ARM lets go of the name. The name stays blocked until the test moves the sandbox's clock past
// the block, which it does only once ARM has refused a recreate.
import { eventually } from '@acr-replica-guard/devhost/testing';
import { startApp } from './appHarness';
import { healRequest, healResult, startHeal } from './healHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-block';
/** Over a quarter of an hour of wall time at the test sandbox's speed: the test ends the block itself. */
const BLOCK_SECONDS = 1_000_000;

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
    { sandbox: { recreateBlockSeconds: BLOCK_SECONDS } },
  );
});

afterAll(async () => {
  await app?.stop();
});

test('a failed replica is recreated once ARM releases the name it just deleted', async () => {
  const request = healRequest(`${app.registryId(RG, 'crblock01')}/replications/eastus`, {
    thresholdMinutes: 1,
    firstSeenAt: undefined,
  });
  await startHeal(app, request, 'heal-block');

  const refused = await eventually('ARM to refuse the recreate', async () => {
    const { counts } = await app.sandbox.admin.requests(app.subscriptionId);
    return (counts['Replications_Create 409'] ?? 0) > 0 ? counts : undefined;
  });
  expect(refused['Replications_Create 201']).toBeUndefined();
  const released = await app.sandbox.admin.call('POST', '/clock', { advanceSeconds: BLOCK_SECONDS });
  expect(released.status).toBe(200);

  expect(await healResult(app, 'heal-block')).toMatchObject({ outcome: 'healed', diagnosis: 'failed' });
  const log = await app.sandbox.admin.requests(app.subscriptionId);
  expect(log.counts['Replications_Create 409']).toBeGreaterThan(0);
  expect(log.counts['Replications_Create 201']).toBe(1);
});
