// Orchestrations re-check REGISTRY_SCOPE before any ARM write, since they can be started directly through
// the durable client (with the host's system key) with input no REST or chat check has seen. Each one,
// given a registry outside the scope, writes nothing to ARM and says so in the audit trail; the same
// input inside the scope does write, so the counts below can tell. Against the real app on the devhost.
import { DEFAULT_POLLING } from '../../src/domain';
import type { HealResult, ReplicaOperationInput, SweepRequest, SweepSummary } from '../../src/domain';
import { APP_IDENTITY } from '../support/appFleet';
import { rbacAdministration } from '../support/rbacAdministration';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';
import { durable, healRequest, healResult, startHeal } from './healHarness';

const IN = 'rg-in-scope';
const OUT = 'rg-out-of-scope';
const POLLING = { ...DEFAULT_POLLING, initialSeconds: 0.2, maxSeconds: 0.5, goneConfirmations: 2 };
let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id, subscriptionId) => {
      const endpoint = `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-out`;
      return [
        {
          id: id(IN, 'crinside01'),
          location: 'westeurope',
          sku: 'Premium',
          replicas: [{ location: 'eastus' }],
        },
        {
          id: id(OUT, 'croutside01'),
          location: 'westeurope',
          sku: 'Premium',
          privateEndpoints: [endpoint],
          replicas: [
            { location: 'eastus' },
            { location: 'northeurope', creating: { createdBy: APP_IDENTITY.objectId } },
            { location: 'westus2', failed: true },
          ],
        },
      ];
    },
    {
      seed: rbacAdministration,
      // The app looks after one resource group of the test's subscription.
      env: (subscriptionId) => ({ REGISTRY_SCOPE: `/subscriptions/${subscriptionId}/resourceGroups/${IN}` }),
    },
  );
});

afterAll(async () => {
  await app?.stop();
});

async function armWrites(): Promise<string[]> {
  const log = await app.sandbox.admin.requests(app.subscriptionId);
  return log.requests.filter((r) => r.method !== 'GET').map((r) => r.operation);
}

async function startOrchestration(name: string, instanceId: string, input: unknown): Promise<void> {
  const started = await app.api(durable(`orchestrators/${name}/${encodeURIComponent(instanceId)}`), {
    method: 'POST',
    body: input,
  });
  expect(started.status).toBe(202);
}

async function outputOf<T>(instanceId: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = (await app.api(durable(`instances/${encodeURIComponent(instanceId)}`))).json<{
      runtimeStatus: string;
      output?: T;
    }>();
    if (status.runtimeStatus === 'Completed') return status.output as T;
    if (['Failed', 'Terminated'].includes(status.runtimeStatus)) throw new Error(JSON.stringify(status));
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const deletion = (registryId: string): ReplicaOperationInput => ({
  request: {
    kind: 'delete',
    replicaId: `${registryId}/replications/eastus`,
    actor: { id: 'function-key' },
    channel: 'api',
    requestedAt: new Date().toISOString(),
    polling: POLLING,
  },
});

test('a replica operation on a registry outside the scope is refused at its preflight, and writes nothing', async () => {
  const before = await armWrites();

  await startOrchestration('replicaOperation', 'out-delete', deletion(app.registryId(OUT, 'croutside01')));

  expect(await outputOf('out-delete')).toMatchObject({
    outcome: 'refused',
    evidence: { refusal: 'out-of-scope' },
  });
  expect(await armWrites()).toEqual(before);
  const trail = await app.audit.listByInstance(app.registryId(OUT, 'croutside01'), 'out-delete');
  const preflight = trail.find((e) => e.step === 'preflight');
  expect(preflight).toMatchObject({ outcome: 'refused', detail: { refusal: 'out-of-scope' } });
  expect(preflight?.detail?.detail).toMatch(/outside the scope .*REGISTRY_SCOPE/);

  // The same operation inside the scope does write.
  await startOrchestration('replicaOperation', 'in-delete', deletion(app.registryId(IN, 'crinside01')));
  expect(await outputOf('in-delete')).toMatchObject({ outcome: 'succeeded' });
  expect((await armWrites()).length).toBeGreaterThan(before.length);
});

test('a heal of a stuck replica outside the scope reads and changes nothing: no grant, no delete', async () => {
  const before = await armWrites();
  const replicaId = `${app.registryId(OUT, 'croutside01')}/replications/northeurope`;

  await startHeal(app, healRequest(replicaId, { thresholdMinutes: 1 }), 'out-heal');
  const result: HealResult = await healResult(app, 'out-heal');

  expect(result.outcome).toBe('skipped');
  expect(result.reason).toMatch(/outside the scope/);
  expect(result.diagnosis).toBeUndefined();
  expect(await armWrites()).toEqual(before);
  const trail = await app.audit.listByInstance(app.registryId(OUT, 'croutside01'), 'out-heal');
  expect(trail.map((e) => `${e.step}:${e.outcome}`)).toEqual(['scope-checked:refused']);
});

test('a sweep of a registry outside the scope covers nothing', async () => {
  const before = await armWrites();
  const request: SweepRequest = {
    registryId: app.registryId(OUT, 'croutside01'),
    actor: { id: 'function-key' },
    channel: 'api',
    requestedAt: new Date().toISOString(),
    dryRun: false,
    parallelism: 2,
    polling: POLLING,
    maxAttempts: 1,
    approvalTimeoutMinutes: 60,
    approvalPolicy: { requestedBy: { id: 'function-key' }, allowSelf: false, rest: true },
  };

  await startOrchestration('healSweep', 'out-sweep', { request });

  expect(await outputOf<SweepSummary>('out-sweep')).toMatchObject({ registries: 0, suspects: 0, healed: 0 });
  expect(await armWrites()).toEqual(before);
});
