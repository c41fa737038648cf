import { actionMatches } from '../actionPattern';

describe('RBAC action patterns', () => {
  it.each([
    ['*', 'Microsoft.Network/privateEndpoints/write', true],
    ['*/read', 'Microsoft.ContainerRegistry/registries/replications/read', true],
    ['*/read', 'Microsoft.ContainerRegistry/registries/replications/write', false],
    ['Microsoft.Network/*', 'Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write', true],
    ['Microsoft.Network/*', 'Microsoft.NetworkFunction/x/read', false],
    [
      'Microsoft.ContainerRegistry/registries/*/write',
      'Microsoft.ContainerRegistry/registries/replications/write',
      true,
    ],
    ['Microsoft.ContainerRegistry/registries/*/write', 'Microsoft.ContainerRegistry/registries/write', false],
    [
      'Microsoft.ContainerRegistry/registries/*/write',
      'Microsoft.ContainerRegistry/registries/replications/read',
      false,
    ],
    ['Microsoft.Authorization/*/Write', 'microsoft.authorization/roleassignments/write', true],
    [
      'Microsoft.Authorization/roleAssignments/write',
      'Microsoft.Authorization/roleAssignments/writeX',
      false,
    ],
    // Dots are literal, not "any character".
    ['Microsoft.Network/a.b', 'Microsoft.Network/aXb', false],
  ])('%s matches %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});
