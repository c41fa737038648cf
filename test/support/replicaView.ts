// A replica as the gateway reports it, for tests of what the app makes of ARM's answers.
import type { ReplicaView } from '../../src/domain';

const REGISTRY = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/cr';

/** A healthy replica in `location` (of a registry `cr` unless `settings.id` says otherwise). */
export function replicaView(location: string, settings: Partial<ReplicaView> = {}): ReplicaView {
  return {
    id: `${REGISTRY}/replications/${location}`,
    name: location,
    location,
    provisioningState: 'Succeeded',
    regionEndpointEnabled: true,
    zoneRedundancy: 'Disabled',
    tags: {},
    ...settings,
  };
}
