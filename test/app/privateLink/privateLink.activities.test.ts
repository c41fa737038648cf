import { randomUUID } from 'node:crypto';

import { InvocationContext } from '@azure/functions';

import type { SeedDocument } from '@acr-replica-guard/sandbox';

import { checkPrivateLink, grantPrivateLink } from '../../../src/app/privateLink/privateLink.activities';
import type {
  PrivateLinkCheck,
  PrivateLinkGrantResult,
  PrivateLinkRefusal,
} from '../../../src/app/privateLink/privateLink.contract';
import { APP_IDENTITY, launcherSandbox, seedFleet } from '../../support/appFleet';
import { infraActions, leastPrivilegeSeed } from '../../support/infraAccess';
import { grantRbacAdministration } from '../../support/rbacAdministration';

// The activities run in this process against the launcher's ARM sandbox, with the app's production
// credential. Which private-link role the grant may assign comes from the settings, read at every call:
// each block sets them for its own fleet (Jest gives every test file its own process.env).

const ROLE_SETTINGS = ['HEAL_ROLE_DEFINITION_ID', 'HEAL_ROLE_CREATE', 'HEAL_ROLE_SCOPE'] as const;

function useRoleSettings(values: Partial<Record<(typeof ROLE_SETTINGS)[number], string>>): void {
  beforeEach(() => {
    for (const name of ROLE_SETTINGS) delete process.env[name];
    Object.assign(process.env, values);
  });
  afterEach(() => {
    for (const name of ROLE_SETTINGS) delete process.env[name];
  });
}

async function privateEndpointFleet(
  group: string,
  extra: (subscriptionId: string) => SeedDocument = () => ({}),
): Promise<{ subscriptionId: string; registryId: string; endpoints: string[] }> {
  let registryId = '';
  let endpoints: string[] = [];
  const fleet = await seedFleet((f) => {
    const network = `/subscriptions/${f.subscriptionId}/resourceGroups/rg-net`;
    endpoints = ['pe-a', 'pe-b'].map((n) => `${network}/providers/Microsoft.Network/privateEndpoints/${n}`);
    registryId = f.registryId(group, 'crgrant01');
    return [{ id: registryId, location: 'westeurope', sku: 'Premium', privateEndpoints: endpoints }];
  });
  // The fleet's subscription id is chosen by seedFleet; seeds that need it are added right after.
  const more = extra(fleet.subscriptionId);
  if (Object.keys(more).length > 0) {
    const answer = await launcherSandbox().call('POST', '/seed', more);
    expect(answer.status).toBe(200);
  }
  // The grant refuses a registry outside the app's scope: this fleet's subscription is in it.
  process.env.REGISTRY_SCOPE = `/subscriptions/${fleet.subscriptionId}`;
  return { subscriptionId: fleet.subscriptionId, registryId, endpoints };
}

const check = async (registryId: string): Promise<PrivateLinkCheck> =>
  (await checkPrivateLink({ registryId }, new InvocationContext())) as PrivateLinkCheck;
const grantFor = async (registryId: string, privateEndpoints: string[]): Promise<PrivateLinkGrantResult> =>
  (await grantPrivateLink(
    { registryId, privateEndpoints },
    new InvocationContext(),
  )) as PrivateLinkGrantResult;

async function authorizationWrites(subscriptionId: string): Promise<string[]> {
  const log = await launcherSandbox().requests(subscriptionId);
  return log.requests
    .filter((r) => r.method !== 'GET' && /^Role(Definitions|Assignments)_/.test(r.operation))
    .map((r) => `${r.operation} ${r.status}`);
}

describe('granting with a role the app creates itself (HEAL_ROLE_CREATE=true)', () => {
  useRoleSettings({ HEAL_ROLE_CREATE: 'true' });

  test('the check names every private endpoint without the permission; a grant, run twice, cures them all', async () => {
    const { subscriptionId, registryId, endpoints } = await privateEndpointFleet('rg-create');
    await grantRbacAdministration(launcherSandbox(), subscriptionId);
    await expect(check(registryId)).resolves.toEqual({
      privateEndpoints: endpoints,
      missingAt: endpoints,
      principalId: APP_IDENTITY.objectId,
    });

    const first = await grantFor(registryId, endpoints);
    if ('refused' in first) throw new Error(`refused: ${first.reason}`);
    expect(first).toMatchObject({ roleCreated: true, principalId: APP_IDENTITY.objectId });
    expect(first.assignments.map((a) => [a.scope, a.created])).toEqual(endpoints.map((e) => [e, true]));

    // Run again, as after a lost answer: nothing new is made, the same ids come back.
    const again = await grantFor(registryId, endpoints);
    expect(again).toEqual({
      ...first,
      roleCreated: false,
      assignments: first.assignments.map((a) => ({ ...a, created: false })),
    });

    await expect(check(registryId)).resolves.toMatchObject({ missingAt: [] });
  });
});

