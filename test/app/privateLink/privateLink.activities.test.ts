import { InvocationContext } from '@azure/functions';

import { checkPrivateLink, grantPrivateLink } from '../../../src/app/privateLink/privateLink.activities';
import type {
  PrivateLinkCheck,
  PrivateLinkGrant,
  PrivateLinkGrantResult,
  PrivateLinkRefusal,
} from '../../../src/app/privateLink/privateLink.contract';
import { APP_IDENTITY, launcherSandbox, seedFleet } from '../../support/appFleet';
import type { TestFleet } from '../../support/appFleet';
import { grantRbacAdministration } from '../../support/rbacAdministration';

// The activities run in this process against the launcher's ARM sandbox, with the app's production
// credential; the app identity may write role definitions and assign roles in this subscription, and the
// app's scope (REGISTRY_SCOPE, read by the grant) is the registry's resource group.

let fleet: TestFleet;
let registryId: string;
let endpoints: string[];

beforeAll(async () => {
  fleet = await seedFleet((f) => {
    const network = `/subscriptions/${f.subscriptionId}/resourceGroups/rg-net`;
    endpoints = ['pe-a', 'pe-b'].map((n) => `${network}/providers/Microsoft.Network/privateEndpoints/${n}`);
    registryId = f.registryId('rg-grant', 'crgrant01');
    return [{ id: registryId, location: 'westeurope', sku: 'Premium', privateEndpoints: endpoints }];
  });
  await grantRbacAdministration(launcherSandbox(), fleet.subscriptionId);
  process.env.REGISTRY_SCOPE = `/subscriptions/${fleet.subscriptionId}/resourceGroups/rg-grant`;
});

async function armWrites(): Promise<number> {
  const log = await launcherSandbox().requests(fleet.subscriptionId);
  return log.requests.filter((r) => r.method !== 'GET').length;
}

const check = async (): Promise<PrivateLinkCheck> =>
  (await checkPrivateLink({ registryId }, new InvocationContext())) as PrivateLinkCheck;
const grantFor = async (registry: string, privateEndpoints: string[]): Promise<PrivateLinkGrantResult> =>
  (await grantPrivateLink(
    { registryId: registry, privateEndpoints },
    new InvocationContext(),
  )) as PrivateLinkGrantResult;
const grant = async (privateEndpoints: string[]): Promise<PrivateLinkGrant> =>
  (await grantFor(registryId, privateEndpoints)) as PrivateLinkGrant;

describe('checking and granting the private-link permission', () => {
  test('the check names every private endpoint without the permission; a grant, run twice, cures them all', async () => {
    await expect(check()).resolves.toEqual({
      privateEndpoints: endpoints,
      missingAt: endpoints,
      principalId: APP_IDENTITY.objectId,
    });

    const first = await grant(endpoints);
    expect(first).toMatchObject({ roleCreated: true, principalId: APP_IDENTITY.objectId });
    expect(first.assignments.map((a) => [a.scope, a.created])).toEqual(endpoints.map((e) => [e, true]));

    // Run again, as after a lost answer: nothing new is made, the same ids come back.
    const again = await grant(endpoints);
    expect(again).toEqual({
      ...first,
      roleCreated: false,
      assignments: first.assignments.map((a) => ({ ...a, created: false })),
    });

    await expect(check()).resolves.toMatchObject({ missingAt: [] });
  });

  test('a grant for a registry outside the scope, or at an endpoint that is not the registry’s, writes nothing', async () => {
    const before = await armWrites();
    const outside = `/subscriptions/${fleet.subscriptionId}/resourceGroups/rg-other/providers/Microsoft.ContainerRegistry/registries/crgrant01`;
    const foreign = `/subscriptions/${fleet.subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-foreign`;

    const outOfScope = await grantFor(outside, endpoints);
    const notTheRegistrys = await grantFor(registryId, [foreign]);

    expect(outOfScope).toMatchObject({ refused: 'out-of-scope' });
    expect((outOfScope as PrivateLinkRefusal).reason).toMatch(/outside the scope/);
    expect(notTheRegistrys).toMatchObject({ refused: 'out-of-scope' });
    expect((notTheRegistrys as PrivateLinkRefusal).reason).toMatch(/is not a private endpoint of registry/);
    expect(await armWrites()).toBe(before);
  });
});
