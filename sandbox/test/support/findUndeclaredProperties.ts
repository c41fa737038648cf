// ARM specs rarely say `additionalProperties: false`, so plain schema validation accepts any invented field.
// A faithful stand-in must not invent fields: this walks a value along its schema (through `$ref`, `allOf`,
// `properties`, `items`, `additionalProperties` and discriminated subtypes) and lists every property the
// schema does not declare. Like Azure's validator (oav, noAdditionalPropertiesTransformer), an object schema
// that declares no properties at all is free-form, and `additionalProperties` maps (tags) take any key.
import type { Located, SwaggerSchema } from './armSpecFiles';
import { dereference, escapePointerToken, loadJson, resolveRef } from './armSpecFiles';

interface ObjectShape {
  properties: Map<string, Located<SwaggerSchema>>;
  additional: Located<SwaggerSchema> | boolean | undefined;
  discriminator?: string;
}

function child(
  at: Located<SwaggerSchema>,
  pointerSuffix: string,
  node: SwaggerSchema,
): Located<SwaggerSchema> {
  return { file: at.file, pointer: `${at.pointer}${pointerSuffix}`, node };
}

function collectShape(start: Located<SwaggerSchema>, shape: ObjectShape, seen: Set<string>): void {
  const at = dereference(start);
  const key = `${at.file}#${at.pointer}`;
  if (seen.has(key)) return;
  seen.add(key);
  const schema = at.node;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    shape.properties.set(name, child(at, `/properties/${escapePointerToken(name)}`, property));
  }
  const additional = schema.additionalProperties;
  if (typeof additional === 'object') shape.additional = child(at, '/additionalProperties', additional);
  else if (additional !== undefined && shape.additional === undefined) shape.additional = additional;
  if (schema.discriminator !== undefined) shape.discriminator ??= schema.discriminator;
  (schema.allOf ?? []).forEach((member, index) =>
    collectShape(child(at, `/allOf/${index}`, member), shape, seen),
  );
}

function shapeOf(at: Located<SwaggerSchema>): ObjectShape {
  const shape: ObjectShape = { properties: new Map(), additional: undefined };
  collectShape(at, shape, new Set());
  return shape;
}

/** The definition in the same file that extends `base` for this discriminator value, if any. */
function discriminatedSubtype(
  base: Located<SwaggerSchema>,
  value: unknown,
): Located<SwaggerSchema> | undefined {
  if (typeof value !== 'string') return undefined;
  const document = loadJson(base.file) as { definitions?: Record<string, SwaggerSchema> };
  const definitions = document.definitions ?? {};
  for (const [name, definition] of Object.entries(definitions)) {
    const extendsBase = (definition.allOf ?? []).some(
      (member) => member.$ref !== undefined && resolveRef(base.file, member.$ref).pointer === base.pointer,
    );
    if (extendsBase && (definition['x-ms-discriminator-value'] ?? name) === value) {
      return { file: base.file, pointer: `/definitions/${escapePointerToken(name)}`, node: definition };
    }
  }
  return undefined;
}

export function jsonPathChild(parent: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function walk(start: Located<SwaggerSchema>, value: unknown, jsonPath: string, found: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const at = dereference(start);
  if (Array.isArray(value)) {
    const items = at.node.items;
    if (items !== undefined) {
      value.forEach((item, index) => walk(child(at, '/items', items), item, `${jsonPath}[${index}]`, found));
    }
    return;
  }
  let shape = shapeOf(at);
  const record = value as Record<string, unknown>;
  if (shape.discriminator !== undefined) {
    const subtype = discriminatedSubtype(at, record[shape.discriminator]);
    if (subtype !== undefined) shape = shapeOf(subtype);
  }
  // Declares nothing: a free-form object (`type: object` alone, or `{}`).
  if (shape.properties.size === 0 && shape.additional === undefined) return;
  for (const [key, propertyValue] of Object.entries(record)) {
    const declared = shape.properties.get(key);
    const keyPath = jsonPathChild(jsonPath, key);
    if (declared !== undefined) walk(declared, propertyValue, keyPath, found);
    else if (typeof shape.additional === 'object') walk(shape.additional, propertyValue, keyPath, found);
    else if (shape.additional !== true) found.push(`unexpected property ${keyPath}`);
  }
}

/** `unexpected property <json path>` for each property of `value` its schema does not declare. */
export function findUndeclaredProperties(schema: Located<SwaggerSchema>, value: unknown): string[] {
  const found: string[] = [];
  walk(schema, value, '$', found);
  return found;
}
