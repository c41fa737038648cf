import {
  formatRegistryId,
  formatReplicaId,
  isValidReplicaName,
  parseRegistryId,
  parseReplicaId,
  registryId,
  registryKey,
  registryOfReplica,
  replicaId,
  replicaKey,
  resourceIdShape,
  sameRegistry,
  sameReplica,
} from '../../src/domain';
import { validationErrorOf } from './thrown';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const PROVIDER = 'providers/Microsoft.ContainerRegistry/registries';
const registryText = (rg: string, name: string, sub = SUB): string =>
  `/subscriptions/${sub}/resourceGroups/${rg}/${PROVIDER}/${name}`;
const CANONICAL = registryText('rg-platform', 'contosoacr');

describe('parseRegistryId accepts', () => {
  test.each([
    ['the canonical form', CANONICAL, 'rg-platform', 'contosoacr'],
    [
      'lower-case fixed segments, as some ARM responses return them',
      `/subscriptions/${SUB}/resourcegroups/rg-platform/providers/microsoft.containerregistry/registries/contosoacr`,
      'rg-platform',
      'contosoacr',
    ],
    [
      'upper-case fixed segments',
      `/SUBSCRIPTIONS/${SUB}/RESOURCEGROUPS/rg-platform/PROVIDERS/MICROSOFT.CONTAINERREGISTRY/REGISTRIES/contosoacr`,
      'rg-platform',
      'contosoacr',
    ],
    ['a trailing slash', `${CANONICAL}/`, 'rg-platform', 'contosoacr'],
    [
      'underscores, periods and parentheses in the group',
      registryText('rg_(prod).eu-1', 'acr01'),
      'rg_(prod).eu-1',
      'acr01',
    ],
    ['a one-character group', registryText('a', 'acr01'), 'a', 'acr01'],
    ['a 90-character group', registryText('g'.repeat(90), 'acr01'), 'g'.repeat(90), 'acr01'],
    ['Unicode letters in the group', registryText('rg-münchen', 'acr01'), 'rg-münchen', 'acr01'],
    ['a group in a non-Latin script', registryText('リソース群', 'acr01'), 'リソース群', 'acr01'],
    ['a 5-character registry name', registryText('rg', 'abcde'), 'rg', 'abcde'],
    ['a 50-character registry name', registryText('rg', 'r'.repeat(50)), 'rg', 'r'.repeat(50)],
    [
      'a mixed-case registry name, kept as given',
      registryText('RG-Platform', 'ContosoACR'),
      'RG-Platform',
      'ContosoACR',
    ],
  ])('%s', (_scenario, text, resourceGroup, registryName) => {
    expect(parseRegistryId(text)).toStrictEqual({ subscriptionId: SUB, resourceGroup, registryName });
  });

  test('an upper-case subscription GUID, normalised to lower case', () => {
    expect(parseRegistryId(registryText('rg', 'acr01', SUB.toUpperCase())).subscriptionId).toBe(SUB);
  });
});

