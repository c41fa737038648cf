import {
  auditPartition,
  auditRowKey,
  auditRowKeyRange,
  boundedDetail,
  canonicalJson,
  toKeySafe,
} from '../../src/domain/audit';

describe('audit row keys', () => {
  test('sort newer entries before older ones', () => {
    const older = auditRowKey('2026-01-01T00:00:00.000Z', 'x');
    const newer = auditRowKey('2026-01-01T00:00:00.001Z', 'x');
    expect(newer < older).toBe(true);
  });

  test('differ for different entries at the same instant, and repeat for the same entry', () => {
    const time = '2026-01-01T00:00:00.000Z';
    expect(auditRowKey(time, 'a')).not.toBe(auditRowKey(time, 'b'));
    expect(auditRowKey(time, 'a')).toBe(auditRowKey(time, 'a'));
  });

  test('a time window maps to a key range that holds exactly the entries inside it', () => {
    const range = auditRowKeyRange('2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z');
    const inside = [
      auditRowKey('2026-01-01T00:01:00.000Z', 'a'),
      auditRowKey('2026-01-01T00:02:00.000Z', 'b'),
    ];
    const outside = [
      auditRowKey('2026-01-01T00:00:59.999Z', 'c'),
      auditRowKey('2026-01-01T00:02:00.001Z', 'd'),
    ];
    for (const key of inside) expect(key >= range.lowest! && key <= range.highest!).toBe(true);
    for (const key of outside) expect(key >= range.lowest! && key <= range.highest!).toBe(false);
  });

  test('refuse a value that is not a time', () => {
    expect(() => auditRowKey('yesterday', 'a')).toThrow(RangeError);
  });
});

describe('audit partitions', () => {
  test('one partition per registry, whatever the case or the replica', () => {
    const registry =
      '/subscriptions/00000000-0000-0000-0000-0000000000A1/resourceGroups/RG/providers/Microsoft.ContainerRegistry/registries/Acr01';
    expect(auditPartition(registry)).toBe('00000000-0000-0000-0000-0000000000a1|rg|acr01');
    expect(auditPartition(`${registry.toLowerCase()}/replications/westeurope`)).toBe(
      '00000000-0000-0000-0000-0000000000a1|rg|acr01',
    );
    expect(auditPartition('sweep')).toBe('fleet');
  });

  test('key-unsafe characters are encoded', () => {
    expect(toKeySafe('a/b\\c#d?e%f\u0001')).toBe('a%2fb%5cc%23d%3fe%25f%01');
  });
});

describe('canonical JSON and detail bounds', () => {
  test('key order does not change the canonical form', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 3 } })).toBe(
      canonicalJson({ a: { c: 3, d: [2, { e: 0, f: 1 }] }, b: 1 }),
    );
  });

  test('oversized detail is cut to a preview', () => {
    const big = { text: 'x'.repeat(40000) };
    expect(boundedDetail(big)).toMatchObject({ truncated: true });
    expect(boundedDetail({ small: true })).toEqual({ small: true });
  });
});
