// For an operation whose OpenAPI definition is not among the fixtures, its official example is the only
// reference. This is a weaker check than schema validation: a value must use only the fields the example
// shows, with the same JSON types; which fields are present below the root is not enforced, and enums,
// formats and fields the real definition has but the example omits are unknown to it.
import { jsonPathChild } from './findUndeclaredProperties';

type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

interface Shape {
  kinds: Set<JsonKind>;
  properties: Map<string, Shape>;
  items?: Shape;
}

function kindOf(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonKind;
}

function emptyShape(): Shape {
  return { kinds: new Set(), properties: new Map() };
}

/** Merges one example value into a shape: arrays merge all their items, objects all their keys. */
function addToShape(shape: Shape, value: unknown): Shape {
  shape.kinds.add(kindOf(value));
  if (Array.isArray(value)) {
    for (const item of value) shape.items = addToShape(shape.items ?? emptyShape(), item);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, property] of Object.entries(value)) {
      shape.properties.set(key, addToShape(shape.properties.get(key) ?? emptyShape(), property));
    }
  }
  return shape;
}

function compare(shape: Shape, value: unknown, jsonPath: string, found: string[]): void {
  const kind = kindOf(value);
  if (!shape.kinds.has(kind)) {
    found.push(
      `${jsonPath} must be ${[...shape.kinds].join(' or ')} as in the official example (got ${kind})`,
    );
    return;
  }
  if (Array.isArray(value)) {
    // An empty array in the example tells nothing about its items.
    if (shape.items !== undefined)
      value.forEach((item, i) => compare(shape.items!, item, `${jsonPath}[${i}]`, found));
  } else if (kind === 'object') {
    for (const [key, property] of Object.entries(value as Record<string, unknown>)) {
      const expected = shape.properties.get(key);
      const keyPath = jsonPathChild(jsonPath, key);
      if (expected === undefined) found.push(`unexpected property ${keyPath} (not in the official example)`);
      else compare(expected, property, keyPath, found);
    }
  }
}

/** Problems of `value` against the shape of `example`; the example's top-level fields are required. */
export function compareWithExampleShape(example: unknown, value: unknown): string[] {
  const found: string[] = [];
  if (example !== null && typeof example === 'object' && !Array.isArray(example)) {
    for (const key of Object.keys(example)) {
      const present = value !== null && typeof value === 'object' && key in value;
      if (!present) found.push(`missing required property ${jsonPathChild('$', key)}`);
    }
  }
  compare(addToShape(emptyShape(), example), value, '$', found);
  return found;
}
