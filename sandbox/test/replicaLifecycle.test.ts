// Replica operations decided and observed without HTTP, on a clock the test moves.
import { createClock } from '../clock';
import type { LifecycleEnv, ReplicaSettings } from '../replicaLifecycle';
import {
  PRIVATE_LINK_PROXY_WRITE,
  operationStatus,
  settleRegistry,
  startCreate,
  startDelete,
  startUpdate,
  viewReplica,
} from '../replicaLifecycle';
import { newRegistry } from '../registries';
import type { OperationRecord, RegistryRecord } from '../state';
import type { Principal } from '../types';

const CREATOR: Principal = {
  objectId: 'creator-oid',
  appId: 'creator-app',
  clientId: 'creator-app',
  displayName: 'creator',
  type: 'ServicePrincipal',
};
const PE_A = '/subscriptions/s/resourceGroups/net-a/providers/Microsoft.Network/privateEndpoints/pe-a';
const PE_B = '/subscriptions/s/resourceGroups/net-b/providers/Microsoft.Network/privateEndpoints/pe-b';
const SETTINGS: ReplicaSettings = {
  location: 'northeurope',
  tags: {},
  regionEndpointEnabled: true,
  zoneRedundancy: 'Disabled',
};
const TIMINGS = {
  createSeconds: 10,
  createSecondsPerGiB: 2,
  updateSeconds: 5,
  deleteSeconds: 4,
  // Syncing after a create has its own tests (replicaSyncing.test.ts).
  syncSeconds: 0,
  syncSecondsPerGiB: 0,
};

function setup(options: { sizeGiB?: number; privateEndpoints?: string[]; grants?: string[] } = {}): {
  registry: RegistryRecord;
  env: LifecycleEnv;
  advance: (seconds: number) => void;
} {
  let wall = 0;
  const clock = createClock(1, () => wall);
  const registry = newRegistry({
    id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/crunit01',
    subscriptionId: 's',
    resourceGroup: 'g',
    name: 'crunit01',
    location: 'westeurope',
    sku: 'Premium',
    tags: {},
    privateEndpoints: options.privateEndpoints ?? [],
    sizeGiB: options.sizeGiB ?? 0,
    createdBy: CREATOR,
    wallNow: 0,
  });
  const env: LifecycleEnv = {
    operations: new Map<string, OperationRecord>(),
    clock,
    timings: TIMINGS,
    listLagMs: 0,
    isAllowed: (_principal, scope, action) =>
      action === PRIVATE_LINK_PROXY_WRITE && (options.grants ?? []).includes(scope),
    takeReplicationFailure: () => undefined,
  };
  return { registry, env, advance: (seconds) => (wall += seconds * 1000) };
}

describe('replica lifecycle', () => {
  it('creates in base time plus time per GiB, Creating until then and Ready after', () => {
    const { registry, env, advance } = setup({ sizeGiB: 5 });
    const { replica } = startCreate(registry, 'northeurope', SETTINGS, CREATOR, '2025-11-01', env);

    advance(19.9);
    expect(viewReplica(replica, env)).toMatchObject({
      provisioningState: 'Creating',
      displayStatus: 'Provisioning',
    });
    advance(0.1);
    expect(viewReplica(replica, env)).toMatchObject({
      provisioningState: 'Succeeded',
      displayStatus: 'Ready',
    });
  });

  it('sticks when the creator lacks the private-link permission on any one of the private endpoints', () => {
    const { registry, env, advance } = setup({ privateEndpoints: [PE_A, PE_B], grants: [PE_A] });
    const { replica, operation } = startCreate(registry, 'northeurope', SETTINGS, CREATOR, '2025-11-01', env);

    advance(1e9);

    expect(viewReplica(replica, env).provisioningState).toBe('Creating');
    expect(operationStatus(operation, env.clock.now())).toBe('InProgress');
  });

  it('does not stick when the creator holds the permission on every private endpoint', () => {
    const { registry, env, advance } = setup({ privateEndpoints: [PE_A, PE_B], grants: [PE_A, PE_B] });
    const { replica } = startCreate(registry, 'northeurope', SETTINGS, CREATOR, '2025-11-01', env);

    advance(10);

    expect(viewReplica(replica, env).provisioningState).toBe('Succeeded');
  });

  it('cancels a create under way when the replica is deleted, and removes it once the delete is done', () => {
    const { registry, env, advance } = setup({ privateEndpoints: [PE_A] });
    const { replica, operation: create } = startCreate(
      registry,
      'northeurope',
      SETTINGS,
      CREATOR,
      '2025-11-01',
      env,
    );
    advance(1);

    const deletion = startDelete(registry, replica, '2025-11-01', env);

    expect(operationStatus(create, env.clock.now())).toBe('Canceled');
    expect(viewReplica(replica, env).provisioningState).toBe('Deleting');
    advance(4);
    settleRegistry(registry, env);
    expect(registry.replicas.has('northeurope')).toBe(false);
    expect(registry.deletedReplicas.get('northeurope')).toBe(deletion.startedAt + 4000);
  });

  it('applies an update at once and reports Updating until the operation ends', () => {
    const { registry, env, advance } = setup();
    const { replica } = startCreate(registry, 'northeurope', SETTINGS, CREATOR, '2025-11-01', env);
    advance(10);
    const editor: Principal = { ...CREATOR, objectId: 'editor-oid' };

    startUpdate(
      registry,
      replica,
      { tags: { a: 'b' }, regionEndpointEnabled: false },
      editor,
      '2025-11-01',
      env,
    );

    expect(replica).toMatchObject({
      tags: { a: 'b' },
      regionEndpointEnabled: false,
      systemData: { createdBy: 'creator-oid', lastModifiedBy: 'editor-oid' },
    });
    expect(viewReplica(replica, env).provisioningState).toBe('Updating');
    advance(5);
    expect(viewReplica(replica, env).provisioningState).toBe('Succeeded');
  });

  it('ends Failed with the fault rule’s error when one applies', () => {
    const { registry, env, advance } = setup();
    const failing: LifecycleEnv = {
      ...env,
      takeReplicationFailure: () => ({ code: 'QuotaExceeded', message: 'No capacity.' }),
    };
    const { replica } = startCreate(registry, 'northeurope', SETTINGS, CREATOR, '2025-11-01', failing);

    advance(10);

    expect(viewReplica(replica, env)).toMatchObject({
      provisioningState: 'Failed',
      displayStatus: 'Failed',
      message: 'No capacity.',
    });
  });
});