describe('granting with the role the infrastructure made (HEAL_ROLE_DEFINITION_ID)', () => {
  const roleGuids = {
    replicaOperator: randomUUID(),
    operationReader: randomUUID(),
    privateLink: randomUUID(),
  };
  useRoleSettings({ HEAL_ROLE_DEFINITION_ID: roleGuids.privateLink });

  test('assigns that role, built in the private endpoints’ subscription, and writes no role definition', async () => {
    const actions = await infraActions();
    const { subscriptionId, registryId, endpoints } = await privateEndpointFleet('rg-assign', (sub) =>
      leastPrivilegeSeed(actions, {
        subscriptionId: sub,
        principalId: APP_IDENTITY.objectId,
        registryResourceGroups: [`/subscriptions/${sub}/resourceGroups/rg-assign`],
        privateEndpointResourceGroups: [`/subscriptions/${sub}/resourceGroups/rg-net`],
        roleGuids,
        roleNameSuffix: randomUUID(),
      }),
    );

    const granted = await grantFor(registryId, endpoints);

    expect(granted).toEqual({
      outcome: 'granted',
      roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuids.privateLink}`,
      roleCreated: false,
      assignments: endpoints.map((scope) => ({
        scope,
        assignmentId: expect.any(String) as string,
        created: true,
      })),
      principalId: APP_IDENTITY.objectId,
    });
    expect(await authorizationWrites(subscriptionId)).toEqual([
      'RoleAssignments_Create 201',
      'RoleAssignments_Create 201',
    ]);
    await expect(check(registryId)).resolves.toMatchObject({ missingAt: [] });
  });
});

describe('granting without a private-link role', () => {
  useRoleSettings({});

  test('refuses, saying which settings would allow it, and writes nothing', async () => {
    const { subscriptionId, registryId, endpoints } = await privateEndpointFleet('rg-none');
    // The app could create a role here, and assign it: it must not, unless told to.
    await grantRbacAdministration(launcherSandbox(), subscriptionId);

    const refused = await grantFor(registryId, endpoints);

    expect(refused).toEqual({
      refused: 'no-role',
      reason: expect.stringMatching(/HEAL_ROLE_DEFINITION_ID.*HEAL_ROLE_CREATE=true/) as string,
      principalId: APP_IDENTITY.objectId,
    });
    expect(await authorizationWrites(subscriptionId)).toEqual([]);
  });

  test('refuses contradictory settings with their reason rather than choosing one', async () => {
    Object.assign(process.env, { HEAL_ROLE_DEFINITION_ID: randomUUID(), HEAL_ROLE_CREATE: 'true' });
    const { registryId, endpoints } = await privateEndpointFleet('rg-both');

    await expect(grantFor(registryId, endpoints)).resolves.toMatchObject({
      refused: 'no-role',
      reason: expect.stringContaining('exclude each other') as string,
    });
  });
});

describe('granting outside the scope', () => {
  useRoleSettings({ HEAL_ROLE_CREATE: 'true' });

  test('a grant for a registry outside the scope, or at a scope wider than a private endpoint, writes nothing', async () => {
    const { subscriptionId, registryId, endpoints } = await privateEndpointFleet('rg-scope');
    await grantRbacAdministration(launcherSandbox(), subscriptionId);
    process.env.REGISTRY_SCOPE = `/subscriptions/${subscriptionId}/resourceGroups/rg-scope`;
    const outside = `/subscriptions/${subscriptionId}/resourceGroups/rg-other/providers/Microsoft.ContainerRegistry/registries/crgrant01`;
    // The permission is only ever granted at a private endpoint: never at a resource group, a
    // subscription or another kind of resource, whatever the caller passes.
    const wider = [
      `/subscriptions/${subscriptionId}/resourceGroups/rg-net`,
      `/subscriptions/${subscriptionId}`,
      `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet`,
      `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe/sub`,
    ];

    const outOfScope = await grantFor(outside, endpoints);
    expect(outOfScope).toMatchObject({ refused: 'out-of-scope' });
    expect((outOfScope as PrivateLinkRefusal).reason).toMatch(/outside the scope/);
    for (const scope of wider) {
      const notAnEndpoint = await grantFor(registryId, [...endpoints, scope]);
      expect(notAnEndpoint).toMatchObject({ refused: 'out-of-scope' });
      expect((notAnEndpoint as PrivateLinkRefusal).reason).toMatch(/is not a private endpoint/);
    }
    expect(await authorizationWrites(subscriptionId)).toEqual([]);
  });
});
