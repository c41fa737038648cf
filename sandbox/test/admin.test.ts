// The admin API: additive seeding, reset, state, clock and tokens.
import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { SandboxTokenCredential, registryClient, startTestSandbox } from '../testing';

const SUB_A = '6f000000-0000-4000-8000-00000000000a';
const SUB_B = '6f000000-0000-4000-8000-00000000000b';
const OPERATOR = '6f000000-0000-4000-8000-0000000000a1';
const registryIn = (subscriptionId: string, name: string): string =>
  `/subscriptions/${subscriptionId}/resourceGroups/rg-admin/providers/Microsoft.ContainerRegistry/registries/${name}`;

const startSeed: SeedDocument = {
  principals: [
    { objectId: OPERATOR, appId: '6f000000-0000-4000-8000-0000000000a2', displayName: 'operator' },
  ],
  subscriptions: [{ subscriptionId: SUB_A, locations: ['westeurope', 'northeurope'] }],
  roleAssignments: [{ principalId: OPERATOR, role: 'Contributor', scope: `/subscriptions/${SUB_A}` }],
  registries: [{ id: registryIn(SUB_A, cr('a')), location: 'westeurope', sku: 'Premium' }],
};
const laterSeed: SeedDocument = {
  subscriptions: [{ subscriptionId: SUB_B, locations: ['eastus'] }],
  roleAssignments: [{ principalId: OPERATOR, role: 'Reader', scope: `/subscriptions/${SUB_B}` }],
  registries: [{ id: registryIn(SUB_B, cr('b')), location: 'eastus', sku: 'Basic' }],
};

function cr(suffix: string): string {
  return `cradmin${suffix}01`;
}

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox(startSeed);
});
afterAll(() => sandbox.close());

interface StateView {
  registries: { id: string; replicas: { name: string; provisioningState: string }[] }[];
}

describe('admin API', () => {
  it('adds a seed next to what is there, so each test file can bring its own subscription', async () => {
    const seeded = await sandbox.admin.call('POST', '/seed', laterSeed);
    const credential = new SandboxTokenCredential(sandbox.url, OPERATOR);

    const inA = await registryClient(sandbox, credential, SUB_A).registries.get('rg-admin', cr('a'));
    const inB = await registryClient(sandbox, credential, SUB_B).registries.get('rg-admin', cr('b'));

    expect(seeded.status).toBe(200);
    expect([inA.name, inB.name]).toEqual([cr('a'), cr('b')]);
  });

  it('describes the state of one subscription, replicas with their computed provisioning state', async () => {
    const state = await sandbox.admin.call<StateView>('GET', `/state?subscriptionId=${SUB_A}`);

    expect(state.body.registries).toEqual([
      expect.objectContaining({
        id: registryIn(SUB_A, cr('a')),
        replicas: [expect.objectContaining({ name: 'westeurope', provisioningState: 'Succeeded' })],
      }),
    ]);
  });

  it('resets to the start-up seed, forgetting later seeds and the request log', async () => {
    const reset = await sandbox.admin.call('POST', '/reset');
    const state = await sandbox.admin.call<StateView>('GET', '/state');
    const log = await sandbox.admin.requests(SUB_A);

    expect(reset.status).toBe(204);
    expect(state.body.registries.map((r) => r.id)).toEqual([registryIn(SUB_A, cr('a'))]);
    expect(log.requests).toEqual([]);
  });

  it('sets the clock speed and moves the clock forward', async () => {
    const before = await sandbox.admin.call<{ virtualTime: string }>('GET', '/clock');
    const after = await sandbox.admin.call<{ speed: number; virtualTime: string }>('POST', '/clock', {
      speed: 5,
      advanceSeconds: 3600,
    });
    const invalid = await sandbox.admin.call('POST', '/clock', { speed: 0 });

    expect(after.body.speed).toBe(5);
    expect(Date.parse(after.body.virtualTime) - Date.parse(before.body.virtualTime)).toBeGreaterThanOrEqual(
      3_600_000,
    );
    expect(invalid.status).toBe(400);
  });

  it('mints tokens for seeded principals only, and answers unknown routes and bad seeds with errors', async () => {
    const known = await sandbox.admin.call<{ accessToken: string; tokenType: string }>('POST', '/token', {
      objectId: OPERATOR,
    });
    const unknown = await sandbox.admin.call('POST', '/token', { objectId: 'nobody' });
    const route = await sandbox.admin.call('GET', '/nothing-here');
    const badSeed = await sandbox.admin.call('POST', '/seed', { tenantId: 'another-tenant' });

    expect(known.body.tokenType).toBe('Bearer');
    expect(known.body.accessToken.split('.')).toHaveLength(3);
    expect([unknown.status, route.status, badSeed.status]).toEqual([404, 404, 400]);
  });
});
