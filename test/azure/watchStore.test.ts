import { TableClient } from '@azure/data-tables';

import { WatchStore, watchPartition } from '../../src/azure/watchStore';
import { parseRegistryId } from '../../src/domain';
import type { ObservedReplica } from '../../src/domain/watch';
import { storageConnectionString, uniqueTableName } from '../support/storage';

const registryText =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-prod/providers/Microsoft.ContainerRegistry/registries/contosoacr';
const registry = parseRegistryId(registryText);
const other = parseRegistryId(registryText.replace('contosoacr', 'fabrikamacr'));

function replica(name: string, provisioningState: string, displayStatus?: string): ObservedReplica {
  return {
    name,
    replicaId: `${registryText}/replications/${name}`,
    provisioningState,
    ...(displayStatus === undefined ? {} : { displayStatus }),
  };
}

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();

describe('WatchStore on Azurite', () => {
  let table: TableClient;
  let store: WatchStore;

  beforeEach(() => {
    table = TableClient.fromConnectionString(storageConnectionString(), uniqueTableName('watch'), {
      allowInsecureConnection: true,
    });
    store = new WatchStore(table);
  });

  afterEach(async () => {
    await table.deleteTable();
  });

  test('a replica first seen provisioning keeps its first-seen time across later scans in the same state', async () => {
    const first = await store.observe(
      registry,
      [replica('westeurope', 'Succeeded', 'Ready'), replica('eastus', 'Creating', 'Provisioning')],
      at(0),
    );
    const later = await store.observe(
      registry,
      [replica('westeurope', 'Succeeded', 'Ready'), replica('eastus', 'Creating', 'Provisioning')],
      at(45),
    );

    expect(first).toEqual({ eastus: at(0) });
    expect(later).toEqual({ eastus: at(0) });
    expect(await store.watched(registry)).toEqual([
      {
        name: 'eastus',
        replicaId: `${registryText}/replications/eastus`,
        state: 'creating',
        firstSeenAt: at(0),
      },
    ]);
  });

  test('a change of state starts the clock again', async () => {
    await store.observe(registry, [replica('eastus', 'Creating')], at(0));

    const changed = await store.observe(registry, [replica('eastus', 'Updating')], at(30));
    const again = await store.observe(registry, [replica('eastus', 'Updating')], at(50));

    expect(changed).toEqual({ eastus: at(30) });
    expect(again).toEqual({ eastus: at(30) });
    expect((await store.watched(registry)).map((r) => r.state)).toEqual(['updating']);
  });

  test('a replica that reports Succeeded while its status still says Provisioning is watched', async () => {
    const seen = await store.observe(registry, [replica('eastus', 'Succeeded', 'Provisioning')], at(0));

    expect(seen).toEqual({ eastus: at(0) });
  });

  test('terminal and vanished replicas stop being watched', async () => {
    await store.observe(
      registry,
      [replica('eastus', 'Creating'), replica('northeurope', 'Updating'), replica('westus2', 'Deleting')],
      at(0),
    );

    const next = await store.observe(
      registry,
      [replica('eastus', 'Succeeded', 'Ready'), replica('northeurope', 'Failed')],
      at(20),
    );

    expect(next).toEqual({});
    expect(await store.watched(registry)).toEqual([]);
  });

  test('observing the same scan twice (an activity that runs again) changes nothing more', async () => {
    await store.observe(registry, [replica('eastus', 'Creating'), replica('westus2', 'Creating')], at(0));
    const scan = [replica('eastus', 'Creating')];

    const once = await store.observe(registry, scan, at(10));
    const rowsOnce = await store.watched(registry);
    const twice = await store.observe(registry, scan, at(10));

    expect(twice).toEqual(once);
    expect(await store.watched(registry)).toEqual(rowsOnce);
    expect(rowsOnce.map((r) => r.name)).toEqual(['eastus']);
  });

  test('two scans racing over one registry leave it consistent (a row the other removed is no error)', async () => {
    await store.observe(registry, [replica('eastus', 'Creating'), replica('westus2', 'Creating')], at(0));
    const scan = [replica('eastus', 'Creating')];

    const results = await Promise.all([
      store.observe(registry, scan, at(10)),
      new WatchStore(table).observe(registry, scan, at(10)),
    ]);

    expect(results).toEqual([{ eastus: at(0) }, { eastus: at(0) }]);
    expect((await store.watched(registry)).map((r) => r.name)).toEqual(['eastus']);
  });

  test('registries are separate partitions, and more than one batch of rows is written whole', async () => {
    const many = Array.from({ length: 150 }, (_, i) =>
      replica(`region${String(i).padStart(3, '0')}`, 'Creating'),
    );

    await store.observe(registry, many, at(0));
    await store.observe(other, [replica('eastus', 'Creating')], at(5));

    expect(await store.watched(registry)).toHaveLength(150);
    expect(await store.watched(other)).toEqual([
      expect.objectContaining({ name: 'eastus', firstSeenAt: at(5) }),
    ]);
    expect(watchPartition(registry)).not.toEqual(watchPartition(other));
    const removed = await store.observe(registry, [], at(9));
    expect(removed).toEqual({});
    expect(await store.watched(registry)).toEqual([]);
  });

  test("one read of a subscription gives each of its registries' rows, and none of another subscription's", async () => {
    const elsewhere = parseRegistryId(
      registryText.replace('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'),
    );
    const quiet = parseRegistryId(registryText.replace('contosoacr', 'quietacr'));
    await store.observe(registry, [replica('eastus', 'Creating'), replica('uksouth', 'Updating')], at(0));
    await store.observe(other, [replica('eastus', 'Creating')], at(5));
    await store.observe(elsewhere, [replica('eastus', 'Creating')], at(7));

    const of = await store.watchedIn(registry.subscriptionId.toUpperCase(), 10);
    expect(of).toBeDefined();
    const sorted = (rows: Awaited<ReturnType<WatchStore['watched']>>) =>
      [...rows].sort((a, b) => a.name.localeCompare(b.name));
    expect(sorted(of!(registry))).toEqual(sorted(await store.watched(registry)));
    expect(of!(other)).toEqual(await store.watched(other));
    expect(of!(quiet)).toEqual([]);
    // Another subscription's registry is not in this read (its own rows are still there).
    expect(of!(elsewhere)).toEqual([]);
    expect(await store.watched(elsewhere)).toHaveLength(1);
  });

  test('a subscription with more rows than one read may take is left to per-registry reads', async () => {
    await store.observe(registry, [replica('eastus', 'Creating'), replica('uksouth', 'Updating')], at(0));
    await store.observe(other, [replica('eastus', 'Creating')], at(5));
    expect(await store.watchedIn(registry.subscriptionId, 2)).toBeUndefined();
    expect(await store.watchedIn(registry.subscriptionId, 3)).toBeDefined();
  });
});
