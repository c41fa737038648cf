// Every instance id the app makes from ARM names must be one the Durable host accepts, for every valid
// name: judged here by the devhost's statement of the host's rule (DurableClient.StartNewAsync).
import { instanceIdProblem } from '@acr-replica-guard/devhost';
import {
  MAX_NAMED_INSTANCE_ID_LENGTH,
  namedInstanceId,
  parseOperationId,
  parseRegistryId,
  parseReplicaId,
  registrySweepInstanceId,
  replicaInstanceId,
} from '../../src/domain';

const SUB = '0b7c1e4a-6d2f-4a8b-9e3c-5f1d7a9b2c68';
const registryText = (group: string, registry: string): string =>
  `/subscriptions/${SUB}/resourceGroups/${group}/providers/Microsoft.ContainerRegistry/registries/${registry}`;

const groups: [string, string][] = [
  ['short', 'rg-app'],
  ['90 ASCII characters', `rg-${'a'.repeat(83)}.(x)`],
  ['90 characters of periods and parentheses', `${'(.)'.repeat(29)}rgx`],
  ['90 accented letters', 'é'.repeat(90)],
  ['90 CJK letters', '日'.repeat(90)],
  ['90 letters outside the BMP', '𝒜'.repeat(45)],
];
const registries: [string, string][] = [
  ['short', 'crapp01'],
  ['50 characters', `cr${'9'.repeat(48)}`],
];

describe.each(groups)('with a resource group of %s', (_what, group) => {
  test.each(registries)(
    'and a registry name of %s, every id the app makes is one the host accepts',
    (_n, name) => {
      const registry = parseRegistryId(registryText(group, name));
      const replica = parseReplicaId(`${registryText(group, name)}/replications/${'r'.repeat(50)}`);
      const sweep = registrySweepInstanceId(registry);
      const heal = replicaInstanceId(replica);
      // Heals run delete and create under ids with these suffixes.
      for (const id of [sweep, heal, `${heal}|delete|12`, `${heal}|create|12`]) {
        expect(instanceIdProblem(id)).toBeUndefined();
        expect(parseOperationId(id)).toBe(id);
      }
      expect(sweep.length).toBeLessThanOrEqual(MAX_NAMED_INSTANCE_ID_LENGTH);
      expect(heal.length).toBeLessThanOrEqual(MAX_NAMED_INSTANCE_ID_LENGTH);
    },
  );
});

test('the 279-character per-registry id of a 90-character group and a 50-character registry is bounded', () => {
  const registry = parseRegistryId(registryText(`rg-${'a'.repeat(87)}`, `cr${'9'.repeat(48)}`));
  const id = registrySweepInstanceId(registry);
  expect(id).toHaveLength(MAX_NAMED_INSTANCE_ID_LENGTH);
  expect(id).toMatch(/^sweep:~2Fsubscriptions~2F0b7c1e4a-.*~~[0-9a-f]{32}$/);
  expect(
    registrySweepInstanceId(parseRegistryId(registryText(`RG-${'A'.repeat(87)}`, `CR${'9'.repeat(48)}`))),
  ).toBe(id);
});

test('short ids stay readable; long ones that differ only at the end still differ', () => {
  expect(
    replicaInstanceId(parseReplicaId(`${registryText('rg-app', 'crapp01')}/replications/westeurope`)),
  ).toBe(`replica:${SUB}~3Arg-app~3Acrapp01~3Awesteurope`);
  const long = (last: string): string =>
    replicaInstanceId(
      parseReplicaId(`${registryText('é'.repeat(90), `cr${'9'.repeat(48)}`)}/replications/${last}`),
    );
  expect(long('westeurope')).not.toBe(long('northeurope'));
  expect(long('westeurope')).toBe(long('WestEurope'));
});

test('namedInstanceId encodes characters the host or the operations route would refuse', () => {
  expect(namedInstanceId('x', "a/b\\c#d?e(f)g!h*i'j")).toBe('x:a~2Fb~5Cc~23d~3Fe~28f~29g~21h~2Ai~27j');
});
