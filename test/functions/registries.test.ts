import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';

import { listRegistries, listReplicas } from '../../src/functions/registries';
import { withProblems } from '../../src/http/handler';
import { seedFleet } from '../support/appFleet';
import type { TestFleet } from '../support/appFleet';

// The handlers run in this process against the launcher's ARM sandbox, with the app's production
// credential (DefaultAzureCredential through the sandbox's managed-identity endpoint).

let fleet: TestFleet;

beforeAll(async () => {
  fleet = await seedFleet((f) => [
    {
      id: f.registryId('rg-apps', 'crapps01'),
      location: 'westeurope',
      sku: 'Premium',
      replicas: [{ location: 'northeurope' }, { location: 'eastus', failed: true }],
    },
    {
      id: f.registryId('rg-apps', 'crsecure01'),
      location: 'eastus',
      sku: 'Premium',
      privateEndpoints: [
        `/subscriptions/${f.subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-secure`,
      ],
    },
    { id: f.registryId('rg-other', 'crbasic01'), location: 'westeurope', sku: 'Standard' },
  ]);
});

function get(url: string, params: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({ method: 'GET', url: `http://localhost${url}`, params });
}

type Row = Record<string, unknown> & { name: string };
interface Body {
  value: Row[];
  errors?: { field: string }[];
  type?: string;
}

async function call(
  handler: typeof listRegistries,
  request: HttpRequest,
): Promise<{ status: number; body: Body }> {
  const response = (await withProblems(handler)(request, new InvocationContext())) as HttpResponseInit;
  const body = (response.jsonBody ?? JSON.parse(response.body as string)) as Body;
  return { status: response.status ?? 200, body };
}

describe('GET /api/registries', () => {
  test('lists the registries of a subscription in scope with their replica health', async () => {
    process.env.REGISTRY_SCOPE = fleet.subscriptionId;

    const { status, body } = await call(listRegistries, get('/api/registries'));

    expect(status).toBe(200);
    expect(body.value.map((r) => r.name)).toEqual(['crapps01', 'crsecure01', 'crbasic01']);
    expect(body.value[0]).toMatchObject({
      homeRegion: 'westeurope',
      sku: 'Premium',
      privateEndpoints: false,
      replicas: { total: 3, succeeded: 2, failed: 1, inProgress: 0 },
    });
    expect(body.value[1]).toMatchObject({ privateEndpoints: true, replicas: { total: 1 } });
    expect(body.value[2]).toMatchObject({ sku: 'Standard', replicas: { total: 0 } });
  });

  test('a scope of one resource group lists only its registries', async () => {
    process.env.REGISTRY_SCOPE = `/subscriptions/${fleet.subscriptionId}/resourceGroups/rg-other`;
    const { body } = await call(listRegistries, get('/api/registries'));
    expect(body.value.map((r) => r.name)).toEqual(['crbasic01']);
  });

  test('a malformed scope setting is reported as a problem, not a crash', async () => {
    process.env.REGISTRY_SCOPE = 'not-a-scope';
    const { status, body } = await call(listRegistries, get('/api/registries'));
    expect(status).toBe(400);
    expect(body.errors?.[0]?.field).toBe('REGISTRY_SCOPE');
  });
});

describe('GET /api/registries/{subscriptionId}/{resourceGroup}/{registry}/replicas', () => {
  beforeEach(() => {
    process.env.REGISTRY_SCOPE = fleet.subscriptionId;
  });

  const params = (registry: string, resourceGroup = 'rg-apps'): Record<string, string> => ({
    subscriptionId: fleet.subscriptionId,
    resourceGroup,
    registry,
  });

  test('lists live replica states, marking the home replica', async () => {
    const { status, body } = await call(
      listReplicas,
      get('/api/registries/x/rg-apps/crapps01/replicas', params('crapps01')),
    );

    expect(status).toBe(200);
    const byName = Object.fromEntries(body.value.map((r) => [r.name, r]));
    expect(byName.westeurope).toMatchObject({ home: true, provisioningState: 'Succeeded' });
    expect(byName.northeurope).toMatchObject({
      home: false,
      provisioningState: 'Succeeded',
      regionEndpointEnabled: true,
    });
    expect(byName.eastus).toMatchObject({ provisioningState: 'Failed' });
  });

  test('an unknown registry is a 404 problem', async () => {
    const { status, body } = await call(listReplicas, get('/', params('crmissing01')));
    expect(status).toBe(404);
    expect(body.type).toBe('urn:acr-replica-guard:problem:registry-not-found');
  });

  test('a malformed registry name is a 400 naming the field', async () => {
    const { status, body } = await call(listReplicas, get('/', params('no')));
    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ field: 'registryName' })]);
  });

  test('a registry outside the configured scope is refused', async () => {
    process.env.REGISTRY_SCOPE = `/subscriptions/${fleet.subscriptionId}/resourceGroups/rg-other`;
    const { status } = await call(listReplicas, get('/', params('crapps01')));
    expect(status).toBe(403);
  });
});
