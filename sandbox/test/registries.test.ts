// Registries, locations and ARM's request rules, driven through the real SDK clients over HTTPS.
import type { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { RestError } from '@azure/core-rest-pipeline';
import type { SeedDocument } from '../types';
import { validatePagedList, validateResponse } from './support/armSpec';
import type { RecordedResponse, TestSandbox } from '../testing';
import {
  SandboxTokenCredential,
  registryClient,
  responseRecorder,
  startTestSandbox,
  subscriptionClient,
} from '../testing';
import { conformanceProblems } from './support/conformance';

const SUB = '1a000000-0000-4000-8000-000000000001';
const OPERATOR = '1a000000-0000-4000-8000-0000000000a1';
const OUTSIDER = '1a000000-0000-4000-8000-0000000000b2';
const PE = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-secure`;
const registryIdOf = (group: string, name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/${group}/providers/Microsoft.ContainerRegistry/registries/${name}`;

const seed: SeedDocument = {
  principals: [
    { objectId: OPERATOR, appId: '1a000000-0000-4000-8000-0000000000a2', displayName: 'operator' },
    { objectId: OUTSIDER, appId: '1a000000-0000-4000-8000-0000000000b3', displayName: 'outsider' },
  ],
  subscriptions: [
    { subscriptionId: SUB, locations: ['westeurope', 'northeurope', 'eastus'], resourceGroups: ['rg-empty'] },
  ],
  roleAssignments: [{ principalId: OPERATOR, role: 'Contributor', scope: `/subscriptions/${SUB}` }],
  registries: [
    { id: registryIdOf('rg-a', 'cralpha01'), location: 'westeurope', sku: 'Premium', tags: { team: 'a' } },
    { id: registryIdOf('rg-a', 'crbravo01'), location: 'westeurope', sku: 'Standard' },
    { id: registryIdOf('rg-a', 'crcharlie1'), location: 'northeurope', sku: 'Basic' },
    { id: registryIdOf('rg-b', 'crdelta01'), location: 'eastus', sku: 'Premium', privateEndpoints: [PE] },
    { id: registryIdOf('rg-b', 'crecho01'), location: 'eastus', sku: 'Premium', sizeGiB: 12.5 },
  ],
};

let sandbox: TestSandbox;
let recorded: RecordedResponse[];
let client: ContainerRegistryManagementClient;

beforeAll(async () => {
  sandbox = await startTestSandbox(seed, { pageSize: 2 });
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

describe('registries through @azure/arm-containerregistry', () => {
  it('lists a subscription’s registries over several pages linked by nextLink, each page conforming to the spec', async () => {
    const registries = await collect(client.registries.list());

    expect(registries.map((r) => r.name).sort()).toEqual([
      'cralpha01',
      'crbravo01',
      'crcharlie1',
      'crdelta01',
      'crecho01',
    ]);
    const pages = recorded.filter((r) => r.method === 'GET').map((r) => r.body);
    expect(pages).toHaveLength(3);
    expect(validatePagedList('Registries_List', pages)).toEqual([]);
  });

  it('lists only the registries of the resource group asked for', async () => {
    const registries = await collect(client.registries.listByResourceGroup('rg-b'));

    expect(registries.map((r) => r.name).sort()).toEqual(['crdelta01', 'crecho01']);
    expect(
      validatePagedList(
        'Registries_ListByResourceGroup',
        recorded.map((r) => r.body),
      ),
    ).toEqual([]);
  });

  it('gets a registry with SKU, login server and an approved connection for each private endpoint', async () => {
    const registry = await client.registries.get('rg-b', 'crdelta01');

    expect(registry).toMatchObject({
      location: 'eastus',
      sku: { name: 'Premium', tier: 'Premium' },
      loginServer: 'crdelta01.azurecr.io',
    });
    expect(registry.privateEndpointConnections).toHaveLength(1);
    expect(registry.privateEndpointConnections?.[0]).toMatchObject({
      privateEndpoint: { id: PE },
      privateLinkServiceConnectionState: { status: 'Approved' },
    });
    const connections = await collect(client.privateEndpointConnections.list('rg-b', 'crdelta01'));
    expect(connections.map((c) => c.privateEndpoint?.id)).toEqual([PE]);
    expect(conformanceProblems(recorded)).toEqual([]);
  });

  it('gets a private endpoint connection by the name the list shows, and answers 404 for an unknown one', async () => {
    const [listed] = await collect(client.privateEndpointConnections.list('rg-b', 'crdelta01'));
    const connection = await client.privateEndpointConnections.get('rg-b', 'crdelta01', listed?.name ?? '');

    expect(connection).toEqual(listed);
    await expect(
      client.privateEndpointConnections.get('rg-b', 'crdelta01', 'missingConnection'),
    ).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    expect(conformanceProblems(recorded)).toEqual([]);
  });

  it('reports a registry’s quota usages: its content size in bytes and its geo-replications', async () => {
    const usages = await client.registries.listUsages('rg-b', 'crecho01');

    expect(usages.value).toEqual([
      { name: 'Size', limit: 500 * 1024 ** 3, currentValue: 12.5 * 1024 ** 3, unit: 'Bytes' },
      { name: 'Webhooks', limit: 500, currentValue: 0, unit: 'Count' },
      { name: 'Geo-replications', limit: -1, currentValue: 1, unit: 'Count' },
    ]);
    expect(conformanceProblems(recorded)).toEqual([]);
  });

  it('refuses quota usages to a principal without the listUsages action', async () => {
    const outsider = registryClient(sandbox, new SandboxTokenCredential(sandbox.url, OUTSIDER), SUB);

    const error = await outsider.registries.listUsages('rg-b', 'crecho01').catch((e: unknown) => e);

    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect((error as RestError).message).toContain(
      `'Microsoft.ContainerRegistry/registries/listUsages/read' over scope '${registryIdOf('rg-b', 'crecho01')}'`,
    );
  });

  it('creates a registry synchronously and records the caller in systemData', async () => {
    const created = await client.registries.create('rg-empty', 'crnewone01', {
      location: 'northeurope',
      sku: { name: 'Premium' },
      tags: { purpose: 'test' },
    });

    expect(created).toMatchObject({
      name: 'crnewone01',
      provisioningState: 'Succeeded',
      tags: { purpose: 'test' },
    });
    expect(created.systemData).toMatchObject({ createdBy: OPERATOR, createdByType: 'Application' });
    const replicas = await collect(client.replications.list('rg-empty', 'crnewone01'));
    expect(replicas.map((r) => r.name)).toEqual(['northeurope']);
    expect(conformanceProblems(recorded)).toEqual([]);
  });

  it('refuses a registry in a location the subscription is not offered', async () => {
    const error = await client.registries
      .create('rg-empty', 'crnowhere01', { location: 'japaneast', sku: { name: 'Premium' } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'LocationNotAvailableForResourceType' });
  });

  it('answers a missing registry with ARM’s 404 ResourceNotFound', async () => {
    const error = await client.registries.get('rg-a', 'crmissing01').catch((e: unknown) => e);

    expect(error).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    expect(validateResponse('Registries_Get', 404, recorded[0]?.body)).toEqual([]);
  });

  it('refuses a principal without read permission with 403 AuthorizationFailed naming action and scope', async () => {
    const outsider = registryClient(sandbox, new SandboxTokenCredential(sandbox.url, OUTSIDER), SUB);

    const error = await outsider.registries.get('rg-a', 'cralpha01').catch((e: unknown) => e);

    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect((error as RestError).message).toContain(
      `'Microsoft.ContainerRegistry/registries/read' over scope '${registryIdOf('rg-a', 'cralpha01')}'`,
    );
  });
});

describe('ARM request rules', () => {
  const registryUrl = (): string =>
    `${sandbox.url}${registryIdOf('rg-a', 'cralpha01')}?api-version=2025-11-01`;
  const tokenFor = async (objectId: string, resource?: string): Promise<string> =>
    (
      await sandbox.admin.call<{ accessToken: string }>('POST', '/token', {
        objectId,
        ...(resource ? { resource } : {}),
      })
    ).body.accessToken;

  it('answers a request without a token with 401 AuthenticationFailed and a Bearer challenge', async () => {
    const response = await fetch(registryUrl());

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Bearer authorization_uri="https:\/\/login\.microsoftonline\.com\//,
    );
    expect(await response.json()).toMatchObject({ error: { code: 'AuthenticationFailed' } });
  });

  it('answers a forged or foreign-audience token with 401 and the matching ARM code', async () => {
    const good = await tokenFor(OPERATOR);
    const forged = `${good.slice(0, good.lastIndexOf('.'))}.c2lnbmF0dXJl`;
    const storageToken = await tokenFor(OPERATOR, 'https://storage.azure.com/');

    const forgedResponse = await fetch(registryUrl(), { headers: { authorization: `Bearer ${forged}` } });
    const audienceResponse = await fetch(registryUrl(), {
      headers: { authorization: `Bearer ${storageToken}` },
    });

    expect(forgedResponse.status).toBe(401);
    expect(await forgedResponse.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
    expect(audienceResponse.status).toBe(401);
    expect(await audienceResponse.json()).toMatchObject({
      error: { code: 'InvalidAuthenticationTokenAudience' },
    });
  });

  it('requires api-version, rejects unknown ones and unknown paths, and tags every answer with request ids', async () => {
    const headers = {
      authorization: `Bearer ${await tokenFor(OPERATOR)}`,
      'x-ms-correlation-request-id': 'corr-123',
    };

    const missing = await fetch(registryUrl().replace(/\?.*$/, ''), { headers });
    const unknownVersion = await fetch(registryUrl().replace('2025-11-01', '2024-01-01'), { headers });
    const unknownPath = await fetch(
      `${sandbox.url}/subscriptions/${SUB}/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01`,
      { headers },
    );

    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: 'MissingApiVersionParameter' } });
    expect(unknownVersion.status).toBe(400);
    expect(await unknownVersion.json()).toMatchObject({ error: { code: 'NoRegisteredProviderFound' } });
    expect(unknownPath.status).toBe(404);
    for (const response of [missing, unknownVersion, unknownPath]) {
      expect(response.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('x-ms-correlation-request-id')).toBe('corr-123');
    }
  });
});

