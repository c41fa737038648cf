// Every key and id the app derives from an ARM name fits the service it is written to, for the longest and
// most awkward names ARM accepts: Table Storage keys (at most 1 KiB, no / \ # ? or control characters),
// Durable instance ids (at most 256 characters, the same forbidden characters) and anchor blob names.
import {
  auditAnchorBlobName,
  auditIndexRowKey,
  auditPartition,
  auditRowKey,
  formatRegistryId,
  formatReplicaId,
  parseReplicaId,
  registryId,
  registrySweepInstanceId,
  replicaInstanceId,
  shortenDeterministically,
  subscriptionKeyRange,
  tableKeyProblem,
  validateResourceGroup,
} from '../../src/domain';
import { declarationPartition } from '../../src/azure/desiredReplicaStore';
import { watchPartition, watchRowKey } from '../../src/azure/watchStore';

const SUB = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
const LONGEST_ACR_NAME = 'Z'.repeat(50);

/** Resource group names ARM accepts that stretch a key: each is exactly 90 UTF-16 code units. */
const AWKWARD_GROUPS: [string, string][] = [
  ['90 two-byte letters', 'é'.repeat(90)],
  ['90 three-byte letters', '中'.repeat(90)],
  ['45 letters outside the BMP (two code units, four bytes each)', '𝐀'.repeat(45)],
  ['90 capitals that lower-case to two code units', 'İ'.repeat(90)],
  ['punctuation ARM allows', `(${'_-.'.repeat(29)}a)`],
  ['digits, a mark and letters of several scripts', `${'٣'.repeat(30)}${'ñ'.repeat(30)}${'ж'.repeat(30)}`],
  ['plain ASCII at the limit', 'r'.repeat(90)],
];

const DURABLE_ID_LIMIT = 256;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_IDS = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

describe.each(AWKWARD_GROUPS)('a resource group of %s', (_name, group) => {
  const registry = registryId(SUB, group, LONGEST_ACR_NAME);
  const replicaText = `${formatRegistryId(registry)}/replications/${LONGEST_ACR_NAME}`;
  const replica = parseReplicaId(replicaText);

  test('is a name ARM accepts', () => {
    expect(validateResourceGroup(group)).toBe(group);
    expect(group.length).toBe(90);
  });

  test.each([
    ['the audit partition', () => auditPartition(replicaText)],
    ['an audit entry row', () => auditRowKey('9999-12-31T23:59:59.999Z', `${replicaInstanceId(replica)}|x`)],
    ['the audit index row of its operation', () => auditIndexRowKey(replicaInstanceId(replica), 2 ** 31)],
    [
      'the audit index row of a heal’s sub-operation',
      () => auditIndexRowKey(`${replicaInstanceId(replica)}|delete|99`, 9_999_999_999),
    ],
    ['the index row of a registry sweep', () => auditIndexRowKey(registrySweepInstanceId(registry), 1)],
    ['the watch table partition', () => watchPartition(registry)],
    ['the watch table row', () => watchRowKey(LONGEST_ACR_NAME)],
  ])('%s is a valid Table Storage key', (_what, key) => {
    expect(tableKeyProblem(key())).toBeUndefined();
  });

  test('instance ids fit the Durable engine, with room for a heal’s attempt suffix', () => {
    for (const id of [
      replicaInstanceId(replica),
      `${replicaInstanceId(replica)}|delete|99`,
      registrySweepInstanceId(registry),
    ]) {
      expect(id.length).toBeLessThanOrEqual(DURABLE_ID_LIMIT);
      expect(id).not.toMatch(FORBIDDEN_IN_IDS);
    }
  });

  test('the anchor blob name is short and plain', () => {
    const name = auditAnchorBlobName(auditPartition(replicaText), '2026-11-25T10:00:00.000Z');
    expect(name).toMatch(/^[0-9a-f]{64}\/2026-11-25\.jsonl$/);
  });

  test('a registry whose group differs only in its last character gets other keys and ids', () => {
    const other = registryId(SUB, `${Array.from(group).slice(0, -1).join('')}x`, LONGEST_ACR_NAME);
    const otherReplica = parseReplicaId(`${formatRegistryId(other)}/replications/${LONGEST_ACR_NAME}`);
    expect(auditPartition(formatRegistryId(other))).not.toBe(auditPartition(replicaText));
    expect(replicaInstanceId(otherReplica)).not.toBe(replicaInstanceId(replica));
    expect(registrySweepInstanceId(other)).not.toBe(registrySweepInstanceId(registry));
    expect(watchPartition(other)).not.toBe(watchPartition(registry));
    expect(auditIndexRowKey(replicaInstanceId(otherReplica), 1)).not.toBe(
      auditIndexRowKey(replicaInstanceId(replica), 1),
    );
  });

  test('keys and ids are the same whatever the case of the id’s ASCII parts', () => {
    const shouted = replicaText
      .replace('/resourceGroups/', '/RESOURCEGROUPS/')
      .replace(/Z{50}/g, 'z'.repeat(50));
    expect(replicaInstanceId(parseReplicaId(shouted))).toBe(replicaInstanceId(replica));
    expect(auditPartition(shouted)).toBe(auditPartition(replicaText));
    expect(formatReplicaId(parseReplicaId(shouted))).not.toBe(replicaText);
  });
});

