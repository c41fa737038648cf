// What someone who can write the audit table, but holds neither the audit key nor the right to rewrite
// the anchors' blobs, can do to a registry's trail, done to real storage (Azurite): verify shows each.
import type { TableClient, TableEntityResult } from '@azure/data-tables';

import { AuditAnchors } from '../../src/azure/auditAnchors';
import { AuditStore } from '../../src/azure/auditStore';
import { GENESIS_HASH, auditHash, auditPartition, auditRowKey } from '../../src/domain';
import type { AuditRecord } from '../../src/domain';
import { testAuditKey, testAuditStore } from '../support/storage';
import type { TestAuditStore } from '../support/storage';

const REGISTRY =
  '/subscriptions/00000000-0000-0000-0000-0000000000c1/resourceGroups/rg-audit/providers/Microsoft.ContainerRegistry/registries/tamperacr';
const PARTITION = auditPartition(REGISTRY);
const KEY = testAuditKey();

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();

function record(minute: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    time: at(minute),
    actor: { id: 'oid-alice' },
    channel: 'api',
    operation: 'create',
    target: `${REGISTRY}/replications/eastus`,
    step: `step-${minute}`,
    outcome: 'succeeded',
    ...overrides,
  };
}

type Row = TableEntityResult<Record<string, unknown>> & {
  rowKey: string;
  sequence: number;
  hash: string;
  time: string;
};

async function entryRows(table: TableClient): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of table.listEntities<Record<string, unknown>>({
    queryOptions: { filter: `PartitionKey eq '${PARTITION}' and RowKey lt 'a'` },
  }))
    rows.push(row as Row);
  return rows.sort((a, b) => a.sequence - b.sequence);
}

/** Strips what the service adds, so a row can be written back as an entity. */
function entity(
  row: Row,
  changes: Record<string, unknown> = {},
): Record<string, unknown> & {
  partitionKey: string;
  rowKey: string;
} {
  const { etag: _etag, timestamp: _timestamp, ...rest } = row as Record<string, unknown>;
  return { ...rest, ...changes } as Record<string, unknown> & { partitionKey: string; rowKey: string };
}

function rehash(row: Row, previousHash: string): string {
  return auditHash(previousHash, {
    entryId: row.entryId as string,
    sequence: row.sequence,
    time: row.time,
    actor: { id: row.actorId as string },
    channel: row.channel as string,
    operation: row.operation as string,
    target: row.target as string,
    step: row.step as string,
    outcome: row.outcome as string,
  });
}

async function setHead(table: TableClient, sequence: number, hash: string, mac?: string): Promise<void> {
  await table.upsertEntity(
    { partitionKey: PARTITION, rowKey: 'chain-head', sequence, hash, ...(mac === undefined ? {} : { mac }) },
    'Replace',
  );
}

let audit: TestAuditStore;
/** The chain head as it was after the third entry, MAC and all, as someone reading the table saw it. */
let headAfterThree: Record<string, unknown>;

beforeEach(async () => {
  audit = testAuditStore('tamper', KEY);
  for (let minute = 1; minute <= 5; minute += 1) {
    await audit.store.append(record(minute), `e${minute}`);
    if (minute === 3) headAfterThree = await audit.table.getEntity(PARTITION, 'chain-head');
  }
});

afterEach(async () => {
  await audit.remove();
});

test('an untouched keyed trail verifies intact, every entry anchored', async () => {
  expect(await audit.store.verify(REGISTRY)).toMatchObject({
    intact: true,
    entries: 5,
    protection: 'keyed',
    keyId: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown,
    anchors: { count: 5, lastSequence: 5, unanchoredEntries: 0 },
  });
});

test('truncating the tail and putting back the chain head it had then is missing', async () => {
  const rows = await entryRows(audit.table);
  for (const row of rows.slice(3)) await audit.table.deleteEntity(PARTITION, row.rowKey);
  const { sequence, hash, mac } = headAfterThree as { sequence: number; hash: string; mac: string };
  await setHead(audit.table, sequence, hash, mac);

  expect((await audit.store.verify(REGISTRY)).firstBreak).toMatchObject({ kind: 'missing', sequence: 4 });
});

test('deleting the whole partition is missing from the first entry', async () => {
  for await (const row of audit.table.listEntities({
    queryOptions: { filter: `PartitionKey eq '${PARTITION}'` },
  }))
    await audit.table.deleteEntity(PARTITION, row.rowKey!);

  expect(await audit.store.verify(REGISTRY)).toMatchObject({
    intact: false,
    entries: 0,
    firstBreak: { kind: 'missing', sequence: 1 },
  });
});

