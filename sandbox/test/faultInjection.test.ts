// Injected faults through the admin API, observed by the real SDK pipelines (which retry 429, 5xx and
// dropped connections) and confirmed through the sandbox's request log.
import type { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import type { FaultRule, SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { FAST_POLLING, SandboxTokenCredential, registryClient, startTestSandbox } from '../testing';

const SUB = '4d000000-0000-4000-8000-000000000001';
const OTHER_SUB = '4d000000-0000-4000-8000-000000000002';
const OPERATOR = '4d000000-0000-4000-8000-0000000000a1';
const RG = 'rg-faults';
const registryIn = (subscriptionId: string, name: string): string =>
  `/subscriptions/${subscriptionId}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/${name}`;

const seed: SeedDocument = {
  principals: [
    {
      objectId: OPERATOR,
      appId: '4d000000-0000-4000-8000-0000000000a2',
      displayName: 'operator',
      systemAssigned: true,
    },
  ],
  subscriptions: [
    { subscriptionId: SUB, locations: ['westeurope', 'northeurope', 'eastus', 'uksouth'] },
    { subscriptionId: OTHER_SUB, locations: ['westeurope', 'northeurope'] },
  ],
  roleAssignments: [
    { principalId: OPERATOR, role: 'Contributor', scope: `/subscriptions/${SUB}` },
    { principalId: OPERATOR, role: 'Contributor', scope: `/subscriptions/${OTHER_SUB}` },
  ],
  registries: [
    {
      id: registryIn(SUB, 'crfaults01'),
      location: 'westeurope',
      sku: 'Premium',
      replicas: [{ location: 'northeurope' }],
    },
    { id: registryIn(OTHER_SUB, 'crother01'), location: 'westeurope', sku: 'Premium' },
  ],
};

let sandbox: TestSandbox;
let client: ContainerRegistryManagementClient;
let other: ContainerRegistryManagementClient;

beforeAll(async () => {
  sandbox = await startTestSandbox(seed);
  const credential = new SandboxTokenCredential(sandbox.url, OPERATOR);
  client = registryClient(sandbox, credential, SUB);
  other = registryClient(sandbox, credential, OTHER_SUB);
});
afterAll(() => sandbox.close());
afterEach(async () => {
  await sandbox.admin.call('DELETE', '/faults');
  await sandbox.admin.call('DELETE', '/requests');
});

const addFault = (rule: FaultRule): Promise<unknown> => sandbox.admin.call('POST', '/faults', rule);

describe('injected faults', () => {
  it('throttles the next two reads with 429 + Retry-After; the SDK retries and the read succeeds', async () => {
    await addFault({
      kind: 'throttle',
      count: 2,
      retryAfterSeconds: 0,
      match: { subscriptionId: SUB, operation: 'Replications_Get' },
    });

    const replica = await client.replications.get(RG, 'crfaults01', 'northeurope');

    expect(replica.provisioningState).toBe('Succeeded');
    const log = await sandbox.admin.requests(SUB);
    expect(log.counts).toEqual({ 'Replications_Get 429': 2, 'Replications_Get 200': 1 });
    expect(log.requests.filter((r) => r.fault === 'throttle')).toHaveLength(2);
  });

  it('answers creates and polls with 500/503 for a while; the SDK retries and the replica is still created', async () => {
    await addFault({
      kind: 'error',
      status: 500,
      count: 2,
      match: { subscriptionId: SUB, operation: 'Replications_Create' },
    });
    await addFault({
      kind: 'error',
      status: 503,
      count: 1,
      match: { subscriptionId: SUB, operation: 'Replications_GetOperationStatus' },
    });

    const replica = await client.replications.create(
      RG,
      'crfaults01',
      'eastus',
      { location: 'eastus' },
      FAST_POLLING,
    );

    expect(replica.provisioningState).toBe('Succeeded');
    const { counts } = await sandbox.admin.requests(SUB);
    expect(counts['Replications_Create 500']).toBe(2);
    expect(counts['Replications_Create 201']).toBe(1);
    expect(counts['Replications_GetOperationStatus 503']).toBe(1);
  });

  it('drops the connection of the next matching request; the SDK retries on the reset', async () => {
    await addFault({ kind: 'drop', count: 1, match: { subscriptionId: SUB, operation: 'Registries_Get' } });

    const registry = await client.registries.get(RG, 'crfaults01');

    expect(registry.name).toBe('crfaults01');
    const log = await sandbox.admin.requests(SUB);
    expect(log.requests.map((r) => [r.operation, r.status, r.fault])).toEqual([
      ['Registries_Get', 0, 'drop'],
      ['Registries_Get', 200, undefined],
    ]);
  });

  it('delays matching requests by the configured latency and marks them in the log', async () => {
    await addFault({
      kind: 'latency',
      latencyMs: 20,
      jitterMs: 10,
      match: { subscriptionId: SUB, method: 'GET' },
    });

    await client.registries.get(RG, 'crfaults01');

    const log = await sandbox.admin.requests(SUB);
    expect(log.requests.map((r) => [r.status, r.fault])).toEqual([[200, 'latency']]);
  });

  it('scopes rules to their subscription, so another subscription’s requests pass untouched', async () => {
    await addFault({ kind: 'error', status: 500, count: 1, match: { subscriptionId: SUB } });

    await other.registries.get(RG, 'crother01');

    expect((await sandbox.admin.requests(OTHER_SUB)).counts).toEqual({ 'Registries_Get 200': 1 });
    const rules = await sandbox.admin.call<{ rules: FaultRule[] }>('GET', '/faults');
    expect(rules.body.rules).toEqual([expect.objectContaining({ kind: 'error', count: 1 })]);
  });

  it('never injects faults on admin or managed-identity token routes', async () => {
    await addFault({ kind: 'error', status: 500 });

    const token = await sandbox.admin.call('POST', '/token', { objectId: OPERATOR });
    const msi = await fetch(
      `${sandbox.identityEndpoint}?api-version=2019-08-01&resource=https://management.azure.com`,
      {
        headers: { 'X-IDENTITY-HEADER': sandbox.identityHeader },
      },
    );
    const arm = await fetch(`${sandbox.url}${registryIn(SUB, 'crfaults01')}?api-version=2025-11-01`);

    expect(token.status).toBe(200);
    expect(msi.status).toBe(200);
    expect(arm.status).toBe(500);
  });

  it('rejects malformed fault rules with 400', async () => {
    const response = await sandbox.admin.call('POST', '/faults', { kind: 'error', status: 418, rate: 2 });

    expect(response.status).toBe(400);
  });
});