describe('names that fit keep the keys and ids they always had', () => {
  const registry = registryId(SUB, 'rg-registries-prod', 'crcontosoprod');
  const replica = parseReplicaId(`${formatRegistryId(registry)}/replications/westeurope`);

  test('so entries and operations from before are still found', () => {
    expect(auditPartition(formatRegistryId(registry))).toBe(`${SUB}|rg-registries-prod|crcontosoprod`);
    expect(replicaInstanceId(replica)).toBe(
      `replica:${SUB}~3Arg-registries-prod~3Acrcontosoprod~3Awesteurope`,
    );
    expect(auditIndexRowKey('op-1', 7)).toBe('instance|op-1|0000000007');
    expect(watchPartition(registry)).toBe(
      `%2fsubscriptions%2f${SUB}%2fresourcegroups%2frg-registries-prod%2fproviders%2fmicrosoft.containerregistry%2fregistries%2fcrcontosoprod`,
    );
  });
});

describe('shortenDeterministically', () => {
  test.each([
    ['ASCII', 'a'.repeat(600), 100],
    ['two-byte letters', 'é'.repeat(600), 100],
    ['astral letters cut at a pair', '𝐀'.repeat(300), 101],
  ])('keeps %s within the bounds, the same every time, never splitting a pair', (_name, text, max) => {
    const short = shortenDeterministically(text, max);
    expect(short.length).toBeLessThanOrEqual(max);
    expect(Buffer.byteLength(short, 'utf8')).toBeLessThanOrEqual(max * 2);
    expect(tableKeyProblem(short)).toBeUndefined();
    expect(shortenDeterministically(text, max)).toBe(short);
    expect(short).toMatch(/~~[0-9a-f]{32}$/);
  });

  test('leaves a text that fits as it is', () => {
    expect(shortenDeterministically('short', 10)).toBe('short');
  });
});

describe('tableKeyProblem', () => {
  test.each([
    ['a key longer than 512 code units', 'a'.repeat(513)],
    ['a key of more than 1024 UTF-8 bytes', '中'.repeat(400)],
    ['a slash', 'a/b'],
    ['a backslash', 'a\\b'],
    ['a hash', 'a#b'],
    ['a question mark', 'a?b'],
    ['a control character', 'a\u0007b'],
    ['half of a surrogate pair', 'a\ud835b'],
  ])('names %s', (_name, key) => {
    expect(tableKeyProblem(key)).toEqual(expect.any(String));
  });
});

describe('subscriptionKeyRange holds the keys of every registry of its subscription and no other', () => {
  const inRange = (key: string, sub: string): boolean => {
    const { from, to } = subscriptionKeyRange(sub);
    return key >= from && key < to;
  };
  const NEIGHBOURS = ['fffffffe-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-000000000000'];

  test.each(AWKWARD_GROUPS)(
    'a registry in a resource group of %s, its key shortened or not',
    (_name, group) => {
      for (const name of ['a'.repeat(5), LONGEST_ACR_NAME]) {
        const registry = registryId(SUB, validateResourceGroup(group), name);
        for (const key of [watchPartition(registry), declarationPartition(registry)]) {
          expect(inRange(key, SUB)).toBe(true);
          expect(inRange(key, SUB.toUpperCase())).toBe(true);
          for (const neighbour of NEIGHBOURS) expect(inRange(key, neighbour)).toBe(false);
        }
      }
    },
  );

  test('a subscription whose id differs in its last character only is not in the range', () => {
    const registry = registryId(`${SUB.slice(0, -1)}e`, 'rg', 'acrname');
    expect(inRange(watchPartition(registry), SUB)).toBe(false);
  });
});