describe('parseRegistryId rejects', () => {
  test.each([
    ['an empty string', '', 'must be a resource id'],
    ['a bare registry name', 'contosoacr', 'must be a resource id'],
    ['an id without its leading slash', CANONICAL.slice(1), 'must be a resource id'],
    [
      'another provider',
      CANONICAL.replace('Microsoft.ContainerRegistry', 'Microsoft.Storage'),
      'must be a resource id',
    ],
    ['another resource type', CANONICAL.replace('/registries/', '/webhooks/'), 'must be a resource id'],
    ['a singular type name', CANONICAL.replace('/registries/', '/registry/'), 'must be a resource id'],
    [
      'a missing resource group segment',
      `/subscriptions/${SUB}/${PROVIDER}/contosoacr`,
      'must be a resource id',
    ],
    [
      'a missing registry name',
      `/subscriptions/${SUB}/resourceGroups/rg/${PROVIDER}`,
      'must be a resource id',
    ],
    [
      'an empty registry name',
      `/subscriptions/${SUB}/resourceGroups/rg/${PROVIDER}//`,
      'must be a resource id',
    ],
    [
      'an empty segment in the middle',
      CANONICAL.replace('/resourceGroups/', '//resourceGroups/'),
      'must be a resource id',
    ],
    ['two trailing slashes', `${CANONICAL}//`, 'must be a resource id'],
    ['a replica id (extra segments)', `${CANONICAL}/replications/westeurope`, 'must be a resource id'],
    ['a child of another type', `${CANONICAL}/webhooks/hook1`, 'must be a resource id'],
    ['a subscription id', `/subscriptions/${SUB}`, 'must be a resource id'],
    ['a full URL', `https://management.azure.com${CANONICAL}`, 'must be a resource id'],
    ['leading whitespace', ` ${CANONICAL}`, 'must be a resource id'],
    ['a query string', `${CANONICAL}?api-version=2025-11-01`, 'registry name'],
    [
      'a subscription that is not a GUID',
      registryText('rg', 'acr01', 'my-subscription'),
      'subscription id must be a GUID',
    ],
    ['a GUID with a non-hex digit', registryText('rg', 'acr01', SUB.replace('0b', '0g')), 'subscription id'],
    ['a GUID missing a digit', registryText('rg', 'acr01', SUB.slice(1)), 'subscription id'],
    ['a GUID in braces', registryText('rg', 'acr01', `{${SUB}}`), 'subscription id'],
    ['a GUID without hyphens', registryText('rg', 'acr01', SUB.replace(/-/g, '')), 'subscription id'],
    [
      'a group ending with a period',
      registryText('rg-platform.', 'acr01'),
      'resource group name must not end with a period',
    ],
    ['a 91-character group', registryText('g'.repeat(91), 'acr01'), 'resource group name must be 1 to 90'],
    ['a group with a space', registryText('rg platform', 'acr01'), 'resource group name may contain only'],
    ['a group with an emoji', registryText('rg-🚀', 'acr01'), 'resource group name may contain only'],
    ['a group with a hash', registryText('rg#1', 'acr01'), 'resource group name may contain only'],
    ['a 4-character registry name', registryText('rg', 'abcd'), 'registry name must be 5 to 50'],
    ['a 51-character registry name', registryText('rg', 'r'.repeat(51)), 'registry name must be 5 to 50'],
    ['a registry name with a hyphen', registryText('rg', 'contoso-acr'), 'registry name'],
    ['a registry name with an underscore', registryText('rg', 'contoso_acr'), 'registry name'],
    ['a registry name with a non-ASCII letter', registryText('rg', 'contosö01'), 'registry name'],
  ])('%s', (_scenario, text, reason) => {
    const error = validationErrorOf(() => parseRegistryId(text));
    expect(error.field).toBe('resourceId');
    expect(error.reason).toContain(reason);
  });

  test('naming the field the caller gave', () => {
    expect(validationErrorOf(() => parseRegistryId('nonsense', 'registry')).field).toBe('registry');
    expect(validationErrorOf(() => parseRegistryId(registryText('rg.', 'acr01'), 'source')).field).toBe(
      'source',
    );
  });

  test('echoing a long id only in part', () => {
    const error = validationErrorOf(() => parseRegistryId(`${CANONICAL}/${'x'.repeat(500)}`));
    expect(error.value?.length).toBeLessThanOrEqual(101);
  });
});

