// Role assignment conditions as the sandbox reads and evaluates them. Sources: the condition format
// (learn.microsoft.com/azure/role-based-access-control/conditions-format: ActionMatches, @Request and
// @Resource attributes, the cross-product operators, AND/OR/NOT and their symbols) and the delegation
// examples (.../delegate-role-assignments-examples: "Constrain roles", "Constrain roles and principals",
// "Exclude roles"). Syntax outside that part is refused, never ignored (the sandbox's stricter choice).
import { ConditionSyntaxError, evaluateCondition, parseCondition } from '../conditions';
import type { ConditionContext } from '../conditions';

const WRITE = 'Microsoft.Authorization/roleAssignments/write';
const DELETE = 'Microsoft.Authorization/roleAssignments/delete';
const ROLE = '2f1a8c3e-5b7d-4e9f-a1c3-6d8e0f2b4a97';
const OTHER_ROLE = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const THIRD_ROLE = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const PRINCIPAL = '9c4e7a1b-3d5f-4a8c-b2e6-1f7d9a3c5e80';
const OTHER_PRINCIPAL = '11111111-2222-4333-8444-555555555555';

/** The documented "constrain roles and principals" form, for writes and deletes. */
const DELEGATION = `
(
 (
  !(ActionMatches{'${WRITE}'})
 )
 OR
 (
  @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ROLE}}
  AND
  @Request[Microsoft.Authorization/roleAssignments:PrincipalId] ForAnyOfAnyValues:GuidEquals {${PRINCIPAL}}
 )
)
AND
(
 (
  !(ActionMatches{'${DELETE}'})
 )
 OR
 (
  @Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ROLE}}
  AND
  @Resource[Microsoft.Authorization/roleAssignments:PrincipalId] ForAnyOfAnyValues:GuidEquals {${PRINCIPAL}}
 )
)`;

const write = (roleDefinitionId: string, principalId: string): ConditionContext => ({
  action: WRITE,
  request: { roleDefinitionId, principalId },
});
const remove = (roleDefinitionId: string, principalId: string): ConditionContext => ({
  action: DELETE,
  resource: { roleDefinitionId, principalId },
});

function holds(condition: string, context: ConditionContext): boolean {
  return evaluateCondition(parseCondition(condition), context);
}

function refusal(condition: string): string {
  try {
    parseCondition(condition);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error.message;
    throw error;
  }
  throw new Error(`expected ${condition} to be refused`);
}

describe('the "constrain roles and principals" delegation', () => {
  it('lets a write through only for the named role to the named principal', () => {
    expect(holds(DELEGATION, write(ROLE, PRINCIPAL))).toBe(true);
    expect(holds(DELEGATION, write(ROLE.toUpperCase(), PRINCIPAL.toUpperCase()))).toBe(true);
    expect(holds(DELEGATION, write(OTHER_ROLE, PRINCIPAL))).toBe(false);
    expect(holds(DELEGATION, write(ROLE, OTHER_PRINCIPAL))).toBe(false);
    expect(holds(DELEGATION, write(OTHER_ROLE, OTHER_PRINCIPAL))).toBe(false);
  });

  it('lets a delete through only for an existing assignment of that role to that principal', () => {
    expect(holds(DELEGATION, remove(ROLE, PRINCIPAL))).toBe(true);
    expect(holds(DELEGATION, remove(OTHER_ROLE, PRINCIPAL))).toBe(false);
    expect(holds(DELEGATION, remove(ROLE, OTHER_PRINCIPAL))).toBe(false);
  });

  it('does not judge a write by the resource attributes, nor a delete by the request attributes', () => {
    expect(
      holds(DELEGATION, { action: WRITE, resource: { roleDefinitionId: ROLE, principalId: PRINCIPAL } }),
    ).toBe(false);
    expect(
      holds(DELEGATION, { action: DELETE, request: { roleDefinitionId: ROLE, principalId: PRINCIPAL } }),
    ).toBe(false);
  });

  it('leaves every other action of the role alone', () => {
    expect(holds(DELEGATION, { action: 'Microsoft.Authorization/roleAssignments/read' })).toBe(true);
    expect(holds(DELEGATION, { action: 'Microsoft.Network/privateEndpoints/read' })).toBe(true);
  });
});

