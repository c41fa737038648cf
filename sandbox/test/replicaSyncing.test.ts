// What a replica shows around and after its create, as recorded against ARM:
// - once the create succeeded, the new replica reports provisioningState Succeeded with
//   displayStatus "Syncing" while content is copied, then "Ready" (azure-sdk-for-python
//   sdk/containerregistry/azure-mgmt-containerregistry/tests/recordings/
//   test_cli_mgmt_containerregistry_registry.test_replications.yaml); the more content, the longer;
// - the answer to the PUT names no displayStatus yet, only a timestamp, and a Ready replica has no
//   message (Azure/azure-cli acr/tests/latest/recordings/test_acr_create_replication.yaml);
// - the home replica is created by the registry service: systemData.createdByType "Application",
//   whoever created the registry (same recording, `acr replication list`).
import { REGISTRY_SERVICE_APP_ID } from '../registries';
import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { startTestSandbox } from '../testing';
import { STILL_CLOCK, advanceClock, armFetch } from './armFetch';

const SUB = '40000000-0000-4000-8000-000000000001';
const OPERATOR = '40000000-0000-4000-8000-0000000000a1';
const REGISTRY = `/subscriptions/${SUB}/resourceGroups/rg-sync/providers/Microsoft.ContainerRegistry/registries/crlarge01`;
const V = 'api-version=2025-11-01';
const SIZE_GIB = 500;

const seed: SeedDocument = {
  principals: [{ objectId: OPERATOR, appId: OPERATOR, displayName: 'operator', type: 'User' }],
  subscriptions: [{ subscriptionId: SUB, locations: ['westeurope', 'eastus'] }],
  roleAssignments: [{ principalId: OPERATOR, role: 'Contributor', scope: `/subscriptions/${SUB}` }],
  registries: [
    { id: REGISTRY, location: 'westeurope', sku: 'Premium', sizeGiB: SIZE_GIB, createdBy: OPERATOR },
  ],
};

// Create: 20 s + 3 s/GiB; then Syncing for 10 s + 1 s/GiB.
const TIMINGS = { createSeconds: 20, createSecondsPerGiB: 3, syncSeconds: 10, syncSecondsPerGiB: 1 };
const CREATE_SECONDS = 20 + 3 * SIZE_GIB;
const SYNC_SECONDS = 10 + 1 * SIZE_GIB;

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox(seed, { speed: STILL_CLOCK, timings: TIMINGS });
});
afterAll(() => sandbox.close());

type Replica = {
  properties: { provisioningState: string; status: Record<string, string> };
  systemData: Record<string, string>;
};
const get = async (name: string): Promise<Replica> =>
  (await armFetch(sandbox, OPERATOR, 'GET', `${REGISTRY}/replications/${name}?${V}`)).body as Replica;

describe('a replica around and after its create (recorded ARM sessions)', () => {
  test('the PUT answer carries only the status timestamp; the replica is Succeeded and Syncing after the create, Ready once copied', async () => {
    const put = await armFetch(sandbox, OPERATOR, 'PUT', `${REGISTRY}/replications/eastus?${V}`, {
      location: 'eastus',
    });
    expect((put.body as Replica).properties.status).toEqual({ timestamp: expect.any(String) as unknown });

    await advanceClock(sandbox, CREATE_SECONDS - 1);
    expect((await get('eastus')).properties).toMatchObject({
      provisioningState: 'Creating',
      status: { displayStatus: 'Provisioning' },
    });

    await advanceClock(sandbox, 2);
    const syncing = await get('eastus');
    expect(syncing.properties.provisioningState).toBe('Succeeded');
    expect(syncing.properties.status).toEqual({
      displayStatus: 'Syncing',
      timestamp: expect.any(String) as unknown,
    });

    await advanceClock(sandbox, SYNC_SECONDS - 2);
    expect((await get('eastus')).properties.status.displayStatus).toBe('Syncing');

    await advanceClock(sandbox, 2);
    const ready = await get('eastus');
    expect(ready.properties).toMatchObject({ provisioningState: 'Succeeded' });
    expect(ready.properties.status).toEqual({
      displayStatus: 'Ready',
      timestamp: expect.any(String) as unknown,
    });
  });

  test('the home replica was created by the registry service, an Application, not by the registry’s creator', async () => {
    const home = await get('westeurope');
    expect(home.systemData).toMatchObject({
      createdBy: REGISTRY_SERVICE_APP_ID,
      createdByType: 'Application',
    });
    const registry = (await armFetch(sandbox, OPERATOR, 'GET', `${REGISTRY}?${V}`)).body as Replica;
    expect(registry.systemData).toMatchObject({ createdBy: OPERATOR, createdByType: 'User' });
  });
});
