import {
  MAX_DECLARED_REPLICAS,
  declarationFromReplicas,
  diffDeclarations,
  effectiveSettings,
  homeRegionEntriesWithSettings,
  isEmptyDiff,
  parseDesiredReplicaSet,
  parseImportOptions,
} from '../../src/domain';
import type { DesiredReplicaSet } from '../../src/domain';
import { invalidFieldsOf, onlyErrorOf } from './thrown';
import { replicaView } from '../support/replicaView';

describe('parseDesiredReplicaSet', () => {
  test('regions are normalised and sorted; absent options take their safe defaults', () => {
    expect(
      parseDesiredReplicaSet({ replicas: [{ location: 'South East Asia' }, { location: 'eastus' }] }),
    ).toStrictEqual({
      replicas: [{ location: 'eastus' }, { location: 'southeastasia' }],
      defaults: {},
      allowDeletes: false,
      drift: 'report',
    });
  });

  test('every field is taken: defaults, per-region overrides, allowDeletes and the drift policy', () => {
    const set = parseDesiredReplicaSet({
      defaults: { regionEndpointEnabled: true, zoneRedundancy: 'enabled', tags: { team: 'platform' } },
      replicas: [
        { location: 'westeurope' },
        { location: 'eastus', zoneRedundancy: 'Disabled', tags: { owner: 'us' } },
        { location: 'southeastasia', regionEndpointEnabled: false },
      ],
      allowDeletes: true,
      drift: 'AUTO',
    });
    expect(set).toStrictEqual({
      defaults: { regionEndpointEnabled: true, zoneRedundancy: 'Enabled', tags: { team: 'platform' } },
      replicas: [
        { location: 'eastus', zoneRedundancy: 'Disabled', tags: { owner: 'us' } },
        { location: 'southeastasia', regionEndpointEnabled: false },
        { location: 'westeurope' },
      ],
      allowDeletes: true,
      drift: 'auto',
    });
  });

  test('an empty list declares the home region alone', () => {
    expect(parseDesiredReplicaSet({ replicas: [] }).replicas).toEqual([]);
  });

  test('every bad field is reported at once, at every level, with its path', () => {
    expect(
      invalidFieldsOf(() =>
        parseDesiredReplicaSet({
          replicas: [
            { location: 'eastus', colour: 'blue' },
            { location: 'not a region!' },
            { regionEndpointEnabled: 'yes' },
            { location: 'East US' },
            'westus',
          ],
          defaults: { zoneRedundancy: 'sometimes', size: 3 },
          allowDeletes: 'true',
          drift: 'never',
          extra: 1,
        }),
      ),
    ).toEqual([
      'extra',
      'defaults.size',
      'defaults.zoneRedundancy',
      'replicas[0].colour',
      'replicas[1].location',
      'replicas[2].location',
      'replicas[2].regionEndpointEnabled',
      'replicas[3].location',
      'replicas[4]',
      'allowDeletes',
      'drift',
    ]);
  });

  test.each([
    ['a body that is not an object', [], 'body'],
    ['no replicas', {}, 'replicas'],
    ['replicas that are not a list', { replicas: { location: 'eastus' } }, 'replicas'],
    [
      'a tag that breaks the ARM rules',
      { replicas: [{ location: 'eastus', tags: { 'a/b': 'x' } }] },
      'replicas[0].tags.a/b',
    ],
    ['a region that makes no replica name', { replicas: [{ location: 'uk' }] }, 'replicas[0].location'],
  ])('refused: %s', (_name, body, field) => {
    expect(onlyErrorOf(() => parseDesiredReplicaSet(body)).field).toBe(field);
  });

  test('a region listed twice is named with the entry it repeats', () => {
    const error = onlyErrorOf(() =>
      parseDesiredReplicaSet({ replicas: [{ location: 'eastus' }, { location: 'East US' }] }),
    );
    expect([error.field, error.reason]).toEqual([
      'replicas[1].location',
      'eastus is already declared at replicas[0]; a registry has one replica per region',
    ]);
  });

  test(`at most ${MAX_DECLARED_REPLICAS} regions`, () => {
    const replicas = Array.from({ length: MAX_DECLARED_REPLICAS + 1 }, (_, i) => ({
      location: `region${i}`,
    }));
    expect(onlyErrorOf(() => parseDesiredReplicaSet({ replicas })).field).toBe('replicas');
  });

  test('a region whose own tags and the default tags together exceed the ARM limit is refused', () => {
    const tags = (prefix: string, n: number): Record<string, string> =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'x']));
    const error = onlyErrorOf(() =>
      parseDesiredReplicaSet({
        defaults: { tags: tags('d', 30) },
        replicas: [{ location: 'eastus', tags: tags('r', 21) }],
      }),
    );
    expect(error.field).toBe('replicas[0].tags');
  });
});

describe('parseImportOptions', () => {
  test('no body takes the defaults; a body may set the two options, nothing else', () => {
    expect(parseImportOptions(undefined)).toEqual({ allowDeletes: false, drift: 'report' });
    expect(parseImportOptions({ drift: 'approve', allowDeletes: true })).toEqual({
      allowDeletes: true,
      drift: 'approve',
    });
    expect(invalidFieldsOf(() => parseImportOptions({ replicas: [] }))).toEqual(['replicas']);
  });
});

