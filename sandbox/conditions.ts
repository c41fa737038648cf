// Role assignment conditions (Azure ABAC, version 2.0): the part Azure documents for delegating role
// assignment management ("constrain roles", "constrain roles and principals"), parsed once when an
// assignment is written and evaluated at every access check. Syntax outside that part is refused when
// the assignment is written, never ignored: an assignment whose condition cannot be evaluated must not
// grant more than its author meant.

export const CONDITION_VERSION = '2.0';

/** What a role assignment write or delete exposes to conditions, from the request or the stored resource. */
export interface ConditionAttributes {
  /** GUID of the role definition. */
  roleDefinitionId?: string;
  principalId?: string;
  principalType?: string;
}

export interface ConditionContext {
  /** The action being authorised. */
  action: string;
  request?: ConditionAttributes;
  resource?: ConditionAttributes;
}

type Source = 'request' | 'resource';
type AttributeKey = keyof ConditionAttributes;
type Quantifier = 'anyOfAny' | 'allOfAny' | 'anyOfAll' | 'allOfAll' | 'single';
type Operator =
  | 'GuidEquals'
  | 'GuidNotEquals'
  | 'StringEquals'
  | 'StringNotEquals'
  | 'StringEqualsIgnoreCase'
  | 'StringNotEqualsIgnoreCase';

export type Condition =
  | { kind: 'and' | 'or'; operands: Condition[] }
  | { kind: 'not'; operand: Condition }
  | { kind: 'action'; action: string }
  | {
      kind: 'compare';
      source: Source;
      attribute: AttributeKey;
      quantifier: Quantifier;
      operator: Operator;
      values: string[];
    };

