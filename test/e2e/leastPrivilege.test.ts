// The app on the devhost with exactly the access the infrastructure gives it (read from infra/): the
// replica operator on the registries' resource group, the operation reader on the subscription, the
// pre-created private-link role (HEAL_ROLE_DEFINITION_ID) and Role Based Access Control Administrator
// under the delegation condition where the private endpoints live. A heal of a replica stuck for lack of
// the private-link permission succeeds; with the same token, every wider use of those rights is ARM's 403.
import { randomUUID } from 'node:crypto';

import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import { RestError } from '@azure/core-rest-pipeline';

import { SandboxTokenCredential, authorizationClient } from '@acr-replica-guard/sandbox/testing';
import { APP_IDENTITY } from '../support/appFleet';
import { infraActions, leastPrivilegeSeed } from '../support/infraAccess';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';
import { healRequest, healResult, startHeal } from './healHarness';

const RG = 'rg-registries';
const NET_RG = 'rg-network';
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const SOMEONE = { objectId: randomUUID(), appId: randomUUID(), displayName: 'someone else' };
const ADMIN = {
  objectId: randomUUID(),
  appId: randomUUID(),
  displayName: 'platform admin',
  type: 'User' as const,
};
const roleGuids = { replicaOperator: randomUUID(), operationReader: randomUUID(), privateLink: randomUUID() };

let app: AppHarness;
let endpoint: string;
let appClient: AuthorizationManagementClient;

beforeAll(async () => {
  const actions = await infraActions();
  app = await startApp(
    (id, subscriptionId) => {
      endpoint = `/subscriptions/${subscriptionId}/resourceGroups/${NET_RG}/providers/Microsoft.Network/privateEndpoints/pe-secure`;
      return [
        {
          id: id(RG, 'crsecure01'),
          location: 'westeurope',
          sku: 'Premium',
          privateEndpoints: [endpoint],
          replicas: [{ location: 'northeurope', creating: { createdBy: APP_IDENTITY.objectId } }],
        },
      ];
    },
    {
      broadAppRole: false,
      seed: (subscriptionId) => {
        const granted = leastPrivilegeSeed(actions, {
          subscriptionId,
          principalId: APP_IDENTITY.objectId,
          registryResourceGroups: [`/subscriptions/${subscriptionId}/resourceGroups/${RG}`],
          privateEndpointResourceGroups: [`/subscriptions/${subscriptionId}/resourceGroups/${NET_RG}`],
          roleGuids,
          roleNameSuffix: subscriptionId,
        });
        return {
          ...granted,
          principals: [SOMEONE, ADMIN],
          roleAssignments: [
            ...(granted.roleAssignments ?? []),
            {
              principalId: ADMIN.objectId,
              role: 'Owner',
              scope: `/subscriptions/${subscriptionId}`,
              principalType: 'User',
            },
          ],
        };
      },
      env: (subscriptionId) => ({
        REGISTRY_SCOPE: `/subscriptions/${subscriptionId}/resourceGroups/${RG}`,
        HEAL_ROLE_DEFINITION_ID: roleDefinitionId(subscriptionId, roleGuids.privateLink),
      }),
    },
  );
  appClient = authorizationClient(
    app.sandbox,
    new SandboxTokenCredential(app.sandbox.url, APP_IDENTITY.objectId),
    app.subscriptionId,
  );
});

afterAll(async () => {
  await app?.stop();
});

function roleDefinitionId(subscriptionId: string, guid: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

const group = (name: string): string => `/subscriptions/${app.subscriptionId}/resourceGroups/${name}`;

async function refusal(work: Promise<unknown>): Promise<{ status?: number; code?: string; message: string }> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RestError)) throw new Error(`expected ARM to refuse, got ${String(error)}`);
  return { status: error.statusCode, code: error.code, message: error.message };
}

function assignAsApp(scope: string, role: string, principalId: string): Promise<unknown> {
  return appClient.roleAssignments.create(scope.slice(1), randomUUID(), {
    roleDefinitionId: roleDefinitionId(app.subscriptionId, role),
    principalId,
    principalType: principalId === ADMIN.objectId ? 'User' : 'ServicePrincipal',
  });
}

