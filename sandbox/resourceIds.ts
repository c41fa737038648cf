// Building and parsing the resource ids the sandbox serves. ARM treats ids case-insensitively; keys
// used for lookups are lower-cased, while responses keep the casing resources were created with.

export interface RegistryRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

export interface ResourceGroupRef {
  subscriptionId: string;
  resourceGroup: string;
}

export const REGISTRY_TYPE = 'Microsoft.ContainerRegistry/registries';
export const REPLICATION_TYPE = 'Microsoft.ContainerRegistry/registries/replications';
export const PRIVATE_ENDPOINT_CONNECTION_TYPE =
  'Microsoft.ContainerRegistry/registries/privateEndpointConnections';

const REGISTRY_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerRegistry\/registries\/([^/]+)$/i;
const RESOURCE_GROUP_SCOPED = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)(?:\/|$)/i;

export function subscriptionScope(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId}`;
}

export function resourceGroupScope(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}

export function registryId(ref: RegistryRef): string {
  return `${resourceGroupScope(ref.subscriptionId, ref.resourceGroup)}/providers/${REGISTRY_TYPE}/${ref.name}`;
}

export function replicationId(registry: RegistryRef, replicationName: string): string {
  return `${registryId(registry)}/replications/${replicationName}`;
}

export function parseRegistryId(id: string): RegistryRef | undefined {
  const match = REGISTRY_ID.exec(id);
  if (!match) return undefined;
  const [, subscriptionId, resourceGroup, name] = match as unknown as [string, string, string, string];
  return { subscriptionId, resourceGroup, name };
}

/** The subscription and resource group of any resource-group-scoped id. */
export function parseResourceGroupScoped(id: string): ResourceGroupRef | undefined {
  const match = RESOURCE_GROUP_SCOPED.exec(id);
  if (!match) return undefined;
  const [, subscriptionId, resourceGroup] = match as unknown as [string, string, string];
  return { subscriptionId, resourceGroup };
}

/** The last segment of a resource id. */
export function resourceName(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

export function key(value: string): string {
  return value.toLowerCase();
}
