// The managed-identity token endpoint (App Service protocol) as the production credential code uses
// it: @azure/identity's ManagedIdentityCredential and DefaultAzureCredential with only
// IDENTITY_ENDPOINT and IDENTITY_HEADER set.
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { ARM_SCOPE, startTestSandbox } from '../testing';

const TENANT = '5e000000-0000-4000-8000-0000000000f1';
const SUB = '5e000000-0000-4000-8000-000000000001';
const SYSTEM = {
  objectId: '5e000000-0000-4000-8000-0000000000a1',
  appId: '5e000000-0000-4000-8000-0000000000a2',
};
const USER_ASSIGNED = {
  objectId: '5e000000-0000-4000-8000-0000000000b1',
  appId: '5e000000-0000-4000-8000-0000000000b2',
  resourceId: `/subscriptions/${SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-guard`,
};

const seed: SeedDocument = {
  tenantId: TENANT,
  principals: [
    { ...SYSTEM, displayName: 'func-guard', systemAssigned: true },
    { ...USER_ASSIGNED, displayName: 'id-guard' },
  ],
  subscriptions: [{ subscriptionId: SUB, locations: ['westeurope'] }],
  roleAssignments: [{ principalId: SYSTEM.objectId, role: 'Reader', scope: `/subscriptions/${SUB}` }],
  registries: [
    {
      id: `/subscriptions/${SUB}/resourceGroups/rg-id/providers/Microsoft.ContainerRegistry/registries/cridentity1`,
      location: 'westeurope',
      sku: 'Premium',
    },
  ],
};

// Variables that would make @azure/identity pick another credential or another identity.
const FOREIGN_VARIABLES = [
  'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_USERNAME',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'IDENTITY_SERVER_THUMBPRINT',
  'IMDS_ENDPOINT',
];

let sandbox: TestSandbox;
const savedEnvironment = { ...process.env };

beforeAll(async () => {
  sandbox = await startTestSandbox(seed);
  for (const name of FOREIGN_VARIABLES) delete process.env[name];
  process.env.IDENTITY_ENDPOINT = sandbox.identityEndpoint;
  process.env.IDENTITY_HEADER = sandbox.identityHeader;
});
afterAll(async () => {
  process.env = savedEnvironment;
  await sandbox.close();
});

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('managed identity through @azure/identity', () => {
  // First: @azure/identity caches tokens process-wide, and this test should see the endpoint called.
  it('lets DefaultAzureCredential, with only IDENTITY_ENDPOINT and IDENTITY_HEADER set, call ARM through the SDK', async () => {
    const client = new ContainerRegistryManagementClient(new DefaultAzureCredential(), SUB, {
      endpoint: sandbox.url,
      credentials: { scopes: [ARM_SCOPE] },
    });

    const registry = await client.registries.get('rg-id', 'cridentity1');

    expect(registry.name).toBe('cridentity1');
    const log = await sandbox.admin.requests(SUB);
    expect(log.requests).toContainEqual(
      expect.objectContaining({ operation: 'Registries_Get', status: 200, principalId: SYSTEM.objectId }),
    );
    const tokenRequests = await sandbox.admin.call<{ counts: Record<string, number> }>(
      'GET',
      '/requests?operation=ManagedIdentity_GetToken',
    );
    expect(tokenRequests.body.counts).toEqual({ 'ManagedIdentity_GetToken 200': 1 });
  });

  it('gives ManagedIdentityCredential a token naming the system-assigned identity', async () => {
    const token = await new ManagedIdentityCredential().getToken(ARM_SCOPE);

    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
    expect(claimsOf(token.token)).toMatchObject({
      oid: SYSTEM.objectId,
      sub: SYSTEM.objectId,
      appid: SYSTEM.appId,
      tid: TENANT,
      iss: `https://sts.windows.net/${TENANT}/`,
      aud: 'https://management.azure.com',
    });
  });

  it('picks a user-assigned identity by client id or by resource id', async () => {
    const byClientId = await new ManagedIdentityCredential({ clientId: USER_ASSIGNED.appId }).getToken(
      ARM_SCOPE,
    );
    const byResourceId = await new ManagedIdentityCredential({
      resourceId: USER_ASSIGNED.resourceId,
    }).getToken(ARM_SCOPE);

    expect(claimsOf(byClientId.token).oid).toBe(USER_ASSIGNED.objectId);
    expect(claimsOf(byResourceId.token).oid).toBe(USER_ASSIGNED.objectId);
  });
});

describe('the token endpoint’s refusals, as App Service answers them', () => {
  const tokenUrl = (extra = ''): string =>
    `${sandbox.identityEndpoint}?api-version=2019-08-01&resource=https://management.azure.com${extra}`;

  it('answers 400 without X-IDENTITY-HEADER and 401 with a wrong one', async () => {
    const missing = await fetch(tokenUrl());
    const wrong = await fetch(tokenUrl(), { headers: { 'X-IDENTITY-HEADER': 'not-the-secret' } });

    expect(missing.status).toBe(400);
    expect(wrong.status).toBe(401);
  });

  it('answers 400 for an identity that is not assigned, and for a foreign api-version', async () => {
    const headers = { 'X-IDENTITY-HEADER': sandbox.identityHeader };
    const unknown = await fetch(tokenUrl('&client_id=5e000000-0000-4000-8000-0000000000ff'), { headers });
    const oldVersion = await fetch(tokenUrl().replace('2019-08-01', '2017-09-01'), { headers });

    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ message: 'Unable to load the proper Managed Identity.' });
    expect(oldVersion.status).toBe(400);
  });

  it('issues tokens for Azure Storage, and refuses a resource Entra ID does not know', async () => {
    const headers = { 'X-IDENTITY-HEADER': sandbox.identityHeader };
    const storage = await new ManagedIdentityCredential({ clientId: USER_ASSIGNED.appId }).getToken(
      'https://storage.azure.com/.default',
    );
    const unknown = await fetch(
      `${sandbox.identityEndpoint}?api-version=2019-08-01&resource=https://unknown.example.com`,
      { headers },
    );

    expect(claimsOf(storage.token)).toMatchObject({
      aud: 'https://storage.azure.com',
      iss: `https://sts.windows.net/${TENANT}/`,
      oid: USER_ASSIGNED.objectId,
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      message: expect.stringMatching(/^AADSTS500011: /) as string,
    });
  });

  it('returns expires_on as epoch seconds in a string, with the client id of the identity', async () => {
    const response = await fetch(tokenUrl(), { headers: { 'X-IDENTITY-HEADER': sandbox.identityHeader } });
    const body = (await response.json()) as Record<string, unknown>;

    expect(body).toMatchObject({
      token_type: 'Bearer',
      resource: 'https://management.azure.com',
      client_id: SYSTEM.appId,
    });
    expect(body.expires_on).toMatch(/^\d{10}$/);
  });
});
