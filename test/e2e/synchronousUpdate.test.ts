// ARM completes a tags-only PATCH of a replica at once (200, Succeeded, no polling URL) where other
// updates answer 201 and run. The app starts every update the same way and watches the replica
// afterwards, so an update that finished before it looked ends succeeded like any other.
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-tags';
let app: AppHarness;

beforeAll(async () => {
  app = await startApp((id) => [
    { id: id(RG, 'crtags01'), location: 'westeurope', sku: 'Premium', replicas: [{ location: 'eastus' }] },
  ]);
});

afterAll(async () => {
  await app?.stop();
});

test('a tags-only update, which ARM completes synchronously, ends succeeded with its audit trail', async () => {
  const accepted = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crtags01/replicas/eastus`, {
    method: 'PATCH',
    body: { tags: { tier: 'gold' } },
  });
  expect(accepted.status).toBe(202);

  const done = await app.waitForOperation(accepted.headers.get('location')!);

  expect(done).toMatchObject({ runtimeStatus: 'Completed', result: { outcome: 'succeeded' } });
  const log = await app.sandbox.admin.requests(app.subscriptionId);
  expect(log.counts['Replications_Update 200']).toBe(1);
  expect(log.counts['Replications_Update 201']).toBeUndefined();
  const trail = await app.audit.listByInstance(app.registryId(RG, 'crtags01'), done.operationId);
  expect(trail.map((e) => `${e.step}:${e.outcome}`)).toEqual(
    expect.arrayContaining(['arm-started:started', 'completed:succeeded']),
  );
  const replica = (await app.api(`/api/registries/${app.subscriptionId}/${RG}/crtags01/replicas`))
    .json<{ value: { name: string; tags: Record<string, string> }[] }>()
    .value.find((r) => r.name === 'eastus');
  expect(replica?.tags).toEqual({ tier: 'gold' });
});
