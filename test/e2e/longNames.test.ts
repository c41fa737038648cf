// Resource names as long as ARM allows still make instance ids the Durable host accepts: a heal of one
// registry in a 90-character resource group, with a 50-character registry name, starts (the id it would
// have had, 279 characters, is refused by the host) and heals the registry's failed replica through
// delete and create operations whose ids extend the replica's.
import { MAX_INSTANCE_ID_LENGTH, parseReplicaId, replicaInstanceId } from '../../src/domain';
import type { SweepSummary } from '../../src/domain';
import { rbacAdministration } from '../support/rbacAdministration';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const RG = `rg-${'(x)'.repeat(29)}`;
const REGISTRY = `cr${'7'.repeat(48)}`;

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id) => [
      {
        id: id(RG, REGISTRY),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'eastus', failed: true }],
      },
    ],
    { seed: rbacAdministration },
  );
});

afterAll(async () => {
  await app?.stop();
});

test('a heal of a registry with the longest names starts, runs and is audited without a refusal', async () => {
  expect(RG).toHaveLength(90);
  expect(REGISTRY).toHaveLength(50);
  const started = await app.api(
    `/api/registries/${app.subscriptionId}/${encodeURIComponent(RG)}/${REGISTRY}/heal`,
    { method: 'POST' },
  );
  expect(started.status).toBe(202);
  const { operationId } = started.json<{ operationId: string }>();
  expect(operationId.length).toBeLessThanOrEqual(MAX_INSTANCE_ID_LENGTH);

  const location = started.headers.get('location')!;
  let view = (await app.api(location)).json<{ runtimeStatus: string; result?: SweepSummary }>();
  const deadline = Date.now() + 60_000;
  while (!['Completed', 'Failed', 'Terminated'].includes(view.runtimeStatus) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    view = (await app.api(location)).json<{ runtimeStatus: string; result?: SweepSummary }>();
  }
  expect(view.runtimeStatus).toBe('Completed');
  const replicaId = `${app.registryId(RG, REGISTRY)}/replications/eastus`;
  expect(view.result?.results).toEqual([expect.objectContaining({ replicaId, outcome: 'healed' })]);

  const heal = replicaInstanceId(parseReplicaId(replicaId));
  const trail = await app.audit.listByInstance(app.registryId(RG, REGISTRY), operationId);
  expect(trail.map((e) => e.outcome)).not.toContain('refused');
  const deletes = await app.audit.listByInstance(replicaId, `${heal}|delete|1`);
  expect(deletes.map((e) => `${e.step}:${e.outcome}`)).toContain('completed:succeeded');
});
