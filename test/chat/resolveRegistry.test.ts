import { closestNames, matchRegistry } from '../../src/chat/resolveRegistry';
import type { RegistryView } from '../../src/domain';

const SUB = '00000000-0000-0000-0000-000000000001';
const view = (group: string, name: string): RegistryView => ({
  id: `/subscriptions/${SUB}/resourceGroups/${group}/providers/Microsoft.ContainerRegistry/registries/${name}`,
  name,
  location: 'westeurope',
  sku: 'Premium',
  tags: {},
  privateEndpointConnections: 0,
  privateEndpoints: [],
});

const FLEET = [
  view('rg-a', 'crshop01'),
  view('rg-a', 'crshop02'),
  view('rg-b', 'crbilling'),
  view('rg-b', 'crsame'),
  view('rg-c', 'CRSAME'),
];

describe('a registry name is resolved among the registries in scope', () => {
  test('a unique name matches whatever its case', () => {
    const found = matchRegistry('CrShop01', FLEET);
    expect(found).toMatchObject({ ok: true, id: { resourceGroup: 'rg-a', registryName: 'crshop01' } });
  });

  test('a name two registries share is ambiguous, and the answer lists both ids', () => {
    const found = matchRegistry('crsame', FLEET);
    expect(found).toMatchObject({ ok: false, reason: 'ambiguous' });
    if (!found.ok) {
      expect(found.message).toContain('/resourceGroups/rg-b/');
      expect(found.message).toContain('/resourceGroups/rg-c/');
    }
  });

  test('an unknown name is answered with the closest names', () => {
    const found = matchRegistry('crshop', FLEET);
    expect(found).toEqual({
      ok: false,
      reason: 'unknown',
      message: 'No registry named crshop in scope. Did you mean: crshop01, crshop02?',
    });
  });

  test('a typo suggests the name it is one letter away from', () => {
    expect(
      closestNames(
        'crbiling',
        FLEET.map((r) => r.name),
      )[0],
    ).toBe('crbilling');
  });

  test('a name like nothing in scope gets no suggestions', () => {
    expect(matchRegistry('zzzzzzzzzzzzzzzzzzzz', FLEET)).toEqual({
      ok: false,
      reason: 'unknown',
      message: 'No registry named zzzzzzzzzzzzzzzzzzzz in scope.',
    });
  });

  test('an empty scope has nothing to suggest', () => {
    expect(matchRegistry('crshop01', [])).toMatchObject({ ok: false, reason: 'unknown' });
  });
});