test('a replica stuck for lack of the private-link permission is healed with the pre-created role, no role definition written', async () => {
  await startHeal(
    app,
    healRequest(`${app.registryId(RG, 'crsecure01')}/replications/northeurope`),
    'least-privilege-heal',
  );

  expect(await healResult(app, 'least-privilege-heal')).toMatchObject({
    diagnosis: 'missing-private-link-permission',
    outcome: 'healed',
  });
  const entries = await app.audit.listByInstance(app.registryId(RG, 'crsecure01'), 'least-privilege-heal');
  const grant = entries.find((entry) => entry.step === 'permission-granted')?.detail as
    { roleCreated: boolean; assignments: { assignmentId: string }[] } | undefined;
  expect(grant?.roleCreated).toBe(false);
  const granted = await appClient.roleAssignments.getById(grant?.assignments[0]?.assignmentId ?? '');
  expect(granted).toMatchObject({
    principalId: APP_IDENTITY.objectId,
    roleDefinitionId: roleDefinitionId(app.subscriptionId, roleGuids.privateLink),
    scope: endpoint,
  });
  const log = await app.sandbox.admin.requests(app.subscriptionId);
  expect(
    log.requests.filter((r) => r.operation.startsWith('RoleDefinitions_') && r.method !== 'GET'),
  ).toEqual([]);
  expect(log.requests.filter((r) => r.status === 403)).toEqual([]);
});

describe("with the app's own token, ARM refuses everything wider than its private-link role to itself", () => {
  test.each([
    ['Owner to someone else', () => assignAsApp(group(NET_RG), OWNER, SOMEONE.objectId)],
    ['Owner to itself', () => assignAsApp(group(NET_RG), OWNER, APP_IDENTITY.objectId)],
    ['Reader to someone else at a private endpoint', () => assignAsApp(endpoint, READER, SOMEONE.objectId)],
    [
      'the private-link role to someone else',
      () => assignAsApp(endpoint, roleGuids.privateLink, SOMEONE.objectId),
    ],
    [
      'the private-link role to the admin',
      () => assignAsApp(endpoint, roleGuids.privateLink, ADMIN.objectId),
    ],
    [
      'its replica operator role to someone else',
      () => assignAsApp(group(RG), roleGuids.replicaOperator, SOMEONE.objectId),
    ],
    [
      'Owner to itself on the subscription',
      () => assignAsApp(group(RG).split('/resourceGroups/')[0] ?? '', OWNER, APP_IDENTITY.objectId),
    ],
  ])('assigning %s', async (_what, attempt) => {
    expect(await refusal(attempt())).toMatchObject({ status: 403, code: 'AuthorizationFailed' });
  });

  test('changing the private-link role definition, or writing a new one', async () => {
    const subscription = `subscriptions/${app.subscriptionId}`;
    const widened = {
      roleName: `ACR Replica Guard Private Link Proxy Writer (${app.subscriptionId})`,
      roleType: 'CustomRole',
      permissions: [{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }],
      assignableScopes: [group(NET_RG)],
    };
    for (const [scope, name] of [
      [subscription, roleGuids.privateLink],
      [subscription, randomUUID()],
      [group(NET_RG).slice(1), randomUUID()],
    ] as const) {
      expect(await refusal(appClient.roleDefinitions.createOrUpdate(scope, name, widened))).toMatchObject({
        status: 403,
        code: 'AuthorizationFailed',
      });
    }
  });

  test("deleting an assignment that is not its own private-link role's", async () => {
    const admin = authorizationClient(
      app.sandbox,
      new SandboxTokenCredential(app.sandbox.url, ADMIN.objectId),
      app.subscriptionId,
    );
    const theirs = await admin.roleAssignments.create(endpoint.slice(1), randomUUID(), {
      roleDefinitionId: roleDefinitionId(app.subscriptionId, roleGuids.privateLink),
      principalId: SOMEONE.objectId,
      principalType: 'ServicePrincipal',
    });

    expect(await refusal(appClient.roleAssignments.deleteById(theirs.id ?? ''))).toMatchObject({
      status: 403,
      code: 'AuthorizationFailed',
      message: expect.stringContaining('ABAC condition not fulfilled') as string,
    });
    await expect(admin.roleAssignments.getById(theirs.id ?? '')).resolves.toMatchObject({
      principalId: SOMEONE.objectId,
    });
  });
});
