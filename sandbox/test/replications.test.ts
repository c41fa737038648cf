// Replica lifecycle with ARM's long-running-operation protocol, driven through the real
// @azure/arm-containerregistry client and its pollers over HTTPS.
import type { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import type { SeedDocument } from '../types';
import { validatePagedList } from './support/armSpec';
import type { RecordedResponse, TestSandbox } from '../testing';
import {
  FAST_POLLING,
  SandboxTokenCredential,
  registryClient,
  responseRecorder,
  startTestSandbox,
} from '../testing';
import { conformanceProblems } from './support/conformance';

const SUB = '2b000000-0000-4000-8000-000000000001';
const OPERATOR = '2b000000-0000-4000-8000-0000000000a1';
const READER = '2b000000-0000-4000-8000-0000000000b1';
const RG = 'rg-replicas';
const registryIdOf = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/${name}`;

const seed: SeedDocument = {
  principals: [
    { objectId: OPERATOR, appId: '2b000000-0000-4000-8000-0000000000a2', displayName: 'operator' },
    { objectId: READER, appId: '2b000000-0000-4000-8000-0000000000b2', displayName: 'reader' },
  ],
  subscriptions: [
    {
      subscriptionId: SUB,
      locations: ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2', 'uksouth', 'swedencentral'],
    },
  ],
  roleDefinitions: [
    {
      roleName: 'Registry Operator',
      permissions: [{ actions: ['Microsoft.ContainerRegistry/*'] }],
      assignableScopes: [`/subscriptions/${SUB}`],
    },
  ],
  roleAssignments: [
    { principalId: OPERATOR, role: 'Registry Operator', scope: `/subscriptions/${SUB}` },
    { principalId: READER, role: 'Reader', scope: `/subscriptions/${SUB}` },
  ],
  registries: [
    { id: registryIdOf('crlifecycle'), location: 'westeurope', sku: 'Premium' },
    {
      id: registryIdOf('crmany01'),
      location: 'westeurope',
      sku: 'Premium',
      replicas: [
        { location: 'northeurope' },
        { location: 'eastus' },
        { location: 'eastus2' },
        { location: 'westus2' },
      ],
    },
    { id: registryIdOf('crstandard'), location: 'westeurope', sku: 'Standard' },
    // Big enough that a create outlasts every test at speed 1000 unless the clock is advanced.
    { id: registryIdOf('crhuge01'), location: 'westeurope', sku: 'Premium', sizeGiB: 1_000_000 },
    { id: registryIdOf('crfaulty01'), location: 'westeurope', sku: 'Premium' },
  ],
};

/** Over a quarter of an hour of wall time at speed 1000: a deleted name stays blocked until the clock moves. */
const RECREATE_BLOCK_SECONDS = 1_000_000;

let sandbox: TestSandbox;
let recorded: RecordedResponse[];
let client: ContainerRegistryManagementClient;

beforeAll(async () => {
  sandbox = await startTestSandbox(seed, { pageSize: 2, recreateBlockSeconds: RECREATE_BLOCK_SECONDS });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  const recorder = responseRecorder();
  recorded = recorder.responses;
  client = registryClient(sandbox, new SandboxTokenCredential(sandbox.url, OPERATOR), SUB, {
    recorder: recorder.policy,
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const advanceClock = (seconds: number): Promise<unknown> =>
  sandbox.admin.call('POST', '/clock', { advanceSeconds: seconds });

describe('replica lifecycle', () => {
  it('creates a replica: 201 Creating with Azure-AsyncOperation, polled to Succeeded, with its creator in systemData', async () => {
    const replica = await client.replications.create(
      RG,
      'crlifecycle',
      'northeurope',
      { location: 'northeurope', tags: { purpose: 'dr' } },
      FAST_POLLING,
    );

    expect(replica).toMatchObject({
      provisioningState: 'Succeeded',
      regionEndpointEnabled: true,
      zoneRedundancy: 'Disabled',
    });
    // Copying content ("Syncing") follows the create; on this fast clock it may be over already.
    expect(['Syncing', 'Ready']).toContain(replica.status?.displayStatus);
    expect(replica.systemData).toMatchObject({
      createdBy: OPERATOR,
      createdByType: 'Application',
      lastModifiedBy: OPERATOR,
    });
    const initial = recorded[0]!;
    expect(initial).toMatchObject({
      method: 'PUT',
      status: 201,
      body: { properties: { provisioningState: 'Creating' } },
    });
    expect((initial.body as { properties: { status: object } }).properties.status).toEqual({
      timestamp: expect.any(String) as unknown,
    });
    const polls = recorded.filter((r) => r.url.includes('/operationStatuses/'));
    expect(polls.at(-1)?.body).toMatchObject({ status: 'Succeeded' });
    expect(conformanceProblems(recorded)).toEqual([]);
  });

  it('updates a replica with PATCH: 201 Updating, then Succeeded with the new settings and last modifier', async () => {
    const updated = await client.replications.update(
      RG,
      'crlifecycle',
      'northeurope',
      { tags: { purpose: 'dr', tier: 'gold' }, regionEndpointEnabled: false },
      FAST_POLLING,
    );

    expect(updated).toMatchObject({
      provisioningState: 'Succeeded',
      tags: { purpose: 'dr', tier: 'gold' },
      regionEndpointEnabled: false,
    });
    expect(recorded[0]).toMatchObject({
      method: 'PATCH',
      status: 201,
      body: { properties: { provisioningState: 'Updating' } },
    });
    expect(conformanceProblems(recorded)).toEqual([]);
  });

  it('refuses to change zone redundancy in place (400): that takes a delete and a create', async () => {
    const error = await client.replications
      .create(
        RG,
        'crlifecycle',
        'northeurope',
        { location: 'northeurope', zoneRedundancy: 'Enabled' },
        FAST_POLLING,
      )
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ statusCode: 400, code: 'OperationNotAllowed' });
  });

  it('deletes a replica: 202 with a subscription-scoped Location polled until done, then GET answers 404', async () => {
    await client.replications.delete(RG, 'crlifecycle', 'northeurope', FAST_POLLING);

    const initial = recorded[0]!;
    expect(initial).toMatchObject({ method: 'DELETE', status: 202, body: undefined });
    const polls = recorded.filter((r) => r.url.includes('/operationResults/'));
    expect(polls[0]?.url).toMatch(
      new RegExp(
        `/subscriptions/${SUB}/providers/Microsoft.ContainerRegistry/locations/northeurope/operationResults/`,
      ),
    );
    expect(polls.at(-1)?.status).toBe(200);
    const error = await client.replications.get(RG, 'crlifecycle', 'northeurope').catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    const remaining = await collect(client.replications.list(RG, 'crlifecycle'));
    expect(remaining.map((r) => r.name)).toEqual(['westeurope']);
  });

  it('refuses to recreate a just-deleted replica (409) until the recreate block has passed', async () => {
    const blocked = await client.replications
      .create(RG, 'crlifecycle', 'northeurope', { location: 'northeurope' }, FAST_POLLING)
      .catch((e: unknown) => e);
    expect(blocked).toMatchObject({ statusCode: 409, code: 'ReplicationRecentlyDeleted' });

    await advanceClock(RECREATE_BLOCK_SECONDS);
    const recreated = await client.replications.create(
      RG,
      'crlifecycle',
      'northeurope',
      { location: 'northeurope' },
      FAST_POLLING,
    );

    expect(recreated.provisioningState).toBe('Succeeded');
  });

  it('treats a delete of an absent replica as done (204)', async () => {
    await client.replications.delete(RG, 'crlifecycle', 'swedencentral', FAST_POLLING);

    expect(recorded[0]).toMatchObject({ method: 'DELETE', status: 204 });
  });

  it('lists replicas, the home replica included, over pages linked by nextLink', async () => {
    const replicas = await collect(client.replications.list(RG, 'crmany01'));

    expect(replicas.map((r) => r.name).sort()).toEqual([
      'eastus',
      'eastus2',
      'northeurope',
      'westeurope',
      'westus2',
    ]);
    expect(
      validatePagedList(
        'Replications_List',
        recorded.map((r) => r.body),
      ),
    ).toEqual([]);
    expect(recorded).toHaveLength(3);
  });

  it('never deletes the home replica (400 HomeReplicationCannotBeDeleted)', async () => {
    const error = await client.replications
      .delete(RG, 'crmany01', 'westeurope', FAST_POLLING)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ statusCode: 400, code: 'HomeReplicationCannotBeDeleted' });
  });
});

describe('replica creates the sandbox refuses', () => {
  it('refuses geo-replication of a non-Premium registry', async () => {
    const error = await client.replications
      .create(RG, 'crstandard', 'northeurope', { location: 'northeurope' }, FAST_POLLING)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ statusCode: 400, code: 'RegistrySkuNotSupported' });
  });

  it('refuses a location not offered to the subscription', async () => {
    const error = await client.replications
      .create(RG, 'crmany01', 'japaneast', { location: 'japaneast' }, FAST_POLLING)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ statusCode: 400, code: 'LocationNotAvailableForResourceType' });
  });

  it('refuses writes by a principal that may only read (403), and names the replica scope', async () => {
    const reader = registryClient(sandbox, new SandboxTokenCredential(sandbox.url, READER), SUB);

    const error = await reader.replications
      .create(RG, 'crmany01', 'uksouth', { location: 'uksouth' }, FAST_POLLING)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect((error as Error).message).toContain(
      `over scope '${registryIdOf('crmany01')}/replications/uksouth'`,
    );
  });
});

describe('slow provisioning and conflicts', () => {
  it('keeps a large registry’s replica Creating until enough time has passed, then Succeeded', async () => {
    const poller = client.replications.create(RG, 'crhuge01', 'eastus', { location: 'eastus' }, FAST_POLLING);
    await poller.submitted();

    await advanceClock(1000);
    expect((await client.replications.get(RG, 'crhuge01', 'eastus')).provisioningState).toBe('Creating');

    await advanceClock(4_000_000);
    expect(await poller.pollUntilDone()).toMatchObject({ provisioningState: 'Succeeded' });
  });

  it('answers 409 to a PATCH or a second PUT while the replica is Creating, but accepts a DELETE', async () => {
    const poller = client.replications.create(
      RG,
      'crhuge01',
      'uksouth',
      { location: 'uksouth' },
      FAST_POLLING,
    );
    await poller.submitted();

    const patch = await client.replications
      .update(RG, 'crhuge01', 'uksouth', { tags: { a: 'b' } }, FAST_POLLING)
      .catch((e: unknown) => e);
    const put = await client.replications
      .create(RG, 'crhuge01', 'uksouth', { location: 'uksouth' }, FAST_POLLING)
      .catch((e: unknown) => e);
    await client.replications.delete(RG, 'crhuge01', 'uksouth', FAST_POLLING);

    expect(patch).toMatchObject({ statusCode: 409, code: 'AnotherOperationInProgress' });
    expect(put).toMatchObject({ statusCode: 409, code: 'AnotherOperationInProgress' });
    expect(await poller.pollUntilDone().catch((e: unknown) => e)).toBeInstanceOf(Error);
    const names = (await collect(client.replications.list(RG, 'crhuge01'))).map((r) => r.name);
    expect(names).not.toContain('uksouth');
  });

  it('ends a create Failed when a replicationFailure fault rule says so, once', async () => {
    await sandbox.admin.call('POST', '/faults', {
      kind: 'replicationFailure',
      registryId: registryIdOf('crfaulty01'),
      location: 'eastus',
      count: 1,
    });

    const failure = await client.replications
      .create(RG, 'crfaulty01', 'eastus', { location: 'eastus' }, FAST_POLLING)
      .catch((e: unknown) => e);
    const failed = await client.replications.get(RG, 'crfaulty01', 'eastus');
    const retried = await client.replications.create(
      RG,
      'crfaulty01',
      'eastus',
      { location: 'eastus' },
      FAST_POLLING,
    );

    expect(failure).toBeInstanceOf(Error);
    expect(failed).toMatchObject({ provisioningState: 'Failed', status: { displayStatus: 'Failed' } });
    const statusBodies = recorded.filter((r) => r.url.includes('/operationStatuses/')).map((r) => r.body);
    expect(statusBodies).toContainEqual(
      expect.objectContaining({
        status: 'Failed',
        error: expect.objectContaining({ code: 'ReplicationProvisioningFailed' }) as unknown,
      }),
    );
    expect(retried.provisioningState).toBe('Succeeded');
  });
});