test('rewriting an entry and re-hashing the chain after it is forged', async () => {
  const rows = await entryRows(audit.table);
  let previous = rows[1]!.hash;
  for (const row of rows.slice(2)) {
    const changed = { ...row, outcome: row.sequence === 3 ? 'failed' : row.outcome } as Row;
    const hash = rehash(changed, previous);
    await audit.table.updateEntity(entity(changed, { previousHash: previous, hash }), 'Replace');
    previous = hash;
  }
  await setHead(audit.table, 5, previous);

  expect((await audit.store.verify(REGISTRY)).firstBreak).toMatchObject({ kind: 'forged', sequence: 3 });
});

test('appending a forged entry and moving the head to it is forged', async () => {
  const last = (await entryRows(audit.table))[4]!;
  const forged = {
    partitionKey: PARTITION,
    rowKey: auditRowKey(at(6), 'forged'),
    entryId: 'forged',
    sequence: 6,
    time: at(6),
    actorId: 'oid-mallory',
    channel: 'api',
    operation: 'delete',
    target: `${REGISTRY}/replications/eastus`,
    step: 'completed',
    outcome: 'succeeded',
    previousHash: last.hash,
  };
  const hash = rehash(forged as unknown as Row, last.hash);
  await audit.table.createEntity({ ...forged, hash });
  await setHead(audit.table, 6, hash);

  expect((await audit.store.verify(REGISTRY)).firstBreak).toMatchObject({ kind: 'forged', sequence: 6 });
});

test('swapping the RowKeys of two entries is misplaced', async () => {
  const [, second, third] = await entryRows(audit.table);
  await audit.table.deleteEntity(PARTITION, second!.rowKey);
  await audit.table.deleteEntity(PARTITION, third!.rowKey);
  await audit.table.createEntity(entity(second!, { rowKey: third!.rowKey }));
  await audit.table.createEntity(entity(third!, { rowKey: second!.rowKey }));

  expect((await audit.store.verify(REGISTRY)).firstBreak).toMatchObject({ kind: 'misplaced', sequence: 2 });
});

test('moving an entry out of its time window is misplaced, and the move shows in queries too', async () => {
  const second = (await entryRows(audit.table))[1]!;
  await audit.table.deleteEntity(PARTITION, second.rowKey);
  await audit.table.createEntity(entity(second, { rowKey: auditRowKey('2020-01-01T00:00:00Z', 'e2') }));

  expect((await audit.store.list({ target: REGISTRY, from: at(2), to: at(2) })).entries).toEqual([]);
  expect((await audit.store.verify(REGISTRY)).firstBreak).toMatchObject({ kind: 'misplaced', sequence: 2 });
});

test('without a key the trail verifies as unkeyed, and its anchors still show a rewrite', async () => {
  const unkeyed = testAuditStore('unkeyed');
  try {
    for (let minute = 1; minute <= 3; minute += 1) await unkeyed.store.append(record(minute), `u${minute}`);
    expect(await unkeyed.store.verify(REGISTRY)).toMatchObject({ intact: true, protection: 'unkeyed' });

    const rows = await entryRows(unkeyed.table);
    let previous = GENESIS_HASH;
    for (const row of rows) {
      const changed = { ...row, outcome: 'failed' } as Row;
      const hash = rehash(changed, previous);
      await unkeyed.table.updateEntity(entity(changed, { previousHash: previous, hash }), 'Replace');
      previous = hash;
    }
    await unkeyed.table.upsertEntity(
      { partitionKey: PARTITION, rowKey: 'chain-head', sequence: 3, hash: previous },
      'Replace',
    );

    expect((await unkeyed.store.verify(REGISTRY)).firstBreak).toMatchObject({
      kind: 'diverged',
      sequence: 1,
    });
  } finally {
    await unkeyed.remove();
  }
});

test('entries written before the key are verified as the old chain and reported as legacy', async () => {
  const before = testAuditStore('legacy');
  try {
    for (let minute = 1; minute <= 2; minute += 1) await before.store.append(record(minute), `l${minute}`);
    const after = new AuditStore(before.table, {
      signingKey: KEY,
      anchors: new AuditAnchors(before.anchors),
    });
    await after.append(record(3), 'l3');

    expect(await after.verify(REGISTRY)).toMatchObject({
      intact: true,
      protection: 'keyed',
      legacy: { entries: 2, lastSequence: 2 },
      anchors: { count: 3, lastSequence: 3 },
    });
  } finally {
    await before.remove();
  }
});
