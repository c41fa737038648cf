import {
  PRIVATE_LINK_ACTION,
  deterministicGuid,
  parseArmResourceId,
  permitsAction,
  scopeParameter,
  subscriptionScopeOf,
} from '../../src/domain';

describe('permitsAction grants an action', () => {
  test.each([
    ['listed exactly', [{ actions: [PRIVATE_LINK_ACTION] }]],
    ['listed in another case', [{ actions: [PRIVATE_LINK_ACTION.toUpperCase()] }]],
    ['by the owner wildcard', [{ actions: ['*'] }]],
    ['by a provider wildcard', [{ actions: ['Microsoft.Network/*'] }]],
    ['by a verb wildcard', [{ actions: ['*/write'] }]],
    ['by a wildcard inside the path', [{ actions: ['Microsoft.Network/privateEndpoints/*/write'] }]],
    [
      'by a second entry when the first excludes it',
      [{ actions: ['*'], notActions: ['Microsoft.Network/*'] }, { actions: [PRIVATE_LINK_ACTION] }],
    ],
    ['when the notActions exclude something else', [{ actions: ['*'], notActions: ['*/delete'] }]],
  ])('%s', (_scenario, permissions) => {
    expect(permitsAction(permissions, PRIVATE_LINK_ACTION)).toBe(true);
  });
});

describe('permitsAction refuses an action', () => {
  test.each([
    ['with no permissions', []],
    ['with an entry without actions', [{}]],
    ['to a reader', [{ actions: ['*/read'] }]],
    ['for another provider', [{ actions: ['Microsoft.ContainerRegistry/*'] }]],
    ['for a prefix only', [{ actions: ['Microsoft.Network/privateEndpoints/privateLinkServiceProxies'] }]],
    ['that its notActions exclude', [{ actions: ['*'], notActions: ['Microsoft.Network/*/write'] }]],
    [
      "that Contributor's notActions exclude, for authorization writes",
      [{ actions: ['*'], notActions: ['Microsoft.Authorization/*/Write'] }],
      'Microsoft.Authorization/roleAssignments/write',
    ],
    [
      'when a dot in the pattern would match any character',
      [{ actions: ['Microsoft.Network/*'] }],
      'MicrosoftXNetwork/a/write',
    ],
  ])('%s', (_scenario, permissions, action = PRIVATE_LINK_ACTION) => {
    expect(permitsAction(permissions, action)).toBe(false);
  });
});

describe('deterministicGuid', () => {
  const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  test('gives the same GUID for the same parts, whatever their case', () => {
    const a = deterministicGuid('/subscriptions/ABC', 'principal', 'role');
    expect(a).toMatch(GUID);
    expect(deterministicGuid('/subscriptions/abc', 'PRINCIPAL', 'role')).toBe(a);
  });

  test('gives different GUIDs for different parts, or the same text split differently', () => {
    const names = new Set([
      deterministicGuid('a-b', 'c'),
      deterministicGuid('a', 'b-c'),
      deterministicGuid('a-b-c'),
      deterministicGuid('c', 'a-b'),
    ]);
    expect(names.size).toBe(4);
  });
});

describe('ARM resource ids', () => {
  const pe =
    '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-1';

  test('a private endpoint id parses into its parts', () => {
    expect(parseArmResourceId(pe)).toEqual({
      subscriptionId: '11111111-2222-3333-4444-555555555555',
      resourceGroup: 'rg-net',
      provider: 'Microsoft.Network',
      type: 'privateEndpoints',
      name: 'pe-1',
    });
  });

  test('a nested or partial id is refused', () => {
    expect(() => parseArmResourceId(`${pe}/subresource/x`)).toThrow(/top-level/);
    expect(() => parseArmResourceId('/subscriptions/1/resourceGroups/rg')).toThrow(/top-level/);
  });

  test('the subscription scope of an id, and the scope parameter form without a leading slash', () => {
    expect(subscriptionScopeOf(pe)).toBe('/subscriptions/11111111-2222-3333-4444-555555555555');
    expect(() => subscriptionScopeOf('/providers/Microsoft.Management/managementGroups/x')).toThrow();
    expect(scopeParameter(pe)).toBe(pe.slice(1));
  });
});
