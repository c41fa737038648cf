import { InvocationContext } from '@azure/functions';

import { checkPrivateLink, grantPrivateLink } from '../../../src/app/privateLink/privateLink.activities';
import type { PrivateLinkCheck, PrivateLinkGrant } from '../../../src/app/privateLink/privateLink.contract';
import { APP_IDENTITY, launcherSandbox, seedFleet } from '../../support/appFleet';
import type { TestFleet } from '../../support/appFleet';
import { grantRbacAdministration } from '../../support/rbacAdministration';

// The activities run in this process against the launcher's ARM sandbox, with the app's production
// credential; the app identity may write role definitions and assign roles in this subscription.

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
});

const check = async (): Promise<PrivateLinkCheck> =>
  (await checkPrivateLink({ registryId }, new InvocationContext())) as PrivateLinkCheck;
const grant = async (privateEndpoints: string[]): Promise<PrivateLinkGrant> =>
  (await grantPrivateLink({ privateEndpoints }, new InvocationContext())) as PrivateLinkGrant;

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
});
