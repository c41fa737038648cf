import { defaultReplicaName, normaliseRegion, sameRegion } from '../../src/domain';
import { validationErrorOf } from './thrown';

describe('normaliseRegion', () => {
  test.each([
    ['westeurope', 'westeurope'],
    ['West Europe', 'westeurope'],
    [' eastus2 ', 'eastus2'],
    ['EASTUS', 'eastus'],
    ['east-us-2', 'eastus2'],
    ['south_central_us', 'southcentralus'],
    ['West\tEurope', 'westeurope'],
    ['Germany West Central', 'germanywestcentral'],
    ['r'.repeat(40), 'r'.repeat(40)],
  ])('%p → %p', (text, region) => {
    expect(normaliseRegion(text)).toBe(region);
  });

  test.each([
    ['', 'must name an Azure region'],
    ['   ', 'must name an Azure region'],
    ['-_ -', 'must name an Azure region'],
    ['west.europe', 'letters and digits'],
    ['europe/west', 'letters and digits'],
    ['wëst europe', 'letters and digits'],
    ['westeurope;drop', 'letters and digits'],
    ['r'.repeat(41), 'at most 40'],
  ])('rejects %p naming location', (text, reason) => {
    const error = validationErrorOf(() => normaliseRegion(text));
    expect(error.field).toBe('location');
    expect(error.reason).toContain(reason);
  });

  test('names the field the caller gave', () => {
    expect(validationErrorOf(() => normaliseRegion('', 'region')).field).toBe('region');
  });

  test('echoes what the caller sent, not the normalised form', () => {
    expect(validationErrorOf(() => normaliseRegion('West.Europe')).value).toBe('West.Europe');
  });
});

describe('sameRegion', () => {
  test.each([
    ['West Europe', 'westeurope', true],
    ['westeurope', 'WESTEUROPE', true],
    ['East US 2', 'eastus2', true],
    ['westeurope', 'westus', false],
    ['eastus', 'eastus2', false],
  ])('%p and %p → %p', (a, b, same) => {
    expect(sameRegion(a, b)).toBe(same);
  });

  test('does not throw for text that is not a region', () => {
    expect(sameRegion('', 'west.europe')).toBe(false);
  });
});

describe('defaultReplicaName', () => {
  test.each(['westeurope', 'eastus2', 'germanywestcentral'])(
    'names the replica after region %p',
    (region) => {
      expect(defaultReplicaName(region)).toBe(region);
    },
  );

  test.each(['east', 'r'.repeat(51)])('asks for a name when region %p does not make one', (region) => {
    const error = validationErrorOf(() => defaultReplicaName(region));
    expect(error.field).toBe('name');
    expect(error.reason).toContain('give a name');
    expect(error.reason).toContain(region);
  });
});
