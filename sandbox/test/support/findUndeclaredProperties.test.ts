import type { SwaggerSchema } from './armSpecFiles';
import { SPEC_FILES, specFilePath } from './armSpecFiles';
import { findUndeclaredProperties } from './findUndeclaredProperties';

const authorizationCommon = specFilePath(SPEC_FILES.authorizationCommon);
const containerRegistry = specFilePath(SPEC_FILES.containerregistry);

function at(file: string, definition: string) {
  return {
    file,
    pointer: `/definitions/${definition}`,
    node: { $ref: `#/definitions/${definition}` } as SwaggerSchema,
  };
}

describe('undeclared properties', () => {
  test('a discriminated value may use its subtype properties, and nothing else', () => {
    const rule = {
      ruleType: 'RoleManagementPolicyExpirationRule',
      id: 'r',
      isExpirationRequired: true,
      bogus: 1,
    };
    expect(findUndeclaredProperties(at(authorizationCommon, 'RoleManagementPolicyRule'), rule)).toEqual([
      'unexpected property $.bogus',
    ]);
  });

  test('an unknown discriminator value falls back to the base properties', () => {
    const rule = { ruleType: 'SomethingNew', id: 'r', isExpirationRequired: true };
    expect(findUndeclaredProperties(at(authorizationCommon, 'RoleManagementPolicyRule'), rule)).toEqual([
      'unexpected property $.isExpirationRequired',
    ]);
  });

  test('properties inherited through allOf from a shared file are declared', () => {
    const replication = { id: '/x', name: 'n', type: 't', location: 'l', systemData: { createdBy: 'me' } };
    expect(findUndeclaredProperties(at(containerRegistry, 'Replication'), replication)).toEqual([]);
  });

  test('keys that are not identifiers are shown in bracket notation', () => {
    expect(findUndeclaredProperties(at(containerRegistry, 'Replication'), { 'odd key': 1 })).toEqual([
      'unexpected property $["odd key"]',
    ]);
  });
});
