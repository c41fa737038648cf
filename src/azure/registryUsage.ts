// How much content a registry holds, from ARM's quota usages: replica creation time grows with it, so
// plans estimate from it. Advisory only: when the usages cannot be read, the size is unknown, not an error.
import { RestError } from '@azure/core-rest-pipeline';

import type { RegistryId } from '../domain';
import type { ArmClients } from './armClients';

const GIB = 1024 ** 3;

/** The registry's content size in GiB, or undefined when ARM does not say (or the app may not ask). */
export async function registrySizeGiB(
  clients: ArmClients,
  registry: RegistryId,
): Promise<number | undefined> {
  try {
    const usages = await clients
      .containerRegistry(registry.subscriptionId)
      .registries.listUsages(registry.resourceGroup, registry.registryName);
    const size = (usages.value ?? []).find(
      (usage) => usage.name?.toLowerCase() === 'size' && usage.unit?.toLowerCase() === 'bytes',
    );
    return size?.currentValue === undefined ? undefined : size.currentValue / GIB;
  } catch (error) {
    if (error instanceof RestError) return undefined;
    throw error;
  }
}