describe('parseReplicaId', () => {
  const replicaText = `${CANONICAL}/replications/westeurope`;

  test.each([
    ['the canonical form', replicaText],
    ['lower-case fixed segments', replicaText.toLowerCase()],
    ['an upper-case REPLICATIONS segment', `${CANONICAL}/REPLICATIONS/westeurope`],
    ['a trailing slash', `${replicaText}/`],
  ])('accepts %s', (_scenario, text) => {
    expect(parseReplicaId(text)).toStrictEqual({
      subscriptionId: SUB,
      resourceGroup: 'rg-platform',
      registryName: 'contosoacr',
      replicaName: 'westeurope',
    });
  });

  test.each([
    ['a registry id', CANONICAL, 'must be a resource id'],
    ['a missing replica name', `${CANONICAL}/replications`, 'must be a resource id'],
    ['another child type', `${CANONICAL}/webhooks/westeurope`, 'must be a resource id'],
    ['extra segments after the replica', `${replicaText}/operationStatuses/abc`, 'must be a resource id'],
    ['a 4-character replica name', `${CANONICAL}/replications/east`, 'replica name must be 5 to 50'],
    [
      'a 51-character replica name',
      `${CANONICAL}/replications/${'w'.repeat(51)}`,
      'replica name must be 5 to 50',
    ],
    ['a replica name with a hyphen', `${CANONICAL}/replications/west-europe`, 'replica name'],
    ['a bad registry name', `${registryText('rg', 'abc')}/replications/westeurope`, 'registry name'],
    [
      'a bad subscription',
      `${registryText('rg', 'acr01', 'nope')}/replications/westeurope`,
      'subscription id',
    ],
  ])('rejects %s', (_scenario, text, reason) => {
    const error = validationErrorOf(() => parseReplicaId(text, 'replica'));
    expect(error.field).toBe('replica');
    expect(error.reason).toContain(reason);
  });
});

describe('formatting', () => {
  const registry = registryId(SUB, 'rg-platform', 'contosoacr');
  const replica = replicaId(registry, 'westeurope');

  test('formats a registry id with the canonical casing of ARM', () => {
    expect(formatRegistryId(registry)).toBe(CANONICAL);
  });

  test('formats a replica id', () => {
    expect(formatReplicaId(replica)).toBe(`${CANONICAL}/replications/westeurope`);
  });

  test('restores the canonical casing of an id that arrived lower-cased', () => {
    expect(formatRegistryId(parseRegistryId(CANONICAL.toLowerCase()))).toBe(CANONICAL);
  });

  test('parse and format round-trip', () => {
    expect(parseRegistryId(formatRegistryId(registry))).toStrictEqual(registry);
    expect(parseReplicaId(formatReplicaId(replica))).toStrictEqual(replica);
  });
});

describe('registryId builder', () => {
  test('builds and normalises the subscription to lower case', () => {
    expect(registryId(SUB.toUpperCase(), 'rg', 'contosoacr')).toStrictEqual({
      subscriptionId: SUB,
      resourceGroup: 'rg',
      registryName: 'contosoacr',
    });
  });

  test.each([
    ['subscriptionId', () => registryId('not-a-guid', 'rg', 'contosoacr')],
    ['subscriptionId', () => registryId('', 'rg', 'contosoacr')],
    ['resourceGroup', () => registryId(SUB, '', 'contosoacr')],
    ['resourceGroup', () => registryId(SUB, 'rg.', 'contosoacr')],
    ['resourceGroup', () => registryId(SUB, 'r'.repeat(91), 'contosoacr')],
    ['resourceGroup', () => registryId(SUB, 'rg/other', 'contosoacr')],
    ['registryName', () => registryId(SUB, 'rg', 'acr')],
    ['registryName', () => registryId(SUB, 'rg', 'contoso-acr')],
    ['registryName', () => registryId(SUB, 'rg', 'a'.repeat(51))],
  ])('names %s when it is invalid', (field, build) => {
    expect(validationErrorOf(build).field).toBe(field);
  });

  test('echoes the offending part', () => {
    expect(validationErrorOf(() => registryId(SUB, 'rg', 'acr')).value).toBe('acr');
  });
});

describe('replicaId builder', () => {
  const registry = registryId(SUB, 'rg', 'contosoacr');

  test('adds the replica name to the registry', () => {
    expect(replicaId(registry, 'westeurope')).toStrictEqual({ ...registry, replicaName: 'westeurope' });
  });

  test.each(['east', 'w'.repeat(51), 'west-europe', 'west europe', ''])(
    'names replicaName for %p',
    (name) => {
      expect(validationErrorOf(() => replicaId(registry, name)).field).toBe('replicaName');
    },
  );

  test('built from another replica id, it keeps only the registry part', () => {
    const other = replicaId(registry, 'westeurope');
    expect(replicaId(other, 'northeurope').replicaName).toBe('northeurope');
  });
});

