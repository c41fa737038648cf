// ASP.NET Core route templates as Functions HTTP triggers use them: literals (case-insensitive),
// `{name}`, `{name?}`, `{name=default}`, `{name:constraint}` (several may be chained), `{*rest}`.

export interface CompiledRoute {
  template: string;
  /** Lower sorts first: literal segments before constrained parameters before parameters before catch-alls. */
  precedence: number[];
  match(path: string): Record<string, string> | undefined;
}

interface Parameter {
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue?: string;
  constraints: Constraint[];
}

type Constraint = (value: string) => boolean;

const INT32 = { min: -2147483648, max: 2147483647 };

function numberArgs(args: string): number[] {
  return args.split(',').map((a) => Number(a.trim()));
}

function constraintFor(spec: string): Constraint {
  const match = /^([a-zA-Z]+)(?:\((.*)\))?$/.exec(spec);
  if (!match) {
    throw new Error(`Unsupported route constraint "${spec}"`);
  }
  const name = (match[1] ?? '').toLowerCase();
  const args = match[2] ?? '';
  const isInteger = (v: string): boolean => /^-?\d+$/.test(v);
  switch (name) {
    case 'int':
      return (v) => isInteger(v) && Number(v) >= INT32.min && Number(v) <= INT32.max;
    case 'long':
      return isInteger;
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'guid':
      return (v) =>
        /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v) ||
        /^\{[0-9a-f-]{36}\}$/i.test(v);
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'decimal':
    case 'double':
    case 'float':
      return (v) => v.trim() !== '' && Number.isFinite(Number(v));
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'minlength':
      return (v) => v.length >= (numberArgs(args)[0] ?? 0);
    case 'maxlength':
      return (v) => v.length <= (numberArgs(args)[0] ?? Infinity);
    case 'length': {
      const [a, b] = numberArgs(args);
      return b === undefined ? (v) => v.length === a : (v) => v.length >= (a ?? 0) && v.length <= b;
    }
    case 'min':
      return (v) => isInteger(v) && Number(v) >= (numberArgs(args)[0] ?? -Infinity);
    case 'max':
      return (v) => isInteger(v) && Number(v) <= (numberArgs(args)[0] ?? Infinity);
    case 'range': {
      const [low, high] = numberArgs(args);
      return (v) => isInteger(v) && Number(v) >= (low ?? -Infinity) && Number(v) <= (high ?? Infinity);
    }
    case 'regex': {
      const expression = new RegExp(args, 'i');
      return (v) => expression.test(v);
    }
    default:
      throw new Error(`Unsupported route constraint "${spec}"`);
  }
}

/** Splits `name:c1:c2(x)=default?` into its parts; constraint arguments may contain colons. */
function parseParameter(body: string): Parameter {
  let text = body;
  let catchAll = false;
  if (text.startsWith('**')) {
    catchAll = true;
    text = text.slice(2);
  } else if (text.startsWith('*')) {
    catchAll = true;
    text = text.slice(1);
  }
  let optional = false;
  if (text.endsWith('?')) {
    optional = true;
    text = text.slice(0, -1);
  }
  const equals = indexAtTopLevel(text, '=');
  const defaultValue = equals < 0 ? undefined : text.slice(equals + 1);
  const parts = splitAtTopLevel(equals < 0 ? text : text.slice(0, equals), ':');
  const [name = '', ...constraints] = parts;
  return {
    name,
    optional: optional || catchAll || defaultValue !== undefined,
    catchAll,
    defaultValue,
    constraints: constraints.filter((c) => c !== '').map(constraintFor),
  };
}

/** Index of `char` outside parentheses (constraint arguments), or -1. */
function indexAtTopLevel(text: string, char: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === char && depth === 0) {
      return i;
    }
  }
  return -1;
}

function splitAtTopLevel(text: string, char: string): string[] {
  const parts: string[] = [];
  let rest = text;
  for (let i = indexAtTopLevel(rest, char); i >= 0; i = indexAtTopLevel(rest, char)) {
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  parts.push(rest);
  return parts;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileRoute(template: string): CompiledRoute {
  const clean = template.replace(/^[~/]+|\/+$/g, '');
  const segments = clean === '' ? [] : clean.split('/');
  const params: Parameter[] = [];
  const precedence: number[] = [];
  let source = '^';
  segments.forEach((segment, index) => {
    const tokens = segment.split(/(\{[^{}]*(?:\([^()]*\))?[^{}]*\})/).filter((t) => t !== '');
    const separator = index === 0 ? '' : '/';
    const only = tokens.length === 1 ? tokens[0] : undefined;
    if (only?.startsWith('{')) {
      const param = parseParameter(only.slice(1, -1));
      params.push(param);
      const group = param.catchAll ? '(.*)' : '([^/]+)';
      source += param.optional ? `(?:${separator}${group})?` : `${separator}${group}`;
      precedence.push(param.catchAll ? 5 : param.constraints.length > 0 ? 3 : 4);
      return;
    }
    source += separator;
    for (const token of tokens) {
      if (token.startsWith('{')) {
        const param = parseParameter(token.slice(1, -1));
        params.push(param);
        source += '([^/]+?)';
      } else {
        source += escapeRegExp(token);
      }
    }
    precedence.push(tokens.length === 1 ? 1 : 2);
  });
  const expression = new RegExp(`${source}$`, 'i');

  return {
    template,
    precedence,
    match(path: string): Record<string, string> | undefined {
      const result = expression.exec(path.replace(/^\/+|\/+$/g, ''));
      if (!result) {
        return undefined;
      }
      const values: Record<string, string> = {};
      for (let i = 0; i < params.length; i++) {
        const param = params[i];
        if (!param) {
          continue;
        }
        const raw = result[i + 1];
        const value = raw === undefined || raw === '' ? param.defaultValue : safeDecode(raw);
        if (value === undefined) {
          if (!param.optional) {
            return undefined;
          }
          continue;
        }
        if (!param.constraints.every((check) => check(value))) {
          return undefined;
        }
        values[param.name] = value;
      }
      return values;
    },
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function comparePrecedence(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    const x = a.precedence[i] ?? 0;
    const y = b.precedence[i] ?? 0;
    if (x !== y) {
      return x - y;
    }
  }
  return 0;
}