export class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at character ${position})`);
    this.name = 'ConditionSyntaxError';
  }
}

const ATTRIBUTES: Record<string, AttributeKey> = {
  'microsoft.authorization/roleassignments:roledefinitionid': 'roleDefinitionId',
  'microsoft.authorization/roleassignments:principalid': 'principalId',
  'microsoft.authorization/roleassignments:principaltype': 'principalType',
};
const GUID_ATTRIBUTES: readonly AttributeKey[] = ['roleDefinitionId', 'principalId'];
const QUANTIFIERS: Record<string, Quantifier> = {
  foranyofanyvalues: 'anyOfAny',
  forallofanyvalues: 'allOfAny',
  foranyofallvalues: 'anyOfAll',
  forallofallvalues: 'allOfAll',
};
const OPERATORS: readonly Operator[] = [
  'GuidEquals',
  'GuidNotEquals',
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---- tokens ----

type Token =
  | { kind: 'punct'; value: '(' | ')' | '{' | '}' | ','; at: number }
  | { kind: 'not' | 'and' | 'or'; at: number }
  | { kind: 'attribute'; source: string; name: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'word'; value: string; at: number };

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i += 1;
    } else if ('(){},'.includes(c)) {
      tokens.push({ kind: 'punct', value: c as '(' | ')' | '{' | '}' | ',', at: i });
      i += 1;
    } else if (c === '!') {
      tokens.push({ kind: 'not', at: i });
      i += 1;
    } else if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      tokens.push({ kind: c === '&' ? 'and' : 'or', at: i });
      i += 2;
    } else if (c === '@') {
      const match = /^@([A-Za-z]+)\[([^\]]*)\]/.exec(text.slice(i));
      if (match === null) throw new ConditionSyntaxError('malformed attribute reference', i);
      tokens.push({ kind: 'attribute', source: match[1] ?? '', name: (match[2] ?? '').trim(), at: i });
      i += match[0].length;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ConditionSyntaxError('unterminated string', i);
      tokens.push({ kind: 'string', value: text.slice(i + 1, end), at: i });
      i = end + 1;
    } else {
      const match = /^[A-Za-z0-9_.:-]+/.exec(text.slice(i));
      if (match === null) throw new ConditionSyntaxError(`unexpected '${c}'`, i);
      const word = match[0];
      const keyword = word.toUpperCase();
      if (keyword === 'AND' || keyword === 'OR' || keyword === 'NOT') {
        tokens.push({ kind: keyword.toLowerCase() as 'and' | 'or' | 'not', at: i });
      } else {
        tokens.push({ kind: 'word', value: word, at: i });
      }
      i += word.length;
    }
  }
  return tokens;
}

// ---- parser ----

/** Parses a version 2.0 condition; throws ConditionSyntaxError for anything outside the supported part. */
export function parseCondition(text: string): Condition {
  const tokens = tokenise(text);
  let next = 0;
  const peek = (): Token | undefined => tokens[next];
  const end = text.length;
  const fail = (message: string, token: Token | undefined = peek()): never => {
    throw new ConditionSyntaxError(message, token?.at ?? end);
  };
  const expectPunct = (value: string): void => {
    const token = peek();
    if (token?.kind !== 'punct' || token.value !== value) fail(`expected '${value}'`);
    next += 1;
  };

  // AND and OR may not be mixed at one level without parentheses: precedence is not documented, so a
  // condition that depends on it is refused rather than read one way or the other.
  const expression = (): Condition => {
    const operands = [unary()];
    let joiner: 'and' | 'or' | undefined;
    for (let token = peek(); token?.kind === 'and' || token?.kind === 'or'; token = peek()) {
      if (joiner !== undefined && token.kind !== joiner) fail('AND and OR mixed without parentheses', token);
      joiner = token.kind;
      next += 1;
      operands.push(unary());
    }
    return joiner === undefined ? (operands[0] as Condition) : { kind: joiner, operands };
  };

  const unary = (): Condition => {
    if (peek()?.kind === 'not') {
      next += 1;
      return { kind: 'not', operand: unary() };
    }
    return primary();
  };

  const primary = (): Condition => {
    const token = peek();
    if (token === undefined) return fail('unexpected end of condition');
    if (token.kind === 'punct' && token.value === '(') {
      next += 1;
      const inner = expression();
      expectPunct(')');
      return inner;
    }
    if (token.kind === 'word' && token.value.toLowerCase() === 'actionmatches') {
      next += 1;
      expectPunct('{');
      const action = peek();
      if (action?.kind !== 'string' || action.value.trim() === '' || action.value.includes('*'))
        return fail('ActionMatches takes one action in quotes, without wildcards', action);
      next += 1;
      expectPunct('}');
      return { kind: 'action', action: action.value.trim() };
    }
    if (token.kind === 'attribute') return comparison(token);
    return fail('expected ActionMatches, an attribute, NOT or a parenthesis', token);
  };

  const comparison = (token: Extract<Token, { kind: 'attribute' }>): Condition => {
    next += 1;
    const source = token.source.toLowerCase() as Source;
    if (source !== 'request' && source !== 'resource')
      return fail(`unsupported attribute source '@${token.source}'`, token);
    const attribute = ATTRIBUTES[token.name.toLowerCase()];
    if (attribute === undefined) return fail(`unsupported attribute '${token.name}'`, token);

    const operatorToken = peek();
    if (operatorToken?.kind !== 'word') return fail('expected an operator', operatorToken);
    next += 1;
    const [first = '', second, ...rest] = operatorToken.value.split(':');
    const quantifier = second === undefined ? 'single' : QUANTIFIERS[first.toLowerCase()];
    const operatorName = second ?? first;
    const operator = OPERATORS.find((o) => o.toLowerCase() === operatorName.toLowerCase());
    if (quantifier === undefined || operator === undefined || rest.length > 0)
      return fail(`unsupported operator '${operatorToken.value}'`, operatorToken);
    const isGuid = GUID_ATTRIBUTES.includes(attribute);
    if (isGuid !== operator.startsWith('Guid'))
      return fail(`operator ${operator} does not apply to ${token.name}`, operatorToken);

    const values = valueList(isGuid);
    if (quantifier === 'single' && values.length !== 1)
      return fail(`${operator} without a quantifier takes one value`, operatorToken);
    return { kind: 'compare', source, attribute, quantifier, operator, values };
  };

  const valueList = (guids: boolean): string[] => {
    const open = peek();
    const braced = open?.kind === 'punct' && open.value === '{';
    if (braced) next += 1;
    const values = [value(guids)];
    while (braced && peek()?.kind === 'punct' && (peek() as { value: string }).value === ',') {
      next += 1;
      values.push(value(guids));
    }
    if (braced) expectPunct('}');
    return values;
  };

  const value = (guid: boolean): string => {
    const token = peek();
    if (guid) {
      // GUIDs are written bare in the documented examples; a quoted one is accepted too.
      const text = token?.kind === 'word' || token?.kind === 'string' ? token.value.trim() : '';
      if (!GUID.test(text)) return fail('expected a GUID', token);
      next += 1;
      return text.toLowerCase();
    }
    if (token?.kind !== 'string') return fail('expected a quoted string', token);
    next += 1;
    return token.value;
  };

  if (tokens.length === 0) fail('the condition is empty');
  const condition = expression();
  if (peek() !== undefined) fail('unexpected text after the condition');
  return condition;
}

// ---- evaluation ----

export function evaluateCondition(condition: Condition, context: ConditionContext): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.operands.every((operand) => evaluateCondition(operand, context));
    case 'or':
      return condition.operands.some((operand) => evaluateCondition(operand, context));
    case 'not':
      return !evaluateCondition(condition.operand, context);
    case 'action':
      return condition.action.toLowerCase() === context.action.toLowerCase();
    case 'compare':
      return compare(condition, context);
  }
}

function compare(condition: Extract<Condition, { kind: 'compare' }>, context: ConditionContext): boolean {
  const actual = context[condition.source]?.[condition.attribute];
  // An attribute the request or resource does not carry fails the comparison, negative operators
  // included: a condition never grants on what it could not see.
  if (actual === undefined || actual === '') return false;
  const left = [actual];
  const right = condition.values;
  const test = (l: string, r: string): boolean => compareValues(condition.operator, l, r);
  switch (condition.quantifier) {
    case 'single':
    case 'anyOfAny':
      return left.some((l) => right.some((r) => test(l, r)));
    case 'allOfAny':
      return left.every((l) => right.some((r) => test(l, r)));
    case 'anyOfAll':
      return left.some((l) => right.every((r) => test(l, r)));
    case 'allOfAll':
      return left.every((l) => right.every((r) => test(l, r)));
  }
}

function compareValues(operator: Operator, left: string, right: string): boolean {
  switch (operator) {
    case 'GuidEquals':
      return left.toLowerCase() === right.toLowerCase();
    case 'GuidNotEquals':
      return left.toLowerCase() !== right.toLowerCase();
    case 'StringEquals':
      return left === right;
    case 'StringNotEquals':
      return left !== right;
    case 'StringEqualsIgnoreCase':
      return left.toLowerCase() === right.toLowerCase();
    case 'StringNotEqualsIgnoreCase':
      return left.toLowerCase() !== right.toLowerCase();
  }
}
