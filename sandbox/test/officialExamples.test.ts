// Every official example of the operations the sandbox serves, replayed over real HTTPS with a real
// bearer token: the sandbox is seeded with what the example's request refers to, must answer with a
// status the example documents, and its body must conform to the official definition.
import type { OfficialExample } from './support/armSpec';
import { officialExamples, validateResponse } from './support/armSpec';
import type { TestSandbox } from '../testing';
import { SandboxTokenCredential, startTestSandbox } from '../testing';
import type { SeedDocument, SeedRegistry } from '../types';

const TENANT = '00000000-0000-0000-0000-00000000a11c';
const CALLER = 'cccccccc-0000-4000-8000-0000000000c1';
const LOCATIONS = ['westus', 'eastus', 'westeurope'];

/** Operations whose examples this file replays: all the sandbox serves that have official examples. */
const SERVED = new Set([
  'Registries_Get',
  'Registries_List',
  'Registries_ListByResourceGroup',
  'Registries_Create',
  'PrivateEndpointConnections_List',
  'PrivateEndpointConnections_Get',
  'Replications_Get',
  'Replications_List',
  'Replications_Create',
  'Replications_Update',
  'Replications_Delete',
  'RoleDefinitions_CreateOrUpdate',
  'RoleDefinitions_Get',
  'RoleDefinitions_GetById',
  'RoleAssignments_Create',
  'RoleAssignments_ListForScope',
  'Permissions_ListForResourceGroup',
  'Permissions_ListForResource',
  'Subscriptions_ListLocations',
]);

// The role-definition examples (PutRoleDefinition.json, GetRoleDefinitionById.json) are written with
// placeholders: scope "scope", role id "roleDefinitionId" (a GUID in ARM) and, for the PUT, the role
// under a `body.roleDefinition` parameter while the declared `roleDefinition` parameter is `{}`. They
// are replayed with the example's own content made real: the scope is the example's assignable scope
// (/subscriptions/subId), the id a GUID, and the role's fields sent as the spec's `properties`.
const EXAMPLE_SUBSCRIPTION_SCOPE = '/subscriptions/subId';
const EXAMPLE_ROLE_GUID = 'dddddddd-0000-4000-8000-0000000000e1';
const EXAMPLE_ROLE_ID = `${EXAMPLE_SUBSCRIPTION_SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${EXAMPLE_ROLE_GUID}`;
const EXAMPLE_ROLE = {
  roleName: 'Role name',
  description: 'Role description',
  assignableScopes: [EXAMPLE_SUBSCRIPTION_SCOPE],
  permissions: [{ actions: ['action'], notActions: [], dataActions: ['dataAction'], notDataActions: [] }],
};

// Principals and roles the role-assignment examples refer to.
const ASSIGNEE = 'ce2ce14e-85d7-4629-bdbc-454d0519d987';
const ASSIGNED_ROLE_GUID = '0b5fe924-9a61-425c-96af-cfe6e287ca2d';
const ASSIGNMENT_SUBSCRIPTION = 'a925f2f7-5c63-4b7b-8799-25a5f97bc3b2';

interface Replay {
  url: string;
  body?: unknown;
}

/** The request to send: the example's own, except for the placeholders explained above. */
function replayOf(example: OfficialExample): Replay {
  const apiVersion = new URL(example.url, 'https://arm').searchParams.get('api-version') ?? '';
  switch (example.operationId) {
    case 'RoleDefinitions_CreateOrUpdate':
      return {
        url: `${EXAMPLE_ROLE_ID}?api-version=${apiVersion}`,
        body: { properties: EXAMPLE_ROLE },
      };
    case 'RoleDefinitions_GetById':
      return { url: `${EXAMPLE_ROLE_ID}?api-version=${apiVersion}` };
    case 'PrivateEndpointConnections_Get':
      // The sandbox names a connection after its endpoint, as ACR does ("<endpoint>.<hash>"), so the
      // example's "myConnection" is replaced by the name the list shows (see connectionUrl).
      return { url: example.url };
    default:
      return {
        url: example.url,
        ...(example.requestBody === undefined ? {} : { body: example.requestBody }),
      };
  }
}

function subscriptionOf(url: string): string | undefined {
  return /^\/subscriptions\/([^/?]+)/i.exec(url)?.[1];
}

function resourceGroupOf(url: string): string | undefined {
  return /\/resourceGroups\/([^/?]+)/i.exec(url)?.[1];
}

/** The private endpoint id an example's response shows, if any. */
function examplePrivateEndpoint(example: OfficialExample): string | undefined {
  const body = example.responses['200']?.body as
    | {
        properties?: { privateEndpoint?: { id?: string } };
        value?: { properties?: { privateEndpoint?: { id?: string } } }[];
      }
    | undefined;
  return body?.properties?.privateEndpoint?.id ?? body?.value?.[0]?.properties?.privateEndpoint?.id;
}

const REPLICA_MUST_EXIST = new Set(['Replications_Get', 'Replications_Update', 'Replications_Delete']);

