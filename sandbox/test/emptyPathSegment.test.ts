// A path with an empty segment reaches no resource provider: ARM's gateway answers 400
// InvalidApiVersionParameter with its own (Microsoft.Resources) versions and `x-ms-failure-cause:
// gateway`, as reported for an empty resource group name (Azure/azure-cli#28038) and other malformed
// URIs (Azure/azure-cli#22684). That is what @azure/arm-authorization's permissions.listForResource
// sends for a top-level resource with an empty parent path ("Microsoft.Network//privateEndpoints").
// A leading "//" still reaches ARM's routes: Microsoft's own REST examples send one
// (e.g. the Azure Backup REST docs, "DELETE https://management.azure.com//Subscriptions/...").
import { RESOURCE_MANAGER_API_VERSIONS } from '../apiVersions';
import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { startTestSandbox } from '../testing';
import { STILL_CLOCK, armFetch } from './armFetch';

const SUB = '42000000-0000-4000-8000-000000000001';
const APP = '42000000-0000-4000-8000-0000000000a1';
const V = 'api-version=2022-04-01';

const seed: SeedDocument = {
  principals: [{ objectId: APP, appId: APP, displayName: 'app' }],
  subscriptions: [{ subscriptionId: SUB, locations: ['westeurope'], resourceGroups: ['net'] }],
  roleAssignments: [{ principalId: APP, role: 'Reader', scope: `/subscriptions/${SUB}` }],
};

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox(seed, { speed: STILL_CLOCK });
});
afterAll(() => sandbox.close());

describe('paths with an empty segment', () => {
  test('"Microsoft.Network//privateEndpoints" is 400 InvalidApiVersionParameter from the gateway', async () => {
    const answer = await armFetch(
      sandbox,
      APP,
      'GET',
      `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network//privateEndpoints/pe1/providers/Microsoft.Authorization/permissions?${V}`,
    );

    expect(answer.status).toBe(400);
    expect(answer.headers.get('x-ms-failure-cause')).toBe('gateway');
    expect(answer.body).toEqual({
      error: {
        code: 'InvalidApiVersionParameter',
        message: `The api-version '2022-04-01' is invalid. The supported versions are '${RESOURCE_MANAGER_API_VERSIONS.join(',')}'.`,
      },
    });
  });

  test('an empty resource group name is refused the same way', async () => {
    const answer = await armFetch(
      sandbox,
      APP,
      'GET',
      `/subscriptions/${SUB}/resourceGroups//providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`,
    );
    expect([answer.status, (answer.body as { error: { code: string } }).error.code]).toEqual([
      400,
      'InvalidApiVersionParameter',
    ]);
  });

  test('the same request without the empty segment is answered', async () => {
    const answer = await armFetch(
      sandbox,
      APP,
      'GET',
      `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1/providers/Microsoft.Authorization/permissions?${V}`,
    );
    expect(answer.status).toBe(200);
  });

  test('a leading "//" is answered as the path without it', async () => {
    const answer = await armFetch(
      sandbox,
      APP,
      'GET',
      `//subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions?$filter=${encodeURIComponent("roleName eq 'Reader'")}&${V}`,
    );
    expect(answer.status).toBe(200);
  });
});
