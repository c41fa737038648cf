// How the app sees a registry and a replica in Azure Resource Manager: plain data, read by the adapters
// and handed on through activities to orchestrations and answers.

export type ProvisioningState = 'Creating' | 'Updating' | 'Deleting' | 'Succeeded' | 'Failed' | 'Canceled';

export interface RegistryView {
  id: string;
  name: string;
  location: string;
  sku: string;
  tags: Record<string, string>;
  privateEndpointConnections: number;
  /** Resource ids of the private endpoints connected to the registry. */
  privateEndpoints: string[];
}

export interface ReplicaView {
  id: string;
  name: string;
  location: string;
  /** ARM may add states; known ones are listed in ProvisioningState. */
  provisioningState: string;
  displayStatus?: string;
  statusMessage?: string;
  regionEndpointEnabled: boolean;
  zoneRedundancy: 'Enabled' | 'Disabled';
  tags: Record<string, string>;
}

/** Geo-replication, and so everything this app does to replicas, needs a Premium registry. */
export function isPremium(registry: { sku: string }): boolean {
  return registry.sku.toLowerCase() === 'premium';
}

/** How many of a registry's replicas are in each kind of state. */
export interface ReplicaSummary {
  total: number;
  succeeded: number;
  inProgress: number;
  failed: number;
}

export function summariseReplicas(replicas: readonly ReplicaView[]): ReplicaSummary {
  const summary: ReplicaSummary = { total: replicas.length, succeeded: 0, inProgress: 0, failed: 0 };
  for (const replica of replicas) {
    const state = replica.provisioningState.toLowerCase();
    if (state === 'succeeded') summary.succeeded += 1;
    else if (state === 'failed' || state === 'canceled') summary.failed += 1;
    else summary.inProgress += 1;
  }
  return summary;
}
