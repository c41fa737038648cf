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
