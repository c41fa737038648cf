// The scope rule every ARM write obeys, whoever asked for it: the registry must be in REGISTRY_SCOPE.
// Shared by the scope check orchestrations make first and by the activities that write, which check
// again (defence in depth: an orchestration can be started directly, with any input).
import { registryScope } from '../../config/settings';
import { formatRegistryId, inScope, parseRegistryId, parseReplicaId, registryOfReplica } from '../../domain';
import type { RegistryId } from '../../domain';
import type { ScopeVerdict } from './scope.contract';

/** Whether the registry of a registry or replica resource id is in scope, by the settings as they are now. */
export function scopeVerdict(resourceId: string): ScopeVerdict {
  let registry: RegistryId;
  try {
    registry = resourceId.toLowerCase().includes('/replications/')
      ? registryOfReplica(parseReplicaId(resourceId))
      : parseRegistryId(resourceId);
  } catch {
    return { inScope: false, reason: 'it does not name a container registry or replica' };
  }
  if (inScope(registryScope(), registry)) return { inScope: true };
  return {
    inScope: false,
    reason: `registry ${formatRegistryId(registry)} is outside the scope this app manages (REGISTRY_SCOPE)`,
  };
}
