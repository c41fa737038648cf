// The access gateway against the launcher's ARM sandbox with the app's production credential: the
// sandbox's RBAC model decides every read and write, as ARM would. The tests build on each other, in
// order: nothing granted, then the role, then its assignment, then the permission in effect.
import type { RoleAssignment } from '@azure/arm-authorization';

import { AccessGateway, privateLinkRoleName } from '../../src/azure/access';
import { armClients } from '../../src/azure/armClients';
import { PRIVATE_LINK_ACTION } from '../../src/domain';
import { APP_IDENTITY, launcherSandbox, seedFleet } from '../support/appFleet';
import type { TestFleet } from '../support/appFleet';
import { grantRbacAdministration } from '../support/rbacAdministration';

let fleet: TestFleet;
let subscription: string;
let privateEndpoint: string;
let roleDefinitionId: string;
const access = new AccessGateway(armClients());

beforeAll(async () => {
  fleet = await seedFleet((f) => {
    subscription = `/subscriptions/${f.subscriptionId}`;
    privateEndpoint = `${subscription}/resourceGroups/rg-network/providers/Microsoft.Network/privateEndpoints/pe-craccess01`;
    return [
      {
        id: f.registryId('rg-access', 'craccess01'),
        location: 'westeurope',
        sku: 'Premium',
        privateEndpoints: [privateEndpoint],
      },
    ];
  });
  await grantRbacAdministration(launcherSandbox(), fleet.subscriptionId);
});

const authorization = () => armClients().authorization(fleet.subscriptionId);

async function assignmentsOfApp(scope: string): Promise<RoleAssignment[]> {
  const found: RoleAssignment[] = [];
  for await (const a of authorization().roleAssignments.listForScope(scope.slice(1), {
    filter: `principalId eq '${APP_IDENTITY.objectId}'`,
  }))
    found.push(a);
  return found;
}

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

    const named = [];
    for await (const role of authorization().roleDefinitions.list(subscription.slice(1), {
      filter: `roleName eq '${privateLinkRoleName(subscription)}'`,
    }))
      named.push(role);
    expect(named).toHaveLength(1);
    expect(named[0]).toMatchObject({
      id: roleDefinitionId,
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

  test('assigning twice at the private endpoint leaves one assignment, the second counting as done', async () => {
    const first = await access.ensureRoleAssignment(privateEndpoint, roleDefinitionId, APP_IDENTITY.objectId);
    const second = await access.ensureRoleAssignment(
      privateEndpoint,
      roleDefinitionId,
      APP_IDENTITY.objectId,
    );
    expect(first.created).toBe(true);
    expect(second).toEqual({ assignmentId: first.assignmentId, created: false });

    const atEndpoint = (await assignmentsOfApp(privateEndpoint)).filter(
      (a) => a.scope?.toLowerCase() === privateEndpoint.toLowerCase(),
    );
    expect(atEndpoint).toHaveLength(1);
    expect(atEndpoint[0]).toMatchObject({
      id: first.assignmentId,
      roleDefinitionId,
      principalType: 'ServicePrincipal',
    });
  });

  test('once assigned, the permission is effective at the private endpoint', async () => {
    await expect(access.missingPrivateLinkPermission([privateEndpoint])).resolves.toEqual([]);
  });
});
