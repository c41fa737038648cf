import {
  GENESIS_HASH,
  anchorMac,
  auditHash,
  auditRowKey,
  entryMac,
  headMac,
  verifyChain,
} from '../../src/domain/auditChain';
import type { ChainAnchor, ChainEvidence, ChainHead, StoredChainEntry } from '../../src/domain/auditChain';

const KEY = Buffer.alloc(32, 7);
const PARTITION = 'sub|rg|acr';

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();

/** Appends one entry as the store does: chained, signed when there is a key, head and anchor updated. */
function append(
  evidence: ChainEvidence,
  overrides: Partial<StoredChainEntry> = {},
  signWith: Uint8Array | null | undefined = evidence.key,
): ChainEvidence {
  const key = signWith ?? undefined;
  const head = evidence.head ?? { sequence: 0, hash: GENESIS_HASH };
  const sequence = head.sequence + 1;
  const unsigned = {
    entryId: `e${sequence}`,
    sequence,
    time: at(sequence),
    actor: { id: 'oid-alice' },
    channel: 'api',
    operation: 'create',
    target: 'replica',
    step: 'requested',
    outcome: 'accepted',
    ...overrides,
  };
  const hash = auditHash(head.hash, unsigned);
  const entry: StoredChainEntry = {
    ...unsigned,
    rowKey: auditRowKey(unsigned.time, unsigned.entryId),
    previousHash: head.hash,
    hash,
    ...(key === undefined ? {} : { mac: entryMac(key, PARTITION, sequence, hash) }),
  };
  const newHead: ChainHead = {
    sequence,
    hash,
    ...(key === undefined ? {} : { mac: headMac(key, PARTITION, sequence, hash) }),
  };
  const anchor: ChainAnchor = { partition: PARTITION, sequence, hash, time: at(sequence) };
  if (key !== undefined) anchor.mac = anchorMac(key, anchor);
  return {
    ...evidence,
    entries: [...evidence.entries, entry],
    head: newHead,
    anchors: [...evidence.anchors, anchor],
  };
}

/** A trail of `count` entries, signed with `key` (null: written without a key). */
function trail(count: number, key: Uint8Array | null = KEY): ChainEvidence {
  let evidence: ChainEvidence = {
    partition: PARTITION,
    entries: [],
    anchors: [],
    ...(key === null ? {} : { key }),
  };
  for (let i = 0; i < count; i += 1) evidence = append(evidence);
  return evidence;
}

/** Recomputes hashes from `from` on, as someone without the key would after rewriting an entry. */
function rehashFrom(entries: readonly StoredChainEntry[], from: number): StoredChainEntry[] {
  const sorted = [...entries].sort((a, b) => a.sequence - b.sequence);
  let previous = GENESIS_HASH;
  return sorted.map((entry) => {
    if (entry.sequence < from) {
      previous = entry.hash;
      return entry;
    }
    const rehashed = { ...entry, previousHash: previous, hash: auditHash(previous, entry) };
    previous = rehashed.hash;
    return rehashed;
  });
}

const lastOf = (entries: readonly StoredChainEntry[]): StoredChainEntry => entries[entries.length - 1]!;

/** What a table writer can do without the key, each against a five-entry trail. */
const TAMPERING: [string, (trail: ChainEvidence) => ChainEvidence][] = [
  [
    'truncating the tail and putting back the head it had then',
    (t) => {
      const kept = t.entries.filter((e) => e.sequence <= 3);
      const old = trail(3, t.key ?? null);
      return { ...t, entries: kept, head: old.head! };
    },
  ],
  ['deleting the whole partition', (t) => ({ ...t, entries: [], head: undefined })],
  [
    'rewriting an entry and re-hashing the chain and head after it',
    (t) => {
      const changed = t.entries.map((e) => (e.sequence === 3 ? { ...e, outcome: 'refused' } : e));
      const entries = rehashFrom(changed, 3);
      return { ...t, entries, head: { sequence: 5, hash: lastOf(entries).hash } };
    },
  ],
  [
    'appending a forged entry and moving the head to it',
    (t) => {
      const forged = append({ ...t, anchors: [] }, { outcome: 'succeeded', entryId: 'forged' }, null);
      return { ...t, entries: forged.entries, head: forged.head! };
    },
  ],
  [
    'swapping the RowKeys of two entries',
    (t) => ({
      ...t,
      entries: t.entries.map((e) =>
        e.sequence === 2
          ? { ...e, rowKey: t.entries[2]!.rowKey }
          : e.sequence === 3
            ? { ...e, rowKey: t.entries[1]!.rowKey }
            : e,
      ),
    }),
  ],
  [
    'moving an entry out of its time window (another RowKey)',
    (t) => ({
      ...t,
      entries: t.entries.map((e) =>
        e.sequence === 2 ? { ...e, rowKey: auditRowKey('2020-01-01T00:00:00Z', e.entryId) } : e,
      ),
    }),
  ],
];

