import {
  applyUpdate,
  DEFAULT_REPLICA_SETTINGS,
  diffSettings,
  parseCreateReplicaRequest,
  parseUpdateReplicaRequest,
  parseZoneRedundancy,
} from '../../src/domain';
import type { ReplicaSettings } from '../../src/domain';
import { invalidFieldsOf, onlyErrorOf, validationErrorOf } from './thrown';

describe('DEFAULT_REPLICA_SETTINGS', () => {
  test('match the ARM defaults for a new replication', () => {
    expect(DEFAULT_REPLICA_SETTINGS).toStrictEqual({
      regionEndpointEnabled: true,
      zoneRedundancy: 'Disabled',
      tags: {},
    });
  });

  test('cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_REPLICA_SETTINGS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_REPLICA_SETTINGS.tags)).toBe(true);
  });
});

describe('parseCreateReplicaRequest', () => {
  test('a location alone gives a replica named after the region with default settings', () => {
    expect(parseCreateReplicaRequest({ location: 'West Europe' })).toStrictEqual({
      location: 'westeurope',
      name: 'westeurope',
      settings: DEFAULT_REPLICA_SETTINGS,
    });
  });

  test('every field given is taken', () => {
    expect(
      parseCreateReplicaRequest({
        location: 'eastus2',
        name: 'useast2replica',
        regionEndpointEnabled: false,
        zoneRedundancy: 'Enabled',
        tags: { env: 'prod' },
      }),
    ).toStrictEqual({
      location: 'eastus2',
      name: 'useast2replica',
      settings: { regionEndpointEnabled: false, zoneRedundancy: 'Enabled', tags: { env: 'prod' } },
    });
  });

  test('zone redundancy is matched case-insensitively and spelt the ARM way', () => {
    expect(
      parseCreateReplicaRequest({ location: 'westus', zoneRedundancy: 'enabled' }).settings.zoneRedundancy,
    ).toBe('Enabled');
  });

  test('works on a body straight from JSON.parse', () => {
    const body: unknown = JSON.parse('{"location":"North Europe","tags":{"team":"platform"}}');
    expect(parseCreateReplicaRequest(body)).toMatchObject({ location: 'northeurope', name: 'northeurope' });
  });

  test.each([null, [], 'westeurope', 42, true, undefined])(
    'a body that is %p is rejected as a whole',
    (body) => {
      const error = onlyErrorOf(() => parseCreateReplicaRequest(body));
      expect(error.field).toBe('body');
      expect(error.reason).toBe('must be a JSON object');
    },
  );

  test('a missing location is reported', () => {
    const error = onlyErrorOf(() => parseCreateReplicaRequest({ name: 'westeurope' }));
    expect(error.toJSON()).toStrictEqual({ field: 'location', reason: 'is required' });
  });

  test.each([
    ['location', 42],
    ['location', null],
    ['location', { name: 'westeurope' }],
    ['location', ''],
    ['location', 'west.europe'],
    ['name', 42],
    ['name', null],
    ['name', 'west-europe'],
    ['name', 'abcd'],
    ['regionEndpointEnabled', 'true'],
    ['regionEndpointEnabled', 1],
    ['regionEndpointEnabled', null],
    ['zoneRedundancy', true],
    ['zoneRedundancy', 'Maybe'],
    ['zoneRedundancy', null],
    ['tags', []],
    ['tags', 'env=prod'],
    ['tags', null],
  ])('%s = %p is rejected, naming the field', (field, value) => {
    const body = { location: 'westeurope', [field]: value };
    expect(invalidFieldsOf(() => parseCreateReplicaRequest(body))).toStrictEqual([field]);
  });

  test('a bad tag is reported by its name', () => {
    expect(
      invalidFieldsOf(() => parseCreateReplicaRequest({ location: 'westus', tags: { env: 1 } })),
    ).toStrictEqual(['tags.env']);
  });

  test.each(['locaton', 'Location', 'replicaName', 'recreate', 'properties'])(
    'an unknown field %p is rejected rather than ignored',
    (field) => {
      const error = onlyErrorOf(() => parseCreateReplicaRequest({ location: 'westus', [field]: 'x' }));
      expect(error.field).toBe(field);
      expect(error.reason).toContain('unknown field');
    },
  );

  test('inherited property names are unknown fields, not lookups into the prototype', () => {
    const body: unknown = JSON.parse('{"location":"westus","constructor":"x"}');
    expect(invalidFieldsOf(() => parseCreateReplicaRequest(body))).toStrictEqual(['constructor']);
  });

  test('properties inherited by the body are not read', () => {
    const body: unknown = Object.create({ location: 'westeurope' });
    expect(invalidFieldsOf(() => parseCreateReplicaRequest(body))).toStrictEqual(['location']);
  });

  test('a region too short to name a replica asks for a name', () => {
    const error = onlyErrorOf(() => parseCreateReplicaRequest({ location: 'east' }));
    expect(error.field).toBe('name');
    expect(error.reason).toContain('give a name');
  });

  test('a short region with a name given is fine', () => {
    expect(parseCreateReplicaRequest({ location: 'east', name: 'eastreplica' }).name).toBe('eastreplica');
  });

  test('an invalid location without a name is reported once, on location only', () => {
    expect(invalidFieldsOf(() => parseCreateReplicaRequest({ location: '' }))).toStrictEqual(['location']);
  });

  test('every problem is reported at once, unknown fields first', () => {
    const body = {
      typo: 1,
      location: 7,
      name: 'x',
      regionEndpointEnabled: 'yes',
      zoneRedundancy: 'on',
      tags: { 'a/b': 'v' },
    };
    expect(invalidFieldsOf(() => parseCreateReplicaRequest(body))).toStrictEqual([
      'typo',
      'location',
      'name',
      'regionEndpointEnabled',
      'zoneRedundancy',
      'tags.a/b',
    ]);
  });
});