describe('locations through @azure/arm-resources-subscriptions', () => {
  it('lists the subscription’s regions with ARM’s display names, shaped like the official example', async () => {
    const recorder = responseRecorder();
    const subscriptions = subscriptionClient(sandbox, new SandboxTokenCredential(sandbox.url, OPERATOR), {
      recorder: recorder.policy,
    });

    const locations = await collect(subscriptions.subscriptions.listLocations(SUB));

    expect(locations.map((l) => [l.name, l.displayName, l.regionalDisplayName])).toEqual([
      ['westeurope', 'West Europe', '(Europe) West Europe'],
      ['northeurope', 'North Europe', '(Europe) North Europe'],
      ['eastus', 'East US', '(US) East US'],
    ]);
    expect(locations[0]?.metadata?.pairedRegion?.[0]?.name).toBe('northeurope');
    expect(conformanceProblems(recorder.responses)).toEqual([]);
    const subscription = await subscriptions.subscriptions.get(SUB);
    expect(subscription).toMatchObject({ subscriptionId: SUB, state: 'Enabled' });
  });

  // Listing locations is its own action, Microsoft.Resources/subscriptions/locations/read ("Gets the list
  // of locations supported": Azure permissions for Management and governance, Microsoft.Resources);
  // reading the subscription, Microsoft.Resources/subscriptions/read, does not include it.
  it('lists locations for subscriptions/locations/read alone, and refuses subscriptions/read alone', async () => {
    const [lister, reader] = ['1a000000-0000-4000-8000-0000000000c1', '1a000000-0000-4000-8000-0000000000d1'];
    const role = (roleName: string, action: string): SeedDocument['roleDefinitions'] => [
      { roleName, permissions: [{ actions: [action] }], assignableScopes: [`/subscriptions/${SUB}`] },
    ];
    const seeded = await sandbox.admin.call('POST', '/seed', {
      principals: [
        { objectId: lister, appId: lister, displayName: 'location lister' },
        { objectId: reader, appId: reader, displayName: 'subscription reader' },
      ],
      roleDefinitions: [
        ...(role('Location lister', 'Microsoft.Resources/subscriptions/locations/read') ?? []),
        ...(role('Subscription reader', 'Microsoft.Resources/subscriptions/read') ?? []),
      ],
      roleAssignments: [
        { principalId: lister, role: 'Location lister', scope: `/subscriptions/${SUB}` },
        { principalId: reader, role: 'Subscription reader', scope: `/subscriptions/${SUB}` },
      ],
    } satisfies SeedDocument);
    expect(seeded.status).toBe(200);
    const clientOf = (objectId: string) =>
      subscriptionClient(sandbox, new SandboxTokenCredential(sandbox.url, objectId)).subscriptions;

    expect((await collect(clientOf(lister).listLocations(SUB))).map((l) => l.name)).toHaveLength(3);
    const refused = await collect(clientOf(reader).listLocations(SUB)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RestError);
    expect(refused).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    expect((refused as RestError).message).toContain("'Microsoft.Resources/subscriptions/locations/read'");
    await expect(clientOf(reader).get(SUB)).resolves.toMatchObject({ subscriptionId: SUB });
  });
});
