import { isPremium, summariseReplicas } from '../../src/domain';
import type { ReplicaView } from '../../src/domain';

function replica(provisioningState: string): ReplicaView {
  return {
    id: `/replications/${provisioningState}`,
    name: provisioningState,
    location: 'westeurope',
    provisioningState,
    regionEndpointEnabled: true,
    zoneRedundancy: 'Disabled',
    tags: {},
  };
}

test('only a Premium registry, in any case, can hold replicas', () => {
  expect(isPremium({ sku: 'Premium' })).toBe(true);
  expect(isPremium({ sku: 'premium' })).toBe(true);
  expect(isPremium({ sku: 'Standard' })).toBe(false);
  expect(isPremium({ sku: 'Basic' })).toBe(false);
});

test('a summary counts Succeeded, Failed or Canceled, and everything else as in progress', () => {
  const states = [
    'Succeeded',
    'succeeded',
    'Failed',
    'Canceled',
    'Creating',
    'Updating',
    'Deleting',
    'Moving',
  ];
  expect(summariseReplicas(states.map(replica))).toEqual({
    total: 8,
    succeeded: 2,
    failed: 2,
    inProgress: 4,
  });
  expect(summariseReplicas([])).toEqual({ total: 0, succeeded: 0, failed: 0, inProgress: 0 });
});