describe('a keyed trail', () => {
  test('as written is intact, every entry signed and anchored', () => {
    expect(verifyChain(trail(5))).toEqual({
      intact: true,
      entries: 5,
      protection: 'keyed',
      anchors: { count: 5, lastSequence: 5, unanchoredEntries: 0 },
    });
  });

  test.each(TAMPERING)('shows %s', (_name, tamper) => {
    const verdict = verifyChain(tamper(trail(5)));
    expect(verdict.intact).toBe(false);
    expect(verdict.firstBreak).toEqual(expect.objectContaining({ sequence: expect.any(Number) as unknown }));
  });

  test.each([
    ['truncating the tail', 0, 'missing', 4],
    ['deleting the whole partition', 1, 'missing', 1],
    ['rewriting and re-hashing', 2, 'forged', 3],
    ['appending a forged entry', 3, 'forged', 6],
    ['swapping RowKeys', 4, 'misplaced', 2],
    ['moving out of the time window', 5, 'misplaced', 2],
  ])('names where %s breaks it', (_name, index, kind, sequence) => {
    const [, tamper] = TAMPERING[index]!;
    expect(verifyChain(tamper(trail(5))).firstBreak).toMatchObject({ kind, sequence });
  });

  test('shows MACs stripped to pass entries off as written before the key', () => {
    const t = trail(4);
    const stripped = t.entries.map(({ mac: _mac, ...rest }) => rest);
    expect(verifyChain({ ...t, entries: stripped }).firstBreak).toMatchObject({
      kind: 'forged',
      sequence: 1,
    });
  });

  test('shows a partition copied from another registry, MACs and all', () => {
    const t = trail(3);
    expect(verifyChain({ ...t, partition: 'sub|rg|other', anchors: [] }).firstBreak).toMatchObject({
      kind: 'forged',
      sequence: 1,
    });
  });

  test('shows an anchor appended by someone without the key', () => {
    const t = trail(3);
    const fake: ChainAnchor = {
      partition: PARTITION,
      sequence: 9,
      hash: GENESIS_HASH,
      time: at(9),
      mac: '0'.repeat(64),
    };
    expect(verifyChain({ ...t, anchors: [...t.anchors, fake] }).firstBreak).toMatchObject({
      kind: 'forged',
      sequence: 9,
    });
  });

  test('shows a damaged row as changed, and checks the rest', () => {
    const t = trail(3);
    const entries = t.entries.map((e) =>
      e.sequence === 2 ? { ...e, detail: undefined, damaged: ['detail'] } : e,
    );
    const verdict = verifyChain({ ...t, entries });
    expect(verdict).toMatchObject({ intact: false, entries: 3 });
    expect(verdict.firstBreak).toMatchObject({ kind: 'changed', sequence: 2, entryId: 'e2' });
  });

  test('without the key the same trail verifies as unkeyed', () => {
    const { key: _key, ...withoutKey } = trail(3);
    expect(verifyChain(withoutKey)).toMatchObject({ intact: true, protection: 'unkeyed' });
  });
});

describe('an unkeyed trail', () => {
  test('as written is intact and says it is unkeyed', () => {
    expect(verifyChain(trail(5, null))).toMatchObject({ intact: true, protection: 'unkeyed' });
  });

  test.each([
    ['truncating the tail', 0, 'missing', 4],
    ['deleting the whole partition', 1, 'missing', 1],
    ['rewriting and re-hashing', 2, 'diverged', 3],
    ['swapping RowKeys', 4, 'misplaced', 2],
    ['moving out of the time window', 5, 'misplaced', 2],
  ])('still shows %s, through its anchors and RowKeys', (_name, index, kind, sequence) => {
    const [, tamper] = TAMPERING[index]!;
    expect(verifyChain(tamper(trail(5, null))).firstBreak).toMatchObject({ kind, sequence });
  });

  test('cannot tell an entry forged after the last anchor from a genuine one: it counts as unanchored', () => {
    const [, tamper] = TAMPERING[3]!;
    expect(verifyChain(tamper(trail(5, null)))).toMatchObject({
      intact: true,
      anchors: { lastSequence: 5, unanchoredEntries: 1 },
    });
  });
});

describe('a trail begun before the key existed', () => {
  const mixed = (): ChainEvidence => {
    let t = trail(3, null);
    t = { ...t, key: KEY };
    t = append(t);
    return append(t);
  };

  test('is intact, its unsigned entries reported as legacy', () => {
    expect(verifyChain(mixed())).toEqual({
      intact: true,
      entries: 5,
      protection: 'keyed',
      legacy: { entries: 3, lastSequence: 3 },
      anchors: { count: 5, lastSequence: 5, unanchoredEntries: 0 },
    });
  });

  test('shows a legacy entry rewritten once a signed entry follows it', () => {
    const t = mixed();
    const changed = t.entries.map((e) => (e.sequence === 2 ? { ...e, outcome: 'refused' } : e));
    const entries = rehashFrom(changed, 2);
    expect(
      verifyChain({ ...t, entries, anchors: [], head: { sequence: 5, hash: lastOf(entries).hash } }).intact,
    ).toBe(false);
  });

  test('shows an unsigned entry after the signed ones as forged', () => {
    const t = append(mixed(), {}, null);
    expect(verifyChain(t).firstBreak).toMatchObject({ kind: 'forged', sequence: 6 });
  });
});

describe('the basic chain checks', () => {
  test('a gap is missing, a broken link relinked, a changed field changed', () => {
    const t = trail(4, null);
    expect(
      verifyChain({ ...t, entries: t.entries.filter((e) => e.sequence !== 2) }).firstBreak,
    ).toMatchObject({
      kind: 'missing',
      sequence: 2,
    });
    const relinked = t.entries.map((e) =>
      e.sequence === 2 ? { ...e, previousHash: GENESIS_HASH, hash: auditHash(GENESIS_HASH, e) } : e,
    );
    expect(verifyChain({ ...t, entries: relinked }).firstBreak).toMatchObject({
      kind: 'relinked',
      sequence: 2,
    });
    const changed = t.entries.map((e) => (e.sequence === 3 ? { ...e, outcome: 'failed' } : e));
    expect(verifyChain({ ...t, entries: changed }).firstBreak).toMatchObject({
      kind: 'changed',
      sequence: 3,
      entryId: 'e3',
    });
  });
});
