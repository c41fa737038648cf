// The access gateway against the launcher's ARM sandbox with the app's production credential: the
// sandbox's RBAC model decides every read and write, as ARM would, and its lists lag writes by seconds
// as ARM's do. The tests build on each other, in order: nothing granted, then the role, then its
// assignment, then the permission in effect.
import { randomUUID } from 'node:crypto';

import { AuthorizationManagementClient } from '@azure/arm-authorization';

import { AccessGateway, privateLinkRoleName } from '../../src/azure/access';
import { armClients } from '../../src/azure/armClients';
import { PRIVATE_LINK_ACTION } from '../../src/domain';
import { APP_IDENTITY, launcherSandbox, seedFleet } from '../support/appFleet';
import type { TestFleet } from '../support/appFleet';
import { grantRbacAdministration } from '../support/rbacAdministration';
import { ARM_SCOPE, SandboxTokenCredential } from '@acr-replica-guard/sandbox/testing';

let fleet: TestFleet;
let subscription: string;
let privateEndpoint: string;
let otherEndpoint: string;
let roleDefinitionId: string;
const access = new AccessGateway(armClients());
/** Someone other than the app who administers access in the test's subscription. */
const ADMIN = { objectId: randomUUID(), appId: randomUUID(), displayName: 'platform admin' };

beforeAll(async () => {
  fleet = await seedFleet((f) => {
    subscription = `/subscriptions/${f.subscriptionId}`;
    privateEndpoint = `${subscription}/resourceGroups/rg-network/providers/Microsoft.Network/privateEndpoints/pe-craccess01`;
    otherEndpoint = `${subscription}/resourceGroups/rg-network/providers/Microsoft.Network/privateEndpoints/pe-craccess02`;
    return [
      {
        id: f.registryId('rg-access', 'craccess01'),
        location: 'westeurope',
        sku: 'Premium',
        privateEndpoints: [privateEndpoint, otherEndpoint],
      },
    ];
  });
  await grantRbacAdministration(launcherSandbox(), fleet.subscriptionId);
  const seeded = await launcherSandbox().call('POST', '/seed', {
    principals: [ADMIN],
    roleAssignments: [{ principalId: ADMIN.objectId, role: 'Owner', scope: subscription }],
  });
  expect(seeded.status).toBe(200);
});

const authorization = () => armClients().authorization(fleet.subscriptionId);
const launcherUrl = (): string => process.env.SANDBOX_URL ?? '';

describe('the private-link permission of the app identity', () => {
  test("the principal id is the oid of the app identity's own token", async () => {
    await expect(access.principalId()).resolves.toBe(APP_IDENTITY.objectId);
  });

  test('a private endpoint where the identity lacks the action is reported missing', async () => {
    await expect(access.missingPrivateLinkPermission([privateEndpoint])).resolves.toEqual([privateEndpoint]);
  });

  test('ensuring the role twice creates one role that holds exactly the private-link action', async () => {
    const first = await access.ensurePrivateLinkRole(subscription);
    const second = await access.ensurePrivateLinkRole(subscription);
    expect(first.created).toBe(true);
    expect(second).toEqual({ roleDefinitionId: first.roleDefinitionId, created: false });
    roleDefinitionId = first.roleDefinitionId;

    // Read by id: the list by name may not show a role this new yet.
    expect(await authorization().roleDefinitions.getById(roleDefinitionId)).toMatchObject({
      roleName: privateLinkRoleName(subscription),
      roleType: 'CustomRole',
      assignableScopes: [subscription],
      permissions: [{ actions: [PRIVATE_LINK_ACTION], notActions: [], dataActions: [], notDataActions: [] }],
    });
  });

  test('the role is found again when listed only at a resource group it is assignable at', async () => {
    const groupScope = `${subscription}/resourceGroups/rg-network`;
    const first = await access.ensurePrivateLinkRole(groupScope);
    const second = await access.ensurePrivateLinkRole(groupScope);
    expect(first.created).toBe(true);
    expect(second).toEqual({ roleDefinitionId: first.roleDefinitionId, created: false });
    expect(first.roleDefinitionId).not.toBe(roleDefinitionId);
  });

  test('assigning twice at the private endpoint makes one assignment; the second run reports it as not created', async () => {
    const first = await access.ensureRoleAssignment(privateEndpoint, roleDefinitionId, APP_IDENTITY.objectId);
    const second = await access.ensureRoleAssignment(
      privateEndpoint,
      roleDefinitionId,
      APP_IDENTITY.objectId,
    );
    expect(first.created).toBe(true);
    expect(second).toEqual({ assignmentId: first.assignmentId, created: false });
    expect(await authorization().roleAssignments.getById(first.assignmentId)).toMatchObject({
      scope: privateEndpoint,
      roleDefinitionId,
      principalId: APP_IDENTITY.objectId,
      principalType: 'ServicePrincipal',
    });
  });

  test('an identical assignment someone else made under another name is reported by the id ARM names', async () => {
    const admin = new AuthorizationManagementClient(
      new SandboxTokenCredential(launcherUrl(), ADMIN.objectId),
      fleet.subscriptionId,
      { endpoint: launcherUrl(), credentialScopes: [ARM_SCOPE] },
    );
    const theirs = await admin.roleAssignments.create(otherEndpoint.slice(1), randomUUID(), {
      roleDefinitionId,
      principalId: APP_IDENTITY.objectId,
      principalType: 'ServicePrincipal',
    });

    // Moments later, while lists do not show it yet.
    const ensured = await access.ensureRoleAssignment(otherEndpoint, roleDefinitionId, APP_IDENTITY.objectId);

    expect(ensured).toEqual({ assignmentId: theirs.id, created: false });
  });

  test('once assigned, the permission is effective at the private endpoint', async () => {
    await expect(access.missingPrivateLinkPermission([privateEndpoint])).resolves.toEqual([]);
  });
});