describe('parseUpdateReplicaRequest', () => {
  test.each([
    [{ regionEndpointEnabled: false }, { regionEndpointEnabled: false }],
    [{ tags: { env: 'prod' } }, { tags: { env: 'prod' } }],
    [{ tags: {} }, { tags: {} }],
    [{ zoneRedundancy: 'Enabled', recreate: true }, { zoneRedundancy: 'Enabled' }],
    [{ zoneRedundancy: 'disabled', recreate: true }, { zoneRedundancy: 'Disabled' }],
    [
      { regionEndpointEnabled: true, tags: { a: 'b' }, recreate: false },
      { regionEndpointEnabled: true, tags: { a: 'b' } },
    ],
  ])('%p gives exactly the requested changes %p', (body, update) => {
    expect(parseUpdateReplicaRequest(body)).toStrictEqual(update);
  });

  test.each([{ zoneRedundancy: 'Enabled' }, { zoneRedundancy: 'Enabled', recreate: false }])(
    'a zone redundancy change without "recreate": true is refused (%p)',
    (body) => {
      const error = onlyErrorOf(() => parseUpdateReplicaRequest(body));
      expect(error.field).toBe('zoneRedundancy');
      expect(error.reason).toContain('deletes and recreates');
      expect(error.reason).toContain('"recreate": true');
    },
  );

  test('"recreate": true on its own is refused', () => {
    const error = onlyErrorOf(() => parseUpdateReplicaRequest({ recreate: true, tags: {} }));
    expect(error.field).toBe('recreate');
  });

  test('"recreate": true with an invalid zone redundancy reports the zone redundancy only', () => {
    expect(
      invalidFieldsOf(() => parseUpdateReplicaRequest({ recreate: true, zoneRedundancy: 'on' })),
    ).toStrictEqual(['zoneRedundancy']);
  });

  test.each([{}, { recreate: false }])('a body with nothing to change (%p) is refused', (body) => {
    const error = onlyErrorOf(() => parseUpdateReplicaRequest(body));
    expect(error.field).toBe('body');
    expect(error.reason).toContain('nothing to update');
  });

  test.each([null, [], 'x', 0])('a body that is %p is rejected as a whole', (body) => {
    expect(invalidFieldsOf(() => parseUpdateReplicaRequest(body))).toStrictEqual(['body']);
  });

  test.each([
    ['regionEndpointEnabled', 'false'],
    ['regionEndpointEnabled', null],
    ['tags', ['a']],
    ['tags', null],
    ['zoneRedundancy', 1],
    ['zoneRedundancy', 'Zonal'],
    ['recreate', 'true'],
    ['recreate', null],
  ])('%s = %p is rejected, naming the field', (field, value) => {
    const fields = invalidFieldsOf(() => parseUpdateReplicaRequest({ tags: {}, [field]: value }));
    expect(fields[0]).toBe(field);
  });

  test.each(['location', 'name', 'regionEndpoint', 'properties'])(
    '%p cannot be changed by an update and is an unknown field',
    (field) => {
      expect(invalidFieldsOf(() => parseUpdateReplicaRequest({ tags: {}, [field]: 'x' }))).toStrictEqual([
        field,
      ]);
    },
  );
});

