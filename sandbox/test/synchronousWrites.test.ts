// Replication writes that provision nothing complete at once, as recorded against ARM:
// - a tags-only PATCH answers 200 with the replica, Succeeded, and no Azure-AsyncOperation
//   (azure-sdk-for-python sdk/containerregistry/azure-mgmt-containerregistry/tests/recordings/
//   test_cli_mgmt_containerregistry_registry.test_replications.yaml);
// - a PUT that changes nothing answers 200 Succeeded (same folder, test_mgmt_containerregistry.test_replication.yaml).
// A PATCH that changes a provisioned setting still answers 201 and runs (Azure/azure-cli
// acr/tests/latest/recordings/test_acr_create_replication.yaml).
import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { FAST_POLLING, SandboxTokenCredential, registryClient, startTestSandbox } from '../testing';
import { STILL_CLOCK, armFetch } from './armFetch';

const SUB = '3d000000-0000-4000-8000-000000000001';
const OPERATOR = '3d000000-0000-4000-8000-0000000000a1';
const RG = 'rg-sync';
const REGISTRY = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/crsync01`;
const EASTUS = `${REGISTRY}/replications/eastus?api-version=2025-11-01`;

const seed: SeedDocument = {
  principals: [
    { objectId: OPERATOR, appId: '3d000000-0000-4000-8000-0000000000a2', displayName: 'operator' },
  ],
  subscriptions: [{ subscriptionId: SUB, locations: ['westeurope', 'eastus'] }],
  roleAssignments: [{ principalId: OPERATOR, role: 'Contributor', scope: `/subscriptions/${SUB}` }],
  registries: [
    {
      id: REGISTRY,
      location: 'westeurope',
      sku: 'Premium',
      replicas: [{ location: 'eastus', tags: { team: 'platform' } }],
    },
  ],
};

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox(seed, { speed: STILL_CLOCK });
});
afterAll(() => sandbox.close());

describe('writes that provision nothing (recorded ARM sessions)', () => {
  test('a tags-only PATCH answers 200 Succeeded with the new tags, without a polling URL', async () => {
    const patch = await armFetch(sandbox, OPERATOR, 'PATCH', EASTUS, {
      tags: { team: 'platform', tier: 'gold' },
    });

    expect(patch.status).toBe(200);
    expect(patch.headers.get('azure-asyncoperation')).toBeNull();
    expect(patch.body).toMatchObject({
      tags: { team: 'platform', tier: 'gold' },
      properties: { provisioningState: 'Succeeded' },
      systemData: { lastModifiedBy: OPERATOR },
    });
  });

  test('a PUT that changes nothing answers 200 Succeeded, without a polling URL', async () => {
    const put = await armFetch(sandbox, OPERATOR, 'PUT', EASTUS, {
      location: 'eastus',
      tags: { team: 'platform', tier: 'gold' },
      properties: { regionEndpointEnabled: true },
    });

    expect(put.status).toBe(200);
    expect(put.headers.get('azure-asyncoperation')).toBeNull();
    expect(put.body).toMatchObject({ properties: { provisioningState: 'Succeeded' } });
  });

  test('a PATCH that changes the endpoint flag still answers 201 Updating and runs', async () => {
    const patch = await armFetch(sandbox, OPERATOR, 'PATCH', EASTUS, {
      properties: { regionEndpointEnabled: false },
    });

    expect(patch.status).toBe(201);
    expect(patch.body).toMatchObject({ properties: { provisioningState: 'Updating' } });
    expect(patch.headers.get('azure-asyncoperation')).toContain('/operationStatuses/');
  });

  test("the SDK's update and create pollers take the 200 as done", async () => {
    await sandbox.admin.call('POST', '/clock', { advanceSeconds: 3600 });
    const client = registryClient(sandbox, new SandboxTokenCredential(sandbox.url, OPERATOR), SUB);

    const updated = await client.replications.update(
      RG,
      'crsync01',
      'eastus',
      { tags: { tier: 'silver' } },
      FAST_POLLING,
    );
    const again = await client.replications.create(
      RG,
      'crsync01',
      'eastus',
      { location: 'eastus', tags: { tier: 'silver' }, regionEndpointEnabled: false },
      FAST_POLLING,
    );

    expect(updated).toMatchObject({ provisioningState: 'Succeeded', tags: { tier: 'silver' } });
    expect(again).toMatchObject({ provisioningState: 'Succeeded', regionEndpointEnabled: false });
    const log = await sandbox.admin.requests(SUB);
    // Both SDK calls ended with their first answer: nothing was polled.
    expect(log.counts).toMatchObject({ 'Replications_Update 200': 2, 'Replications_Create 200': 2 });
    expect(log.counts['Replications_GetOperationStatus 200']).toBeUndefined();
  });
});
