import { PRIVATE_LINK_ACTION, healPlan } from '../../src/domain';
import type { ReplicaView } from '../../src/domain';

const stuck: ReplicaView = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr/replications/westus',
  name: 'westus',
  location: 'westus',
  provisioningState: 'Creating',
  regionEndpointEnabled: false,
  zoneRedundancy: 'Enabled',
  tags: { team: 'platform', env: 'prod' },
};
const access = { principalId: 'oid-app', missingAt: ['/pe/one', '/pe/two'] };

test('a missing permission is granted and awaited before the replica is deleted and created again', () => {
  expect(healPlan('missing-private-link-permission', stuck, access)).toEqual([
    "capture the replica's settings (westus, zone redundancy Enabled, regional endpoint disabled, 2 tags)",
    `ensure the least-privilege custom role holding only ${PRIVATE_LINK_ACTION}`,
    "assign it to the app's identity (oid-app) at /pe/one, /pe/two",
    'wait until the permission is effective (if it never is, stop here and leave the replica as it is)',
    'delete replica westus and wait until it is gone',
    'create replica westus again in westus with the captured settings (waiting as long as Azure says when it still holds the name) and wait for Succeeded',
  ]);
});

test('a failed replica is deleted and created again without touching permissions the app holds', () => {
  const plan = healPlan('failed', stuck, { ...access, missingAt: [] });
  expect(plan).toHaveLength(3);
  expect(plan.join('\n')).not.toContain(PRIVATE_LINK_ACTION);
});

test('a failed replica on a registry whose endpoints lack the permission gets it first, so its successor is not stuck', () => {
  const plan = healPlan('failed', stuck, access);
  expect(plan).toHaveLength(6);
  expect(plan.findIndex((line) => line.startsWith('assign it'))).toBeLessThan(
    plan.findIndex((line) => line.startsWith('delete')),
  );
});

test('healthy and slow replicas are left alone', () => {
  expect(healPlan('healthy', stuck, access)).toEqual(['nothing to do: the replica is healthy']);
  expect(healPlan('slow', stuck, access)).toEqual([
    'nothing: the replica is still provisioning and progressing; report it',
  ]);
});