describe('parseZoneRedundancy', () => {
  test('names the field it was given', () => {
    expect(validationErrorOf(() => parseZoneRedundancy('no', 'settings.zoneRedundancy')).field).toBe(
      'settings.zoneRedundancy',
    );
  });
});

describe('applyUpdate', () => {
  const current: ReplicaSettings = {
    regionEndpointEnabled: true,
    zoneRedundancy: 'Disabled',
    tags: { env: 'prod', team: 'platform' },
  };

  test('an empty update keeps everything', () => {
    expect(applyUpdate(current, {})).toStrictEqual(current);
  });

  test('changes only the fields given', () => {
    expect(applyUpdate(current, { regionEndpointEnabled: false })).toStrictEqual({
      ...current,
      regionEndpointEnabled: false,
    });
  });

  test('replaces the tags as a whole, as an ARM PATCH does', () => {
    expect(applyUpdate(current, { tags: { env: 'test' } }).tags).toStrictEqual({ env: 'test' });
    expect(applyUpdate(current, { tags: {} }).tags).toStrictEqual({});
  });

  test('takes a confirmed zone redundancy change', () => {
    expect(applyUpdate(current, { zoneRedundancy: 'Enabled' }).zoneRedundancy).toBe('Enabled');
  });
});

describe('diffSettings', () => {
  const base: ReplicaSettings = { regionEndpointEnabled: true, zoneRedundancy: 'Disabled', tags: { a: '1' } };

  test.each<[string, Partial<ReplicaSettings>, string[]]>([
    ['nothing', {}, []],
    ['the same tags in another order', { tags: { a: '1' } }, []],
    ['the regional endpoint', { regionEndpointEnabled: false }, ['regionEndpointEnabled']],
    ['zone redundancy', { zoneRedundancy: 'Enabled' }, ['zoneRedundancy']],
    ['a tag value', { tags: { a: '2' } }, ['tags']],
    ['an added tag', { tags: { a: '1', b: '2' } }, ['tags']],
    ['all tags removed', { tags: {} }, ['tags']],
    ['the case of a tag name', { tags: { A: '1' } }, ['tags']],
    [
      'everything',
      { regionEndpointEnabled: false, zoneRedundancy: 'Enabled', tags: {} },
      ['regionEndpointEnabled', 'zoneRedundancy', 'tags'],
    ],
  ])('reports a change of %s', (_scenario, change, changed) => {
    expect(diffSettings(base, { ...base, ...change })).toStrictEqual(changed);
  });

  test('an update applied and diffed reports exactly what it changed', () => {
    const update = parseUpdateReplicaRequest({ tags: { a: '1', b: '2' }, regionEndpointEnabled: true });
    expect(diffSettings(base, applyUpdate(base, update))).toStrictEqual(['tags']);
  });
});