/** The example's registry (Premium, so replicas are allowed), unless the example creates it. */
function registryFor(example: OfficialExample): SeedRegistry[] {
  const { subscriptionId, resourceGroupName, registryName, replicationName } = example.parameters as Record<
    string,
    string | undefined
  >;
  if (registryName === undefined || example.operationId === 'Registries_Create') return [];
  const privateEndpoint = examplePrivateEndpoint(example);
  return [
    {
      id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/${registryName}`,
      location: 'westus',
      sku: 'Premium',
      ...(privateEndpoint === undefined ? {} : { privateEndpoints: [privateEndpoint] }),
      replicas:
        replicationName !== undefined && REPLICA_MUST_EXIST.has(example.operationId)
          ? [{ location: 'eastus', name: replicationName }]
          : [],
    },
  ];
}

/** Everything the example's request refers to, and the caller as Owner of its subscription. */
function seedFor(example: OfficialExample, replay: Replay): SeedDocument {
  const subscriptionId = subscriptionOf(replay.url) ?? '';
  const resourceGroup = resourceGroupOf(replay.url);
  return {
    tenantId: TENANT,
    principals: [
      { objectId: CALLER, appId: CALLER, displayName: 'Example caller', type: 'User' },
      { objectId: ASSIGNEE, appId: ASSIGNEE, displayName: 'Example assignee', type: 'User' },
    ],
    subscriptions: [
      {
        subscriptionId,
        locations: LOCATIONS,
        ...(resourceGroup === undefined ? {} : { resourceGroups: [resourceGroup] }),
      },
    ],
    roleDefinitions: [
      ...(subscriptionId.toLowerCase() === ASSIGNMENT_SUBSCRIPTION
        ? [
            {
              name: ASSIGNED_ROLE_GUID,
              roleName: 'Example assigned role',
              permissions: [{ actions: ['Microsoft.ContainerRegistry/registries/read'] }],
              assignableScopes: [`/subscriptions/${ASSIGNMENT_SUBSCRIPTION}`],
            },
          ]
        : []),
      ...(example.operationId === 'RoleDefinitions_GetById'
        ? [{ name: EXAMPLE_ROLE_GUID, type: 'CustomRole' as const, ...EXAMPLE_ROLE }]
        : []),
    ],
    roleAssignments: [{ principalId: CALLER, role: 'Owner', scope: `/subscriptions/${subscriptionId}` }],
    registries: registryFor(example),
  };
}

/** Success statuses the example documents. */
function documentedSuccesses(example: OfficialExample): number[] {
  return Object.keys(example.responses)
    .map(Number)
    .filter((status) => status >= 200 && status < 300);
}

const examples = officialExamples();
const replayed = examples.filter((example) => SERVED.has(example.operationId));

let sandbox: TestSandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startTestSandbox({ tenantId: TENANT }, { tenantId: TENANT });
});

afterAll(async () => {
  await sandbox.close();
});

async function seed(document: SeedDocument): Promise<void> {
  expect((await sandbox.admin.call('POST', '/reset', { empty: true })).status).toBe(204);
  const seeded = await sandbox.admin.call('POST', '/seed', document);
  expect(seeded.status === 200 ? [] : [seeded.body]).toEqual([]);
  token = (await new SandboxTokenCredential(sandbox.url, CALLER).getToken()).token;
}

async function send(method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sandbox.url}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** The URL of the seeded connection: the example's, with the name the sandbox gave the connection. */
async function connectionUrl(example: OfficialExample): Promise<string> {
  const [path = '', query = ''] = example.url.split('?');
  const collection = path.slice(0, path.lastIndexOf('/'));
  const list = await send('GET', `${collection}?${query}`);
  const name = (list.body as { value?: { name?: string }[] }).value?.[0]?.name ?? '';
  return `${collection}/${encodeURIComponent(name)}?${query}`;
}

describe('official examples replayed against the sandbox', () => {
  it('covers every operation the sandbox serves that has an example, and nothing is left out', () => {
    const operations = new Set(examples.map((example) => example.operationId));
    const notReplayed = examples.filter((example) => !SERVED.has(example.operationId));
    expect(notReplayed.map((example) => `${example.operationId}: ${example.title}`)).toEqual([]);
    expect(replayed.length).toBeGreaterThanOrEqual(19);
    // Served operations without an example in the fixtures, so without a replay here.
    expect([...SERVED].filter((operation) => !operations.has(operation)).sort()).toEqual([
      'Registries_ListByResourceGroup',
      'RoleDefinitions_Get',
    ]);
  });

  it('replays the role-definition examples with real values only where they hold placeholders', () => {
    const byOperation = (operationId: string): OfficialExample | undefined =>
      replayed.find((example) => example.operationId === operationId);
    const put = byOperation('RoleDefinitions_CreateOrUpdate');
    const getById = byOperation('RoleDefinitions_GetById');

    expect(put?.parameters).toMatchObject({ scope: 'scope', roleDefinitionId: 'roleDefinitionId' });
    expect(put?.requestBody).toEqual({});
    expect(put?.parameters.body).toMatchObject({ roleDefinition: { roleName: EXAMPLE_ROLE.roleName } });
    expect(getById?.url).toBe('/roleDefinitionId?api-version=2022-04-01');
    // Every other example goes out exactly as written (the connection name aside, see connectionUrl).
    const rewritten = replayed.filter((example) => replayOf(example).url !== example.url);
    expect(rewritten.map((example) => example.operationId).sort()).toEqual([
      'RoleDefinitions_CreateOrUpdate',
      'RoleDefinitions_GetById',
    ]);
  });

  test.each(replayed.map((example) => [`${example.operationId}: ${example.title}`, example] as const))(
    '%s is accepted and answered as the spec defines',
    async (_name, example) => {
      const replay = replayOf(example);
      await seed(seedFor(example, replay));
      const url =
        example.operationId === 'PrivateEndpointConnections_Get' ? await connectionUrl(example) : replay.url;

      const response = await send(example.method, url, replay.body);

      const documented = documentedSuccesses(example);
      expect(documented.includes(response.status) ? [] : [response]).toEqual([]);
      expect(documented).toContain(response.status);
      expect(validateResponse(example.operationId, response.status, response.body)).toEqual([]);
    },
  );
});
