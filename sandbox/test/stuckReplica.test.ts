// The fault this product exists for: on a registry with private endpoints, a replica created by an
// identity lacking Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write stays
// provisioning until deleted; after the permission is granted (here through the real
// @azure/arm-authorization client), a new create succeeds.
import { randomUUID } from 'node:crypto';
import type { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { PRIVATE_LINK_PROXY_WRITE } from '../replicaLifecycle';
import type { SeedDocument } from '../types';
import type { RecordedResponse, TestSandbox } from '../testing';
import {
  FAST_POLLING,
  SandboxTokenCredential,
  authorizationClient,
  registryClient,
  responseRecorder,
  startTestSandbox,
} from '../testing';

const SUB = '3c000000-0000-4000-8000-000000000001';
const APP = '3c000000-0000-4000-8000-0000000000a1';
const ADMIN = '3c000000-0000-4000-8000-0000000000d1';
const RG = 'rg-secure';
const NETWORK_RG = `/subscriptions/${SUB}/resourceGroups/rg-network`;
const PE = `${NETWORK_RG}/providers/Microsoft.Network/privateEndpoints/pe-crsecure01`;
const REGISTRY = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/crsecure01`;
const FOREVER_SECONDS = 10_000_000;

const seed: SeedDocument = {
  principals: [
    {
      objectId: APP,
      appId: '3c000000-0000-4000-8000-0000000000a2',
      displayName: 'func-acr-replica-guard',
      systemAssigned: true,
    },
    {
      objectId: ADMIN,
      appId: '3c000000-0000-4000-8000-0000000000d2',
      displayName: 'Platform Admin',
      type: 'User',
    },
  ],
  subscriptions: [
    { subscriptionId: SUB, locations: ['westeurope', 'northeurope', 'uksouth', 'swedencentral'] },
  ],
  roleDefinitions: [
    {
      roleName: 'Replica Guard Registry Operator',
      permissions: [{ actions: ['Microsoft.ContainerRegistry/*'] }],
      assignableScopes: [`/subscriptions/${SUB}`],
    },
  ],
  roleAssignments: [
    { principalId: APP, role: 'Replica Guard Registry Operator', scope: `/subscriptions/${SUB}` },
    { principalId: APP, role: 'Reader', scope: `/subscriptions/${SUB}` },
    { principalId: ADMIN, role: 'Owner', scope: `/subscriptions/${SUB}`, principalType: 'User' },
  ],
  registries: [
    {
      id: REGISTRY,
      location: 'westeurope',
      sku: 'Premium',
      privateEndpoints: [PE],
      replicas: [{ location: 'northeurope', creating: { createdBy: APP } }],
    },
  ],
};

let sandbox: TestSandbox;
let recorded: RecordedResponse[];
let app: ContainerRegistryManagementClient;

beforeAll(async () => {
  sandbox = await startTestSandbox(seed, { recreateBlockSeconds: 60 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  const recorder = responseRecorder();
  recorded = recorder.responses;
  app = registryClient(sandbox, new SandboxTokenCredential(sandbox.url, APP), SUB, {
    recorder: recorder.policy,
  });
});

const advanceClock = (seconds: number): Promise<unknown> =>
  sandbox.admin.call('POST', '/clock', { advanceSeconds: seconds });

describe('stuck replica on a private-endpoint registry', () => {
  it('keeps a seeded create by an identity without the private-link permission Creating, whatever time passes', async () => {
    await advanceClock(FOREVER_SECONDS);

    const replica = await app.replications.get(RG, 'crsecure01', 'northeurope');

    expect(replica).toMatchObject({
      provisioningState: 'Creating',
      status: { displayStatus: 'Provisioning' },
    });
    expect(replica.systemData?.createdBy).toBe(APP);
  });

  it('keeps a live create by that identity Creating at its Azure-AsyncOperation URL and on GET', async () => {
    const poller = app.replications.create(
      RG,
      'crsecure01',
      'uksouth',
      { location: 'uksouth' },
      FAST_POLLING,
    );
    await poller.submitted();
    await advanceClock(FOREVER_SECONDS);

    const statusUrl = recorded.find((r) => r.method === 'PUT')?.headers['azure-asyncoperation'];
    const token = (await sandbox.admin.call<{ accessToken: string }>('POST', '/token', { objectId: APP }))
      .body.accessToken;
    const status = await fetch(statusUrl!, { headers: { authorization: `Bearer ${token}` } });
    const replica = await app.replications.get(RG, 'crsecure01', 'uksouth');

    expect(statusUrl).toContain(`${REGISTRY}/replications/uksouth/operationStatuses/`);
    expect(await status.json()).toEqual({ status: 'Creating' });
    expect(replica).toMatchObject({
      provisioningState: 'Creating',
      status: { displayStatus: 'Provisioning' },
    });
    const state = await sandbox.admin.call<{
      registries: { replicas: { name: string; operation?: { status: string; neverCompletes: boolean } }[] }[];
    }>('GET', `/state?subscriptionId=${SUB}`);
    const stuck = state.body.registries[0]?.replicas.find((r) => r.name === 'uksouth');
    expect(stuck?.operation).toMatchObject({ status: 'InProgress', neverCompletes: true });
  });

  it('cures the stuck replica: delete it, grant the permission through Microsoft.Authorization, create again', async () => {
    await app.replications.delete(RG, 'crsecure01', 'uksouth', FAST_POLLING);
    await expect(app.replications.get(RG, 'crsecure01', 'uksouth')).rejects.toMatchObject({
      statusCode: 404,
    });

    const admin = authorizationClient(sandbox, new SandboxTokenCredential(sandbox.url, ADMIN), SUB);
    const roleName = randomUUID();
    const role = await admin.roleDefinitions.createOrUpdate(`/subscriptions/${SUB}`, roleName, {
      roleName: 'Private Link Proxy Writer',
      description: 'Lets ACR replicas join private endpoints.',
      permissions: [{ actions: [PRIVATE_LINK_PROXY_WRITE] }],
      assignableScopes: [`/subscriptions/${SUB}`],
    });
    await admin.roleAssignments.create(NETWORK_RG, randomUUID(), {
      roleDefinitionId: role.id!,
      principalId: APP,
      principalType: 'ServicePrincipal',
    });
    await advanceClock(60);

    const recreated = await app.replications.create(
      RG,
      'crsecure01',
      'uksouth',
      { location: 'uksouth' },
      FAST_POLLING,
    );

    expect(recreated.provisioningState).toBe('Succeeded');
    expect(['Syncing', 'Ready']).toContain(recreated.status?.displayStatus);
  });

  it('lets an identity that holds the permission create replicas of the registry normally', async () => {
    const owner = registryClient(sandbox, new SandboxTokenCredential(sandbox.url, ADMIN), SUB);

    const replica = await owner.replications.create(
      RG,
      'crsecure01',
      'swedencentral',
      { location: 'swedencentral' },
      FAST_POLLING,
    );

    expect(replica).toMatchObject({
      provisioningState: 'Succeeded',
      systemData: { createdBy: ADMIN, createdByType: 'User' },
    });
  });
});
