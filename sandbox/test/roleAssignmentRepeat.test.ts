// Role assignment PUTs as ARM answers them (api-version 2022-04-01):
// - the same assignment sent again under its name answers 201 again: the name makes the write
//   idempotent ("specifying the --name argument will leverage the service-side idempotence",
//   Azure/azure-cli#31995), and the REST definition declares 201 as the only success
//   (Azure/azure-rest-api-specs#5226);
// - the same principal, role and scope under a new name is 409 RoleAssignmentExists, whose message
//   ends "The ID of the existing role assignment is <name without dashes>." (Azure/azure-cli#31995,
//   #32027; quoted in deployment failures such as Azure Container Apps' AppRbacDeployment).
import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import { RestError } from '@azure/core-rest-pipeline';

import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { SandboxTokenCredential, authorizationClient, startTestSandbox } from '../testing';
import { STILL_CLOCK, armFetch } from './armFetch';

const SUB_ID = '3e000000-0000-4000-8000-000000000001';
const SUB = `/subscriptions/${SUB_ID}`;
const ADMIN = '3e000000-0000-4000-8000-0000000000a1';
const APP = '3e000000-0000-4000-8000-0000000000b1';
const READER = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
const FIRST = '3e000000-0000-4000-8000-00000000c001';
const SECOND = '3e000000-0000-4000-8000-00000000c002';

const seed: SeedDocument = {
  principals: [
    { objectId: ADMIN, appId: ADMIN, displayName: 'admin' },
    { objectId: APP, appId: APP, displayName: 'app' },
  ],
  subscriptions: [{ subscriptionId: SUB_ID, locations: ['westeurope'] }],
  roleAssignments: [{ principalId: ADMIN, role: 'User Access Administrator', scope: SUB }],
};

let sandbox: TestSandbox;
let client: AuthorizationManagementClient;
const readerForApp = { roleDefinitionId: READER, principalId: APP, principalType: 'ServicePrincipal' };

beforeAll(async () => {
  sandbox = await startTestSandbox(seed, { speed: STILL_CLOCK });
  client = authorizationClient(sandbox, new SandboxTokenCredential(sandbox.url, ADMIN), SUB_ID);
});
afterAll(() => sandbox.close());

describe('role assignment writes (recorded ARM behaviour)', () => {
  test('the same assignment sent again under its name answers 201 with the same assignment', async () => {
    const path = `${SUB}/providers/Microsoft.Authorization/roleAssignments/${FIRST}?api-version=2022-04-01`;
    const first = await armFetch(sandbox, ADMIN, 'PUT', path, { properties: readerForApp });
    const again = await armFetch(sandbox, ADMIN, 'PUT', path, { properties: readerForApp });

    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    const sdkAgain = await client.roleAssignments.create(SUB.slice(1), FIRST, readerForApp);
    expect(sdkAgain.id).toBe(`${SUB}/providers/Microsoft.Authorization/roleAssignments/${FIRST}`);
  });

  test('a new name for the same principal, role and scope is 409 RoleAssignmentExists naming the existing one', async () => {
    const error = await client.roleAssignments.create(SUB.slice(1), SECOND, readerForApp).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(RestError);
    expect(error).toMatchObject({ statusCode: 409, code: 'RoleAssignmentExists' });
    expect((error as RestError).message).toBe(
      `The role assignment already exists. The ID of the existing role assignment is ${FIRST.replace(/-/g, '')}.`,
    );
  });
});
