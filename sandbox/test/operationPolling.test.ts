// Replication writes and their polling URLs answer as recorded against ARM in
// Azure/azure-cli src/azure-cli/azure/cli/command_modules/acr/tests/latest/recordings/test_acr_create_replication.yaml
// (api-version 2026-09-01-preview) and in azure-sdk-for-python
// sdk/containerregistry/azure-mgmt-containerregistry/tests/recordings/test_cli_mgmt_containerregistry_registry.test_replications.yaml:
// the status poll's body is {"status": ...} alone, every answer carries a fresh Azure-AsyncOperation
// (or Location) header, and no answer carries Retry-After.
import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { SandboxTokenCredential, registryClient, startTestSandbox } from '../testing';
import { STILL_CLOCK, advanceClock, armFetch } from './armFetch';

const SUB = '3c000000-0000-4000-8000-000000000001';
const OPERATOR = '3c000000-0000-4000-8000-0000000000a1';
const RG = 'rg-polls';
const REGISTRY = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/crpolls01`;
const V = 'api-version=2025-11-01';
const replica = (name: string): string => `${REGISTRY}/replications/${name}?${V}`;

const seed: SeedDocument = {
  principals: [
    { objectId: OPERATOR, appId: '3c000000-0000-4000-8000-0000000000a2', displayName: 'operator' },
  ],
  subscriptions: [{ subscriptionId: SUB, locations: ['westeurope', 'northeurope', 'eastus', 'uksouth'] }],
  roleAssignments: [{ principalId: OPERATOR, role: 'Contributor', scope: `/subscriptions/${SUB}` }],
  registries: [{ id: REGISTRY, location: 'westeurope', sku: 'Premium' }],
};

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox(seed, { speed: STILL_CLOCK });
});
afterAll(() => sandbox.close());

describe('replication operation polls (recorded ARM sessions)', () => {
  test('a create is polled as {"status": "Creating"}, then {"status": "Succeeded"}, each answer with a fresh Azure-AsyncOperation and nothing else in the body', async () => {
    const put = await armFetch(sandbox, OPERATOR, 'PUT', replica('northeurope'), { location: 'northeurope' });
    expect(put.status).toBe(201);
    const first = put.headers.get('azure-asyncoperation')!;
    expect(first).toContain(`${REGISTRY}/replications/northeurope/operationStatuses/`);

    const running = await armFetch(sandbox, OPERATOR, 'GET', first);
    expect(running.status).toBe(200);
    expect(running.body).toEqual({ status: 'Creating' });
    const second = running.headers.get('azure-asyncoperation')!;
    expect(second).not.toBe(first);
    expect(new URL(second).pathname).toBe(new URL(first).pathname);

    await advanceClock(sandbox, 3600);
    const done = await armFetch(sandbox, OPERATOR, 'GET', second);
    expect(done.body).toEqual({ status: 'Succeeded' });
    expect(done.headers.get('azure-asyncoperation')).not.toBe(second);
  });

  test('an update is polled as {"status": "Updating"} until it succeeds', async () => {
    const patch = await armFetch(sandbox, OPERATOR, 'PATCH', replica('northeurope'), {
      properties: { regionEndpointEnabled: false },
    });
    expect(patch.status).toBe(201);
    const running = await armFetch(sandbox, OPERATOR, 'GET', patch.headers.get('azure-asyncoperation')!);
    expect(running.body).toEqual({ status: 'Updating' });
    await advanceClock(sandbox, 3600);
  });

  test('a delete answers 202 with a Location that is polled with 202 and a fresh Location, then 200', async () => {
    const deletion = await armFetch(sandbox, OPERATOR, 'DELETE', replica('northeurope'));
    expect([deletion.status, deletion.body]).toEqual([202, undefined]);
    const first = deletion.headers.get('location')!;
    expect(new URL(first).pathname).toMatch(
      new RegExp(
        `^/subscriptions/${SUB}/providers/Microsoft.ContainerRegistry/locations/northeurope/operationResults/`,
      ),
    );

    const running = await armFetch(sandbox, OPERATOR, 'GET', first);
    expect([running.status, running.body]).toEqual([202, undefined]);
    const second = running.headers.get('location')!;
    expect(second).not.toBe(first);

    await advanceClock(sandbox, 3600);
    const done = await armFetch(sandbox, OPERATOR, 'GET', second);
    expect([done.status, done.body, done.headers.get('location')]).toEqual([200, undefined, null]);
  });

  test('no write and no poll carries Retry-After', async () => {
    const answers = [];
    const put = await armFetch(sandbox, OPERATOR, 'PUT', replica('eastus'), { location: 'eastus' });
    answers.push(put, await armFetch(sandbox, OPERATOR, 'GET', put.headers.get('azure-asyncoperation')!));
    await advanceClock(sandbox, 3600);
    const patch = await armFetch(sandbox, OPERATOR, 'PATCH', replica('eastus'), {
      properties: { regionEndpointEnabled: false },
    });
    answers.push(patch, await armFetch(sandbox, OPERATOR, 'GET', patch.headers.get('azure-asyncoperation')!));
    await advanceClock(sandbox, 3600);
    const deletion = await armFetch(sandbox, OPERATOR, 'DELETE', replica('eastus'));
    answers.push(deletion, await armFetch(sandbox, OPERATOR, 'GET', deletion.headers.get('location')!));

    expect(answers.map((a) => a.status)).toEqual([201, 200, 201, 200, 202, 202]);
    expect(answers.map((a) => a.headers.get('retry-after'))).toEqual(answers.map(() => null));
  });

  test("the SDK's poller, left to its own interval without Retry-After, follows the fresh URLs to the end", async () => {
    await sandbox.admin.call('POST', '/clock', { speed: 1000 });
    try {
      const client = registryClient(sandbox, new SandboxTokenCredential(sandbox.url, OPERATOR), SUB);
      // No polling options: the SDK waits its default interval between polls.
      const created = await client.replications.create(RG, 'crpolls01', 'uksouth', { location: 'uksouth' });
      expect(created.provisioningState).toBe('Succeeded');
    } finally {
      await sandbox.admin.call('POST', '/clock', { speed: STILL_CLOCK });
    }
  });
});
