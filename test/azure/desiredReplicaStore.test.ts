import { TableClient } from '@azure/data-tables';

import {
  DeclarationConflictError,
  DeclarationStoreUnavailableError,
  DesiredReplicaStore,
} from '../../src/azure/desiredReplicaStore';
import type { DeclarationVersion } from '../../src/azure/desiredReplicaStore';
import { diffDeclarations, parseDesiredReplicaSet, parseRegistryId } from '../../src/domain';
import type { DesiredReplicaSet } from '../../src/domain';
import { storageConnectionString, uniqueTableName, unreachableTableClient } from '../support/storage';

const registryText =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-prod/providers/Microsoft.ContainerRegistry/registries/contosoacr';
const registry = parseRegistryId(registryText);
const other = parseRegistryId(registryText.replace('contosoacr', 'fabrikamacr'));

const v1 = parseDesiredReplicaSet({ replicas: [{ location: 'eastus' }] });
const v2 = parseDesiredReplicaSet({
  replicas: [{ location: 'eastus' }, { location: 'uksouth' }],
  drift: 'auto',
});

function version(
  number: number,
  declaration: DesiredReplicaSet | undefined,
  before: DesiredReplicaSet | undefined,
): DeclarationVersion {
  return {
    version: number,
    ...(declaration === undefined ? {} : { declaration }),
    homeRegion: 'westeurope',
    changedBy: { id: 'oid-alice', name: 'alice' },
    changedAt: new Date(Date.UTC(2026, 10, 25, 10, number)).toISOString(),
    change: declaration === undefined ? 'delete' : 'put',
    diff: diffDeclarations(before, declaration),
  };
}

describe('DesiredReplicaStore on Azurite', () => {
  let table: TableClient;
  let store: DesiredReplicaStore;

  beforeEach(() => {
    table = TableClient.fromConnectionString(storageConnectionString(), uniqueTableName('desired'), {
      allowInsecureConnection: true,
    });
    store = new DesiredReplicaStore(table);
  });

  afterEach(async () => {
    await table.deleteTable();
  });

  test('a registry without a declaration reads as version 0, with nothing current', async () => {
    expect(await store.read(registry)).toEqual({ version: 0 });
    expect(await store.readForSweep(registry)).toEqual({});
    expect(await store.history(registry, 10)).toEqual([]);
  });

  test('a written version reads back whole, and only for its own registry', async () => {
    await store.write(registry, {}, version(1, v1, undefined));

    const read = await store.read(registry);
    expect(read).toMatchObject({ version: 1, current: version(1, v1, undefined) });
    expect(typeof read.rowEtag).toBe('string');
    expect(await store.read(other)).toEqual({ version: 0 });
  });

  test('a write holds only while the current row is as it was read: a second creator and a stale replacement both lose', async () => {
    const empty = await store.read(registry);
    await store.write(registry, empty, version(1, v1, undefined));
    const first = await store.read(registry);
    await store.write(registry, first, version(2, v2, v1));

    await expect(store.write(registry, empty, version(2, v2, v1))).rejects.toBeInstanceOf(
      DeclarationConflictError,
    );
    await expect(store.write(registry, first, version(3, v1, v2))).rejects.toBeInstanceOf(
      DeclarationConflictError,
    );
    expect((await store.read(registry)).current?.declaration).toEqual(v2);
  });

  test('two writers racing from the same read: exactly one wins', async () => {
    await store.write(registry, {}, version(1, v1, undefined));
    const read = await store.read(registry);

    const outcomes = await Promise.allSettled([
      store.write(registry, read, version(2, v2, v1)),
      store.write(registry, read, version(2, v1, v1)),
    ]);

    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(lost?.reason).toBeInstanceOf(DeclarationConflictError);
  });

  test('a delete is a version without a declaration: nothing is current, the history keeps every version newest first', async () => {
    await store.write(registry, {}, version(1, v1, undefined));
    await store.write(registry, await store.read(registry), version(2, v2, v1));
    await store.write(registry, await store.read(registry), version(3, undefined, v2));

    const read = await store.read(registry);
    expect([read.version, read.current]).toEqual([3, undefined]);
    const history = await store.history(registry, 10);
    expect(
      history.map(
        (v) =>
          `${v.version}:${v.change}:${v.declaration === undefined ? '-' : v.declaration.replicas.length}`,
      ),
    ).toEqual(['3:delete:-', '2:put:2', '1:put:1']);
    expect(history[0]!.diff.removed).toEqual(['eastus', 'uksouth']);
    expect(await store.history(registry, 2)).toHaveLength(2);

    // After a delete, a new declaration is the next version, never a reused one.
    await store.write(registry, read, version(4, v1, undefined));
    expect((await store.read(registry)).current?.version).toBe(4);
  });

  test('the sweep reads the declaration and the drift last reported in one query; a report replaces the one before', async () => {
    await store.write(registry, {}, version(1, v1, undefined));
    expect(await store.readForSweep(registry)).toEqual({ current: version(1, v1, undefined) });

    await store.recordReportedDrift(registry, { digest: 'abc', reportedAt: '2026-11-25T10:00:00.000Z' });
    await store.recordReportedDrift(registry, { digest: 'def', reportedAt: '2026-11-25T10:15:00.000Z' });

    expect(await store.readForSweep(registry)).toEqual({
      current: version(1, v1, undefined),
      reported: { digest: 'def', reportedAt: '2026-11-25T10:15:00.000Z' },
    });
    // The drift row is not a version.
    expect(await store.history(registry, 10)).toHaveLength(1);
  });

  test("one read of a subscription gives what the sweep reads of each registry, and nothing of another subscription's", async () => {
    const elsewhere = parseRegistryId(
      registryText.replace('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'),
    );
    const undeclared = parseRegistryId(registryText.replace('contosoacr', 'quietacr'));
    await store.write(registry, {}, version(1, v1, undefined));
    await store.write(registry, await store.read(registry), version(2, v2, v1));
    await store.recordReportedDrift(registry, { digest: 'abc', reportedAt: '2026-11-25T10:00:00.000Z' });
    await store.write(other, {}, version(1, v1, undefined));
    await store.write(elsewhere, {}, version(1, v2, undefined));

    const of = await store.readSubscriptionForSweep(registry.subscriptionId, 10);
    expect(of).toBeDefined();
    expect(of!(registry)).toEqual(await store.readForSweep(registry));
    expect(of!(registry).current?.version).toBe(2);
    expect(of!(other)).toEqual(await store.readForSweep(other));
    expect(of!(undeclared)).toEqual({});
    expect(of!(elsewhere)).toEqual({});
    // Versions are not what a sweep reads: three rows here (two current, one drift), not five.
    expect(await store.readSubscriptionForSweep(registry.subscriptionId, 2)).toBeUndefined();
    expect(await store.readSubscriptionForSweep(registry.subscriptionId, 3)).toBeDefined();
  });

  test('a table that cannot be reached is reported as unavailable, not as a missing declaration', async () => {
    const unreachable = new DesiredReplicaStore(unreachableTableClient('unreachable'));
    await expect(unreachable.read(registry)).rejects.toBeInstanceOf(DeclarationStoreUnavailableError);
  });
});
