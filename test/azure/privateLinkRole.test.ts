// The app assigns its private-link role to itself, so a role found under that role's name or id is used
// only when it is exactly what the app would make. Anyone who may write role definitions could have made
// one with the name and wider permissions. The rule is table-tested; the gateway is run against the
// launcher's ARM sandbox with the app's production credential.
import type { RoleDefinition } from '@azure/arm-authorization';

import {
  AccessGateway,
  UnsafeRoleError,
  privateLinkRoleName,
  privateLinkRoleProblems,
} from '../../src/azure/access';
import { armClients } from '../../src/azure/armClients';
import { PRIVATE_LINK_ACTION, deterministicGuid } from '../../src/domain';
import { launcherSandbox, seedFleet } from '../support/appFleet';
import type { TestFleet } from '../support/appFleet';
import { grantRbacAdministration } from '../support/rbacAdministration';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000001';
const EXACT: RoleDefinition = {
  id: `${SCOPE}/providers/Microsoft.Authorization/roleDefinitions/r1`,
  roleName: privateLinkRoleName(SCOPE),
  roleType: 'CustomRole',
  permissions: [{ actions: [PRIVATE_LINK_ACTION], notActions: [], dataActions: [], notDataActions: [] }],
  assignableScopes: [SCOPE],
};
const only = (entry: object): RoleDefinition => ({
  ...EXACT,
  permissions: [{ ...EXACT.permissions![0], ...entry }],
});

describe('privateLinkRoleProblems', () => {
  test('finds nothing wrong with the role the app makes, however ARM spells its ids and lists', () => {
    expect(privateLinkRoleProblems(EXACT, SCOPE)).toEqual([]);
    expect(
      privateLinkRoleProblems({ ...EXACT, assignableScopes: [`${SCOPE.toUpperCase()}/`] }, SCOPE),
    ).toEqual([]);
    expect(privateLinkRoleProblems(only({ actions: [PRIVATE_LINK_ACTION.toLowerCase()] }), SCOPE)).toEqual(
      [],
    );
    expect(
      privateLinkRoleProblems({ ...EXACT, permissions: [{ actions: [PRIVATE_LINK_ACTION] }] }, SCOPE),
    ).toEqual([]);
  });

  test.each<[string, RoleDefinition, RegExp]>([
    ['every action', only({ actions: ['*'] }), /actions are \[\*\]/],
    ['another action as well', only({ actions: [PRIVATE_LINK_ACTION, 'Microsoft.Network/*'] }), /actions/],
    ['a wildcard that covers the action', only({ actions: ['Microsoft.Network/*'] }), /actions/],
    ['no action', only({ actions: [] }), /actions/],
    ['notActions', only({ notActions: ['Microsoft.Network/*/delete'] }), /notActions/],
    ['dataActions', only({ dataActions: ['Microsoft.Storage/*'] }), /dataActions/],
    ['notDataActions', only({ notDataActions: ['x'] }), /notDataActions/],
    [
      'a second permission entry',
      { ...EXACT, permissions: [...EXACT.permissions!, { actions: ['*/read'] }] },
      /2 permission entries/,
    ],
    ['no permission entry', { ...EXACT, permissions: [] }, /0 permission entries/],
    ['wider assignable scopes', { ...EXACT, assignableScopes: [SCOPE, '/'] }, /assignable at/],
    [
      'another assignable scope',
      { ...EXACT, assignableScopes: [`${SCOPE}/resourceGroups/rg`] },
      /assignable at/,
    ],
    ['a built-in role', { ...EXACT, roleType: 'BuiltInRole' }, /not a custom role/],
  ])('names what is wrong with a role holding %s', (_scenario, role, problem) => {
    const problems = privateLinkRoleProblems(role, SCOPE);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });
});

describe('ensuring the private-link role when a role already carries its name or id', () => {
  let fleet: TestFleet;
  let subscription: string;
  let group: string;
  const access = new AccessGateway(armClients());

  beforeAll(async () => {
    fleet = await seedFleet(() => []);
    subscription = `/subscriptions/${fleet.subscriptionId}`;
    group = `${subscription}/resourceGroups/rg-network`;
    await grantRbacAdministration(launcherSandbox(), fleet.subscriptionId);
    const seeded = await launcherSandbox().call('POST', '/seed', {
      roleDefinitions: [
        // Under the role's name, with every action.
        {
          roleName: privateLinkRoleName(subscription),
          type: 'CustomRole',
          permissions: [{ actions: ['*'] }],
          assignableScopes: [subscription],
        },
        // Under the role's own deterministic id, with one action too many.
        {
          name: deterministicGuid(group, privateLinkRoleName(group)),
          roleName: `${privateLinkRoleName(group)} (look-alike)`,
          type: 'CustomRole',
          permissions: [{ actions: [PRIVATE_LINK_ACTION, 'Microsoft.Network/privateEndpoints/write'] }],
          assignableScopes: [group],
        },
      ],
    });
    expect(seeded.status).toBe(200);
  });

  test.each([
    ['found by name with every action', () => subscription, /actions are \[\*\]/],
    ['found by the id the app would give it, with an action too many', () => group, /actions are/],
  ])('refuses a role %s, and writes nothing', async (_scenario, scope, problem) => {
    const attempt = access.ensurePrivateLinkRole(scope());

    await expect(attempt).rejects.toBeInstanceOf(UnsafeRoleError);
    await expect(attempt).rejects.toMatchObject({ problems: [expect.stringMatching(problem)] });
    const log = await launcherSandbox().requests(fleet.subscriptionId);
    expect(log.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
