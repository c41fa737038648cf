// The sandbox's resources. Plain records; what a replica looks like at a given moment is computed from
// them by replicaLifecycle.ts, lazily, from the virtual clock.
import type { ManagedIdentityDirectory } from './identity';
import { key } from './resourceIds';
import type { Principal } from './types';

export type IdentityType = 'User' | 'Application' | 'ManagedIdentity' | 'Key';

export interface SystemData {
  createdBy: string;
  createdByType: IdentityType;
  /** ISO timestamp (wall clock). */
  createdAt: string;
  lastModifiedBy: string;
  lastModifiedByType: IdentityType;
  lastModifiedAt: string;
}

export type OperationKind = 'create' | 'update' | 'delete';

/** A long-running replica operation; its status follows from the virtual clock. */
export interface OperationRecord {
  id: string;
  kind: OperationKind;
  subscriptionId: string;
  /** Key of the registry (lower-cased id). */
  registryKey: string;
  replicaName: string;
  location: string;
  /** Virtual milliseconds. */
  startedAt: number;
  /** Wall-clock milliseconds, for timestamps shown to callers. */
  wallStartedAt: number;
  /** Virtual milliseconds; Infinity for an operation that never completes. */
  durationMs: number;
  outcome: 'Succeeded' | 'Failed';
  error?: { code: string; message: string };
  /** Virtual time at which a later operation (a delete) superseded this one. */
  canceledAt?: number;
  /** api-version of the request that started it, echoed in polling URLs. */
  apiVersion: string;
  /** For a create that succeeds: how long (virtual ms) the new replica then shows "Syncing". */
  syncMs?: number;
}

export interface ReplicaRecord {
  name: string;
  location: string;
  tags: Record<string, string>;
  regionEndpointEnabled: boolean;
  zoneRedundancy: 'Enabled' | 'Disabled';
  systemData: SystemData;
  /** The latest operation on the replica; absent for the home replica and seeded ready replicas. */
  operationId?: string;
  /** Wall-clock ms at which the replica became what it is, when no operation tells. */
  wallSince: number;
  /** Virtual ms from which list answers include the replica (lists lag behind a create). */
  listedFrom?: number;
}

export interface RegistryRecord {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  sku: 'Basic' | 'Standard' | 'Premium';
  tags: Record<string, string>;
  privateEndpoints: string[];
  sizeGiB: number;
  systemData: SystemData;
  creationDate: string;
  /** Keyed by lower-cased replica name. */
  replicas: Map<string, ReplicaRecord>;
  /** Lower-cased replica name → virtual time its deletion completed. */
  deletedReplicas: Map<string, number>;
}

export interface SubscriptionRecord {
  subscriptionId: string;
  displayName: string;
  locations: string[];
  /** Lower-cased name → name as created. */
  resourceGroups: Map<string, string>;
}

export class SandboxState implements ManagedIdentityDirectory {
  readonly principals = new Map<string, Principal & { systemAssigned: boolean }>();
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  readonly registries = new Map<string, RegistryRecord>();
  readonly operations = new Map<string, OperationRecord>();

  constructor(readonly tenantId: string) {}

  principal(objectId: string): Principal | undefined {
    return this.principals.get(key(objectId));
  }

  systemAssigned(): Principal | undefined {
    return [...this.principals.values()].find((p) => p.systemAssigned);
  }

  byClientId(clientId: string): Principal | undefined {
    return [...this.principals.values()].find((p) => key(p.clientId) === key(clientId));
  }

  byObjectId(objectId: string): Principal | undefined {
    return this.principal(objectId);
  }

  byResourceId(resourceId: string): Principal | undefined {
    return [...this.principals.values()].find(
      (p) => p.resourceId !== undefined && key(p.resourceId) === key(resourceId),
    );
  }

  subscription(subscriptionId: string): SubscriptionRecord | undefined {
    return this.subscriptions.get(key(subscriptionId));
  }

  resourceGroupExists(subscriptionId: string, resourceGroup: string): boolean {
    return this.subscription(subscriptionId)?.resourceGroups.has(key(resourceGroup)) ?? false;
  }

  registry(id: string): RegistryRecord | undefined {
    return this.registries.get(key(id));
  }

  registriesIn(subscriptionId: string, resourceGroup?: string): RegistryRecord[] {
    return [...this.registries.values()].filter(
      (r) =>
        key(r.subscriptionId) === key(subscriptionId) &&
        (resourceGroup === undefined || key(r.resourceGroup) === key(resourceGroup)),
    );
  }
}

/** systemData's identity type for a principal (service principals, managed identities included, count as Application). */
export function identityTypeOf(principal: Principal): IdentityType {
  return principal.type === 'User' ? 'User' : 'Application';
}

export function createdSystemData(principalId: string, type: IdentityType, wallMs: number): SystemData {
  const at = new Date(wallMs).toISOString();
  return {
    createdBy: principalId,
    createdByType: type,
    createdAt: at,
    lastModifiedBy: principalId,
    lastModifiedByType: type,
    lastModifiedAt: at,
  };
}

export function modifiedSystemData(previous: SystemData, principal: Principal, wallMs: number): SystemData {
  return {
    ...previous,
    lastModifiedBy: principal.objectId,
    lastModifiedByType: identityTypeOf(principal),
    lastModifiedAt: new Date(wallMs).toISOString(),
  };
}