describe('operators and logic', () => {
  const role = `@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]`;
  const type = `@Request[Microsoft.Authorization/roleAssignments:PrincipalType]`;

  it('reads the cross-product quantifiers over a list of GUIDs', () => {
    const list = `{${ROLE}, ${OTHER_ROLE}}`;
    expect(holds(`${role} ForAnyOfAnyValues:GuidEquals ${list}`, write(OTHER_ROLE, PRINCIPAL))).toBe(true);
    // "Exclude roles": the role is none of those listed.
    expect(holds(`${role} ForAnyOfAllValues:GuidNotEquals ${list}`, write(OTHER_ROLE, PRINCIPAL))).toBe(
      false,
    );
    expect(holds(`${role} ForAnyOfAllValues:GuidNotEquals ${list}`, write(THIRD_ROLE, PRINCIPAL))).toBe(true);
    expect(holds(`${role} GuidEquals ${ROLE}`, write(ROLE, PRINCIPAL))).toBe(true);
    expect(holds(`${role} GuidNotEquals ${ROLE}`, write(ROLE, PRINCIPAL))).toBe(false);
  });

  it('compares principal types as strings', () => {
    const condition = `${type} ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal', 'Group'}`;
    expect(holds(condition, { action: WRITE, request: { principalType: 'servicePrincipal' } })).toBe(true);
    expect(holds(condition, { action: WRITE, request: { principalType: 'User' } })).toBe(false);
  });

  it('fails a comparison whose attribute is absent, negative operators included', () => {
    expect(holds(`${role} ForAnyOfAllValues:GuidNotEquals {${ROLE}}`, { action: WRITE })).toBe(false);
    expect(holds(`!(${role} GuidEquals ${ROLE})`, { action: WRITE })).toBe(true);
  });

  it('accepts the symbols and the words for AND, OR and NOT, in any case', () => {
    const context = write(ROLE, PRINCIPAL);
    expect(holds(`(${role} GuidEquals ${ROLE}) && !(${role} GuidEquals ${OTHER_ROLE})`, context)).toBe(true);
    expect(holds(`(${role} GuidEquals ${OTHER_ROLE}) || (${role} GuidEquals ${ROLE})`, context)).toBe(true);
    expect(holds(`not (${role} GuidEquals ${ROLE}) or (${role} GuidEquals ${ROLE})`, context)).toBe(true);
    expect(holds(`NOT (${role} GuidEquals ${ROLE})`, context)).toBe(false);
  });
});

describe('what the sandbox refuses to store, rather than ignore', () => {
  const role = `@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]`;

  it.each([
    ['an empty condition', '   '],
    ['an unbalanced parenthesis', `(${role} GuidEquals ${ROLE}`],
    ['text after the condition', `${role} GuidEquals ${ROLE} )`],
    [
      'AND and OR mixed without parentheses',
      `${role} GuidEquals ${ROLE} AND ${role} GuidEquals ${ROLE} OR ${role} GuidEquals ${ROLE}`,
    ],
    [
      'a storage attribute',
      `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'`,
    ],
    [
      'an @Principal attribute',
      `@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Team] StringEquals 'x'`,
    ],
    ['an @Environment attribute', `@Environment[isPrivateLink] BoolEquals true`],
    ['an unknown operator', `${role} GuidLike ${ROLE}`],
    ['an unknown quantifier', `${role} ForSomeValues:GuidEquals {${ROLE}}`],
    ['a string operator on a GUID attribute', `${role} StringEquals '${ROLE}'`],
    ['a value that is not a GUID', `${role} GuidEquals {not-a-guid}`],
    ['a list without a quantifier', `${role} GuidEquals {${ROLE}, ${OTHER_ROLE}}`],
    ['an action with a wildcard', `ActionMatches{'Microsoft.Authorization/*'}`],
    ['a sub-operation', `SubOperationMatches{'Blob.List'}`],
    ['an unterminated string', `ActionMatches{'${WRITE}}`],
  ])('%s', (_why, condition) => {
    expect(refusal(condition)).toMatch(/\(at character \d+\)$/);
  });
});
