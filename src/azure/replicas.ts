// Registries and their replicas in Azure Resource Manager (Microsoft.ContainerRegistry). Reads return
// plain views; writes only start ARM's long-running operation and return, because waiting is the
// orchestrator's job (durable timers), never an activity's.
import type { Registry, Replication } from '@azure/arm-containerregistry';
import { RestError } from '@azure/core-rest-pipeline';

import { normaliseRegion } from '../domain';
import type { RegistryId, RegistryView, ReplicaId, ReplicaSettings, ReplicaView } from '../domain';
import type { ArmClients } from './armClients';

export class ReplicaGateway {
  constructor(private readonly clients: ArmClients) {}

  async getRegistry(registry: RegistryId): Promise<RegistryView | undefined> {
    return orUndefinedWhenAbsent(async () =>
      toRegistryView(
        await this.clients
          .containerRegistry(registry.subscriptionId)
          .registries.get(registry.resourceGroup, registry.registryName),
      ),
    );
  }

  async listRegistries(subscriptionId: string, resourceGroup?: string): Promise<RegistryView[]> {
    const operations = this.clients.containerRegistry(subscriptionId).registries;
    const pages =
      resourceGroup === undefined ? operations.list() : operations.listByResourceGroup(resourceGroup);
    const views: RegistryView[] = [];
    for await (const registry of pages) views.push(toRegistryView(registry));
    return views;
  }

  /** One page of a subscription's (or resource group's) registries, from ARM's continuation link. */
  async listRegistriesPage(
    subscriptionId: string,
    resourceGroup: string | undefined,
    continuationToken: string | undefined,
  ): Promise<{ registries: RegistryView[]; next?: string }> {
    const operations = this.clients.containerRegistry(subscriptionId).registries;
    const pages = (
      resourceGroup === undefined ? operations.list() : operations.listByResourceGroup(resourceGroup)
    ).byPage(continuationToken === undefined ? {} : { continuationToken });
    const page = await pages.next();
    if (page.done === true) return { registries: [] };
    const next = page.value.continuationToken;
    return { registries: page.value.map(toRegistryView), ...(next === undefined ? {} : { next }) };
  }

  async listReplicas(registry: RegistryId): Promise<ReplicaView[]> {
    const views: ReplicaView[] = [];
    const pages = this.clients
      .containerRegistry(registry.subscriptionId)
      .replications.list(registry.resourceGroup, registry.registryName);
    for await (const replica of pages) views.push(toReplicaView(replica));
    return views;
  }

  async getReplica(replica: ReplicaId): Promise<ReplicaView | undefined> {
    return orUndefinedWhenAbsent(async () =>
      toReplicaView(
        await this.clients
          .containerRegistry(replica.subscriptionId)
          .replications.get(replica.resourceGroup, replica.registryName, replica.replicaName),
      ),
    );
  }

  /** Sends the PUT and returns once ARM has accepted it. */
  async startCreate(replica: ReplicaId, location: string, settings: ReplicaSettings): Promise<void> {
    const poller = this.clients
      .containerRegistry(replica.subscriptionId)
      .replications.create(replica.resourceGroup, replica.registryName, replica.replicaName, {
        location,
        tags: settings.tags,
        regionEndpointEnabled: settings.regionEndpointEnabled,
        zoneRedundancy: settings.zoneRedundancy,
      });
    await poller.submitted();
  }

  /** Sends the PATCH and returns once ARM has accepted it. */
  async startUpdate(
    replica: ReplicaId,
    update: { regionEndpointEnabled?: boolean; tags?: Record<string, string> },
  ): Promise<void> {
    const poller = this.clients
      .containerRegistry(replica.subscriptionId)
      .replications.update(replica.resourceGroup, replica.registryName, replica.replicaName, update);
    await poller.submitted();
  }

  /** Sends the DELETE and returns once ARM has accepted it (or the replica was already gone). */
  async startDelete(replica: ReplicaId): Promise<void> {
    const poller = this.clients
      .containerRegistry(replica.subscriptionId)
      .replications.delete(replica.resourceGroup, replica.registryName, replica.replicaName);
    await poller.submitted();
  }

  /** Region names offered to a subscription. */
  async listLocations(subscriptionId: string): Promise<string[]> {
    const names: string[] = [];
    for await (const location of this.clients.subscriptions().subscriptions.listLocations(subscriptionId)) {
      if (location.name !== undefined) names.push(location.name.toLowerCase());
    }
    return names;
  }
}

export function isAbsent(error: unknown): boolean {
  return error instanceof RestError && error.statusCode === 404;
}

async function orUndefinedWhenAbsent<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isAbsent(error)) return undefined;
    throw error;
  }
}

function toRegistryView(registry: Registry): RegistryView {
  return {
    id: registry.id ?? '',
    name: registry.name ?? '',
    location: normaliseRegion(registry.location),
    sku: registry.sku.name,
    tags: registry.tags ?? {},
    privateEndpointConnections: registry.privateEndpointConnections?.length ?? 0,
    privateEndpoints: (registry.privateEndpointConnections ?? []).flatMap((connection) =>
      connection.privateEndpoint?.id === undefined ? [] : [connection.privateEndpoint.id],
    ),
  };
}

function toReplicaView(replica: Replication): ReplicaView {
  return {
    id: replica.id ?? '',
    name: replica.name ?? '',
    location: normaliseRegion(replica.location),
    provisioningState: replica.provisioningState ?? 'Succeeded',
    ...(replica.status?.displayStatus === undefined ? {} : { displayStatus: replica.status.displayStatus }),
    ...(replica.status?.message === undefined ? {} : { statusMessage: replica.status.message }),
    regionEndpointEnabled: replica.regionEndpointEnabled ?? true,
    zoneRedundancy: replica.zoneRedundancy === 'Enabled' ? 'Enabled' : 'Disabled',
    tags: replica.tags ?? {},
  };
}