describe('isValidReplicaName', () => {
  test.each([
    ['abcde', true],
    ['x'.repeat(50), true],
    ['WestEurope2', true],
    ['abcd', false],
    ['x'.repeat(51), false],
    ['west-europe', false],
  ])('%p → %p', (name, valid) => {
    expect(isValidReplicaName(name)).toBe(valid);
  });
});

describe('identity and keys', () => {
  const registry = parseRegistryId(CANONICAL);
  const shouting = parseRegistryId(CANONICAL.toUpperCase().replace(SUB.toUpperCase(), SUB));
  const westeurope = replicaId(registry, 'westeurope');

  test('registries differing only in case are the same registry', () => {
    expect(shouting.registryName).toBe('CONTOSOACR');
    expect(sameRegistry(registry, shouting)).toBe(true);
    expect(registryKey(registry)).toBe(registryKey(shouting));
  });

  test.each([
    ['another subscription', registryId('11111111-1111-1111-1111-111111111111', 'rg-platform', 'contosoacr')],
    ['another resource group', registryId(SUB, 'rg-other', 'contosoacr')],
    ['another name', registryId(SUB, 'rg-platform', 'contosoacr2')],
  ])('a registry in %s is a different registry', (_scenario, other) => {
    expect(sameRegistry(registry, other)).toBe(false);
    expect(registryKey(registry)).not.toBe(registryKey(other));
  });

  test('the key is the lower-cased formatted id', () => {
    expect(registryKey(registry)).toBe(CANONICAL.toLowerCase());
    expect(replicaKey(westeurope)).toBe(`${CANONICAL}/replications/westeurope`.toLowerCase());
  });

  test('replicas differing only in case are the same replica', () => {
    expect(sameReplica(westeurope, replicaId(shouting, 'WESTEUROPE'))).toBe(true);
  });

  test('two replicas of one registry are different replicas of the same registry', () => {
    const northeurope = replicaId(registry, 'northeurope');
    expect(sameReplica(westeurope, northeurope)).toBe(false);
    expect(sameRegistry(westeurope, northeurope)).toBe(true);
  });

  test('a key finds the entry whatever the casing of the id it came from', () => {
    const seen = new Map([[replicaKey(westeurope), 'Succeeded']]);
    expect(seen.get(replicaKey(parseReplicaId(formatReplicaId(westeurope).toLowerCase())))).toBe('Succeeded');
  });

  test('registryOfReplica gives a plain registry id', () => {
    expect(registryOfReplica(westeurope)).toStrictEqual(registry);
    expect(Object.keys(registryOfReplica(westeurope))).not.toContain('replicaName');
  });
});

describe('resourceIdShape tells the kinds of id apart without parsing their names', () => {
  test.each([
    ['a registry', CANONICAL, 'registry'],
    ['a registry with a trailing slash', `${CANONICAL}/`, 'registry'],
    ['a registry in other casing', CANONICAL.toUpperCase(), 'registry'],
    ['a replica', `${CANONICAL}/replications/westus2`, 'replica'],
    ['a replica in other casing', `${CANONICAL}/REPLICATIONS/westus2`, 'replica'],
    ['a resource group', `/subscriptions/${SUB}/resourceGroups/rg-platform`, undefined],
    ['a fleet target', 'sweep', undefined],
    ['a replica without a name', `${CANONICAL}/replications/`, undefined],
    [
      'another provider',
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/app`,
      undefined,
    ],
  ])('%s', (_name, text, expected) => {
    expect(resourceIdShape(text)).toBe(expected);
  });

  test('the shape agrees with what the parsers accept', () => {
    expect(() => parseRegistryId(CANONICAL)).not.toThrow();
    expect(() => parseReplicaId(`${CANONICAL}/replications/westus2`)).not.toThrow();
  });
});
