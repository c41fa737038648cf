import { TableClient } from '@azure/data-tables';

import { ContainerClient } from '@azure/storage-blob';

import { AuditAnchors } from '../../src/azure/auditAnchors';
import { AuditStore, AuditUnavailableError } from '../../src/azure/auditStore';
import type { AuditRecord } from '../../src/domain/audit';
import { auditAnchorBlobName, auditPartition } from '../../src/domain/audit';
import { storageConnectionString, uniqueTableName } from '../support/storage';

const registry =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-prod/providers/Microsoft.ContainerRegistry/registries/contosoacr';
const replica = `${registry}/replications/westeurope`;

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    time: '2026-11-25T10:00:00.000Z',
    actor: { id: 'oid-alice', name: 'alice@contoso.com' },
    channel: 'api',
    operation: 'create',
    target: replica,
    instanceId: 'replica-op-1',
    step: 'requested',
    outcome: 'accepted',
    ...overrides,
  };
}

function at(minute: number): string {
  return new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();
}

describe('AuditStore on Azurite', () => {
  let table: TableClient;
  let store: AuditStore;

  beforeEach(() => {
    table = TableClient.fromConnectionString(storageConnectionString(), uniqueTableName('audit'), {
      allowInsecureConnection: true,
    });
    store = new AuditStore(table);
  });

  afterEach(async () => {
    await table.deleteTable();
  });

  test('lists a registry’s entries newest first, each linked to the one before', async () => {
    await store.append(record({ time: at(1), step: 'requested' }), 'e1');
    await store.append(record({ time: at(2), step: 'arm-started', outcome: 'started' }), 'e2');
    await store.append(record({ time: at(3), step: 'completed', outcome: 'succeeded' }), 'e3');

    const page = await store.list({ target: registry });

    expect(page.entries.map((e) => e.step)).toEqual(['completed', 'arm-started', 'requested']);
    expect(page.entries.map((e) => e.sequence)).toEqual([3, 2, 1]);
    expect(page.entries[0]!.previousHash).toBe(page.entries[1]!.hash);
  });

  test('a retried writer with the same entry id stores the entry once', async () => {
    const first = await store.append(record(), 'same-entry');
    const again = await store.append(record(), 'same-entry');

    expect(again).toEqual(first);
    expect((await store.list({ target: registry })).entries).toHaveLength(1);
  });

  test('concurrent writers to one registry keep one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 15 }, (_, i) => store.append(record({ time: at(i), step: `step-${i}` }), `c${i}`)),
    );

    const verdict = await store.verify(registry);
    const sequences = (await store.list({ target: registry })).entries
      .map((e) => e.sequence)
      .sort((a, b) => a - b);

    expect(verdict).toMatchObject({ intact: true, entries: 15 });
    expect(sequences).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  test('verify reports an entry changed after it was written', async () => {
    await store.append(record({ time: at(1) }), 'e1');
    const second = await store.append(record({ time: at(2), outcome: 'failed', step: 'completed' }), 'e2');
    await store.append(record({ time: at(3) }), 'e3');
    const row = (await store.list({ target: registry })).entries.find((e) => e.entryId === second.entryId)!;
    const rows = table.listEntities<{ entryId: string }>({
      queryOptions: { filter: `entryId eq '${row.entryId}'` },
    });
    for await (const stored of rows) {
      await table.updateEntity(
        { partitionKey: stored.partitionKey!, rowKey: stored.rowKey!, outcome: 'succeeded' },
        'Merge',
      );
    }

    const verdict = await store.verify(registry);

    expect(verdict.intact).toBe(false);
    expect(verdict.firstBreak).toMatchObject({ kind: 'changed', sequence: 2, entryId: 'e2' });
  });

  test('verify reports a removed entry and a removed tail', async () => {
    for (const i of [1, 2, 3]) await store.append(record({ time: at(i), instanceId: undefined }), `e${i}`);
    const entries = (await store.list({ target: registry })).entries;
    const partition = auditPartition(registry);
    const rowKeyOf = async (entryId: string): Promise<string> => {
      for await (const row of table.listEntities({ queryOptions: { filter: `entryId eq '${entryId}'` } }))
        return row.rowKey!;
      throw new Error('not found');
    };
    expect(entries).toHaveLength(3);

    await table.deleteEntity(partition, await rowKeyOf('e2'));
    expect((await store.verify(registry)).firstBreak).toMatchObject({ kind: 'missing', sequence: 2 });

    await table.deleteEntity(partition, await rowKeyOf('e3'));
    await table.deleteEntity(partition, await rowKeyOf('e1'));
    expect((await store.verify(registry)).firstBreak).toMatchObject({ kind: 'missing', sequence: 1 });
  });

  test('filters by operation, actor, instance and time window, and pages with continuation tokens', async () => {
    await store.append(record({ time: at(1), operation: 'create', instanceId: 'i-1' }), 'a');
    await store.append(
      record({ time: at(2), operation: 'delete', instanceId: 'i-2', actor: { id: 'oid-bob' } }),
      'b',
    );
    await store.append(
      record({ time: at(3), operation: 'delete', instanceId: 'i-2', actor: { id: 'oid-bob' } }),
      'c',
    );
    await store.append(record({ time: at(4), operation: 'update', instanceId: 'i-3' }), 'd');

    expect((await store.list({ operation: 'delete' })).entries.map((e) => e.entryId)).toEqual(['c', 'b']);
    expect(
      (await store.list({ target: registry, actor: 'oid-alice' })).entries.map((e) => e.entryId),
    ).toEqual(['d', 'a']);
    expect(
      (await store.list({ target: registry, from: at(2), to: at(3) })).entries.map((e) => e.entryId),
    ).toEqual(['c', 'b']);
    expect((await store.listByInstance(replica, 'i-2')).map((e) => e.entryId)).toEqual(['b', 'c']);
    // An instance whose id extends another's with a separator is not mixed into it.
    await store.append(record({ time: at(5), instanceId: 'i-2|child' }), 'e');
    expect((await store.listByInstance(replica, 'i-2')).map((e) => e.entryId)).toEqual(['b', 'c']);
    expect((await store.listByInstance(replica, 'i-2|child')).map((e) => e.entryId)).toEqual(['e']);

    const first = await store.list({ target: registry }, { pageSize: 3 });
    expect(first.entries).toHaveLength(3);
    expect(first.continuationToken).toBeDefined();
    const second = await store.list(
      { target: registry },
      { pageSize: 3, continuationToken: first.continuationToken },
    );
    expect(second.entries.map((e) => e.entryId)).toEqual(['b', 'a']);
  });

  test('filter values with quotes match exactly and cannot widen the query', async () => {
    await store.append(record({ time: at(1), actor: { id: "o'brien" }, instanceId: "it's-1" }), 'q1');
    await store.append(record({ time: at(2), actor: { id: 'oid-alice' }, instanceId: 'i-2' }), 'q2');

    expect((await store.list({ actor: "o'brien" })).entries.map((e) => e.entryId)).toEqual(['q1']);
    expect((await store.list({ actor: "x' or actorId ne 'x" })).entries).toEqual([]);
    expect((await store.listByInstance(replica, "it's-1")).map((e) => e.entryId)).toEqual(['q1']);
  });

  test('entries about targets outside any registry go to the fleet partition', async () => {
    await store.append(record({ target: 'sweep', operation: 'sweep', instanceId: undefined }), 'sweep-1');
    expect((await store.list({ target: 'sweep' })).entries).toHaveLength(1);
    expect((await store.verify('anything-else')).intact).toBe(true);
  });

  test('storage for anchors that cannot be reached stops an append before it writes anything', async () => {
    const unreachableBlobs = new ContainerClient(
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=' +
        'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
        'BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;',
      'anchors',
      { retryOptions: { maxTries: 1 } },
    );
    const failing = new AuditStore(table, { anchors: new AuditAnchors(unreachableBlobs) });

    const failure = await failing.append(record(), 'a1').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AuditUnavailableError);
    expect((failure as AuditUnavailableError).access).toBe('write');
    expect((await store.list({ target: registry })).entries).toEqual([]);
  });

  test('an anchor that fails after its entry was written answers unavailable, and the retry anchors it', async () => {
    const anchors = new ContainerClient(storageConnectionString(), uniqueTableName('anchors').toLowerCase());
    const anchored = new AuditStore(table, { anchors: new AuditAnchors(anchors) });
    try {
      // Block blobs where today's (and, should the day turn meanwhile, tomorrow's) append blob belongs:
      // appending an anchor to either fails.
      await anchors.createIfNotExists();
      const days = [0, 1].map((ahead) =>
        auditAnchorBlobName(
          auditPartition(registry),
          new Date(Date.now() + ahead * 86_400_000).toISOString(),
        ),
      );
      for (const day of days) await anchors.getBlockBlobClient(day).upload('', 0);

      const failure = await anchored.append(record(), 'a1').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AuditUnavailableError);
      expect(await anchored.verify(registry)).toMatchObject({
        intact: true,
        entries: 1,
        anchors: { count: 0, unanchoredEntries: 1 },
      });

      for (const day of days) await anchors.getBlobClient(day).delete();
      await anchored.append(record(), 'a1');
      expect(await anchored.verify(registry)).toMatchObject({
        intact: true,
        entries: 1,
        anchors: { count: 1, lastSequence: 1, unanchoredEntries: 0 },
      });
    } finally {
      await anchors.deleteIfExists();
    }
  });

  test('a key setting that cannot be used stops writes and verification, not listings', async () => {
    await store.append(record(), 'k1');
    const misconfigured = new AuditStore(table, {
      keyProblem: new Error('AUDIT_SIGNING_KEY must be base64'),
    });

    await expect(misconfigured.append(record({ time: at(2) }), 'k2')).rejects.toMatchObject({
      name: 'AuditUnavailableError',
      access: 'write',
    });
    await expect(misconfigured.verify(registry)).rejects.toMatchObject({ access: 'read' });
    expect((await misconfigured.list({ target: registry })).entries).toHaveLength(1);
  });

  test('an unreachable table store raises AuditUnavailableError', async () => {
    // Port 9 (discard) has no listener on loopback: the connection is refused at once.
    const unreachable = new AuditStore(
      TableClient.fromConnectionString(
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=' +
          'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
          'TableEndpoint=http://127.0.0.1:9/devstoreaccount1;',
        'audit',
        { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
      ),
    );
    await expect(unreachable.append(record(), 'x')).rejects.toBeInstanceOf(AuditUnavailableError);
  });
});