describe('effectiveSettings', () => {
  const set = (defaults: object, replica: object): DesiredReplicaSet =>
    parseDesiredReplicaSet({ defaults, replicas: [{ location: 'eastus', ...replica }] });

  test.each([
    ['nothing given anywhere: nothing managed', {}, {}, {}],
    ['defaults only', { zoneRedundancy: 'Enabled' }, {}, { zoneRedundancy: 'Enabled' }],
    [
      'the entry wins over the defaults',
      { regionEndpointEnabled: true },
      { regionEndpointEnabled: false },
      { regionEndpointEnabled: false },
    ],
    [
      'tags merge, the entry winning whatever the case',
      { tags: { Team: 'a', env: 'prod' } },
      { tags: { team: 'b' } },
      { tags: { env: 'prod', team: 'b' } },
    ],
    ['tags of the entry alone', {}, { tags: { team: 'b' } }, { tags: { team: 'b' } }],
    ['an empty tag set is managed: it means no tags', {}, { tags: {} }, { tags: {} }],
  ])('%s', (_name, defaults, replica, expected) => {
    const declaration = set(defaults, replica);
    expect(effectiveSettings(declaration, declaration.replicas[0]!)).toStrictEqual(expected);
  });
});

describe('homeRegionEntriesWithSettings', () => {
  test('the home region may be listed, but not with settings of its own', () => {
    const set = parseDesiredReplicaSet({
      defaults: { zoneRedundancy: 'Enabled' },
      replicas: [{ location: 'westeurope' }, { location: 'eastus' }],
    });
    expect(homeRegionEntriesWithSettings(set, 'West Europe')).toEqual([]);
    const withSettings = parseDesiredReplicaSet({ replicas: [{ location: 'westeurope', tags: {} }] });
    expect(homeRegionEntriesWithSettings(withSettings, 'westeurope')).toEqual(['westeurope']);
  });
});

const replica = replicaView;

describe('declarationFromReplicas', () => {
  test('lists every region, the home region without settings, and lifts shared values into the defaults', () => {
    const set = declarationFromReplicas(
      [
        replica('westeurope'),
        replica('eastus', { zoneRedundancy: 'Enabled', tags: { team: 'a' } }),
        replica('southeastasia', { tags: { team: 'a' } }),
      ],
      'westeurope',
      { allowDeletes: false, drift: 'report' },
    );
    expect(set).toStrictEqual({
      replicas: [
        { location: 'eastus', zoneRedundancy: 'Enabled' },
        { location: 'southeastasia', zoneRedundancy: 'Disabled' },
        { location: 'westeurope' },
      ],
      defaults: { regionEndpointEnabled: true, tags: { team: 'a' } },
      allowDeletes: false,
      drift: 'report',
    });
  });

  test('a registry with its home replica alone declares just the home region', () => {
    expect(
      declarationFromReplicas([replica('westeurope')], 'westeurope', { allowDeletes: true, drift: 'auto' }),
    ).toStrictEqual({
      replicas: [{ location: 'westeurope' }],
      defaults: {},
      allowDeletes: true,
      drift: 'auto',
    });
  });

  test('what it makes parses back to itself', () => {
    const set = declarationFromReplicas(
      [replica('westeurope'), replica('eastus', { regionEndpointEnabled: false }), replica('uksouth')],
      'westeurope',
      { allowDeletes: false, drift: 'approve' },
    );
    expect(parseDesiredReplicaSet(JSON.parse(JSON.stringify(set)))).toStrictEqual(set);
  });
});

describe('diffDeclarations', () => {
  const v1 = parseDesiredReplicaSet({
    defaults: { tags: { team: 'a' } },
    replicas: [{ location: 'eastus' }, { location: 'uksouth', zoneRedundancy: 'Enabled' }],
  });
  const v2 = parseDesiredReplicaSet({
    defaults: { tags: { team: 'b' } },
    replicas: [{ location: 'eastus' }, { location: 'uksouth' }, { location: 'southeastasia' }],
    drift: 'auto',
  });

  test('names regions added and removed, settings changed per region and in the defaults, and options', () => {
    expect(diffDeclarations(v1, v2)).toStrictEqual({
      added: ['southeastasia'],
      removed: [],
      changed: [{ location: 'uksouth', settings: { zoneRedundancy: { from: 'Enabled' } } }],
      defaults: { tags: { from: { team: 'a' }, to: { team: 'b' } } },
      drift: { from: 'report', to: 'auto' },
    });
  });

  test('from nothing everything is added; to nothing everything is removed; the same is no change', () => {
    expect(diffDeclarations(undefined, v1)).toMatchObject({ added: ['eastus', 'uksouth'], removed: [] });
    expect(diffDeclarations(v1, undefined)).toMatchObject({ added: [], removed: ['eastus', 'uksouth'] });
    expect(isEmptyDiff(diffDeclarations(v1, v1))).toBe(true);
    expect(isEmptyDiff(diffDeclarations(v1, v2))).toBe(false);
  });
});
