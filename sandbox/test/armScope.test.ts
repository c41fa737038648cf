import { isValidScope, normalizeScope, scopeCovers, scopesRelated, subscriptionIdOf } from '../armScope';

describe('ARM scopes', () => {
  it('normalizes slashes the way paths arrive from SDKs (leading, doubled, trailing)', () => {
    expect(normalizeScope('subscriptions/s1')).toBe('/subscriptions/s1');
    expect(normalizeScope('//subscriptions/s1//resourceGroups/rg/')).toBe(
      '/subscriptions/s1/resourceGroups/rg',
    );
    expect(normalizeScope('')).toBe('/');
    expect(normalizeScope('/')).toBe('/');
  });

  it('covers itself and everything below, on whole segments only', () => {
    const rg1 = '/subscriptions/s1/resourceGroups/rg1';
    expect(scopeCovers(rg1, rg1)).toBe(true);
    expect(scopeCovers(rg1, `${rg1}/providers/Microsoft.ContainerRegistry/registries/acr1`)).toBe(true);
    expect(scopeCovers(rg1, '/subscriptions/s1/resourceGroups/rg10')).toBe(false);
    expect(
      scopeCovers(
        rg1,
        '/subscriptions/s1/resourceGroups/rg10/providers/Microsoft.Network/privateEndpoints/pe',
      ),
    ).toBe(false);
    expect(scopeCovers(`${rg1}/providers/Microsoft.ContainerRegistry/registries/acr1`, rg1)).toBe(false);
  });

  it('compares scopes without regard to case', () => {
    expect(
      scopeCovers('/SUBSCRIPTIONS/S1/resourcegroups/RG1', '/subscriptions/s1/resourceGroups/rg1/x/y'),
    ).toBe(true);
  });

  it('lets the tenant root cover every scope', () => {
    expect(scopeCovers('/', '/subscriptions/s1')).toBe(true);
  });

  it('relates scopes on one branch of the tree, in either direction, and no others', () => {
    expect(scopesRelated('/subscriptions/s1', '/subscriptions/s1/resourceGroups/rg')).toBe(true);
    expect(scopesRelated('/subscriptions/s1/resourceGroups/rg', '/subscriptions/s1')).toBe(true);
    expect(scopesRelated('/subscriptions/s1/resourceGroups/a', '/subscriptions/s1/resourceGroups/b')).toBe(
      false,
    );
  });

  it('finds the subscription of a scope, keeping its spelling', () => {
    expect(subscriptionIdOf('/subscriptions/AbC/resourceGroups/rg')).toBe('AbC');
    expect(subscriptionIdOf('/providers/Microsoft.Management/managementGroups/mg')).toBeUndefined();
  });

  it.each([
    ['/', true],
    ['/subscriptions/s1', true],
    ['/subscriptions/s1/resourceGroups/rg', true],
    ['/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe1', true],
    [
      '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r/replications/westeurope',
      true,
    ],
    ['/providers/Microsoft.Management/managementGroups/mg', true],
    ['/subscriptions/s1/resourceGroups', false],
    ['/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints', false],
    ['/resourceGroups/rg', false],
  ])('judges %s a valid scope: %s', (scope, valid) => {
    expect(isValidScope(scope)).toBe(valid);
  });
});
