// Microsoft.ContainerRegistry answers every api-version ARM still registers for it, and refuses others
// as ARM does:
// - accepted: the versions published under specification/containerregistry/resource-manager/
//   Microsoft.ContainerRegistry/Registry/{stable,preview}/ in Azure/azure-rest-api-specs that ARM still
//   lists in its api-supported-versions header (Azure/azure-cli acr/tests/latest/recordings/
//   test_acr_create_replication.yaml);
// - refused: 400 NoRegisteredProviderFound, "No registered resource provider found for location ... and
//   API version ... for type ...", with the supported versions and locations (Azure/acr#70,
//   JulianHayward/Azure-MG-Sub-Governance-Reporting#266). ARM's own routes (subscriptions) answer
//   InvalidApiVersionParameter instead (Azure/azure-cli#10641).
import { CONTAINER_REGISTRY_API_VERSIONS } from '../apiVersions';
import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { startTestSandbox } from '../testing';
import { STILL_CLOCK, armFetch } from './armFetch';

const SUB = '41000000-0000-4000-8000-000000000001';
const READER = '41000000-0000-4000-8000-0000000000a1';
const REGISTRY = `/subscriptions/${SUB}/resourceGroups/rg-versions/providers/Microsoft.ContainerRegistry/registries/crversions01`;

const seed: SeedDocument = {
  principals: [{ objectId: READER, appId: READER, displayName: 'reader' }],
  subscriptions: [{ subscriptionId: SUB, locations: ['westeurope', 'eastus'] }],
  roleAssignments: [{ principalId: READER, role: 'Reader', scope: `/subscriptions/${SUB}` }],
  registries: [{ id: REGISTRY, location: 'westeurope', sku: 'Premium', replicas: [{ location: 'eastus' }] }],
};

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox(seed, { speed: STILL_CLOCK });
});
afterAll(() => sandbox.close());

describe('api-versions of Microsoft.ContainerRegistry', () => {
  test('stable and preview versions published for the registry API are all accepted, the oldest to the newest', async () => {
    expect(CONTAINER_REGISTRY_API_VERSIONS).toEqual(
      expect.arrayContaining([
        '2021-09-01',
        '2022-12-01',
        '2023-07-01',
        '2025-04-01',
        '2025-11-01',
        '2025-06-01-preview',
      ]),
    );
    for (const version of CONTAINER_REGISTRY_API_VERSIONS) {
      const answer = await armFetch(
        sandbox,
        READER,
        'GET',
        `${REGISTRY}/replications/eastus?api-version=${version}`,
      );
      expect([version, answer.status]).toEqual([version, 200]);
    }
  });

  test('an unknown version is 400 NoRegisteredProviderFound naming the location, the type, and what is supported', async () => {
    const answer = await armFetch(
      sandbox,
      READER,
      'GET',
      `${REGISTRY}/replications/eastus?api-version=2024-01-01`,
    );

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        code: 'NoRegisteredProviderFound',
        message: `No registered resource provider found for location 'westeurope' and API version '2024-01-01' for type 'registries/replications'. The supported api-versions are '${CONTAINER_REGISTRY_API_VERSIONS.join(', ')}'. The supported locations are 'westeurope, eastus'.`,
      },
    });
  });

  test('a PUT is routed by the location in its body', async () => {
    const answer = await armFetch(
      sandbox,
      READER,
      'PUT',
      `${REGISTRY}/replications/eastus2?api-version=2019-05-01`,
      {
        location: 'eastus2',
      },
    );
    expect(answer.body).toMatchObject({
      error: {
        code: 'NoRegisteredProviderFound',
        message: expect.stringContaining("for location 'eastus2'") as unknown,
      },
    });
  });

  test("ARM's own routes answer an unknown version with InvalidApiVersionParameter", async () => {
    const answer = await armFetch(
      sandbox,
      READER,
      'GET',
      `/subscriptions/${SUB}/locations?api-version=2099-01-01`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'InvalidApiVersionParameter' } });
  });
});
