// Turns a Swagger 2.0 document into one Ajv can register under its file URL. Only nullability needs
// rewriting: Swagger has no `null` type, and Azure's own validator (oav, nullableTransformer) lets an
// optional property be null unless it says `x-nullable: false`, while a required property, an array item
// or a map value is null only with `x-nullable: true`. Every other Swagger keyword is either plain JSON
// Schema or an `x-` extension that Ajv ignores in non-strict mode.
import type { SwaggerSchema } from './armSpecFiles';

/** Finds the schema a `$ref` (relative to the document being converted) points at. */
export type RefTarget = (ref: string) => SwaggerSchema | undefined;

/** Accepts null, and otherwise reports the wrapped schema's own errors (an anyOf would double them). */
export function allowNull(schema: SwaggerSchema): SwaggerSchema {
  return { if: { type: 'null' }, else: schema };
}

function declaredNullable(schema: SwaggerSchema, refTarget: RefTarget): boolean | undefined {
  if (schema['x-nullable'] !== undefined) return schema['x-nullable'];
  return schema.$ref === undefined ? undefined : refTarget(schema.$ref)?.['x-nullable'];
}

export function toAjvSchema(schema: SwaggerSchema, refTarget: RefTarget): SwaggerSchema {
  const converted: SwaggerSchema = { ...schema };
  const convert = (sub: SwaggerSchema): SwaggerSchema => toAjvSchema(sub, refTarget);
  if (schema.properties !== undefined) {
    const required = new Set(schema.required ?? []);
    converted.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => {
        const nullable = declaredNullable(property, refTarget) ?? !required.has(name);
        return [name, nullable ? allowNull(convert(property)) : convert(property)];
      }),
    );
  }
  for (const keyword of ['items', 'additionalProperties'] as const) {
    const sub = schema[keyword];
    if (sub !== undefined && typeof sub === 'object') {
      converted[keyword] = declaredNullable(sub, refTarget) === true ? allowNull(convert(sub)) : convert(sub);
    }
  }
  if (schema.allOf !== undefined) converted.allOf = schema.allOf.map(convert);
  return converted;
}

interface ParameterLike {
  schema?: SwaggerSchema;
  [key: string]: unknown;
}

function convertParameters(parameters: unknown, refTarget: RefTarget): unknown {
  if (parameters === null || typeof parameters !== 'object') return parameters;
  const convertOne = (parameter: ParameterLike): ParameterLike =>
    parameter.schema === undefined
      ? parameter
      : { ...parameter, schema: toAjvSchema(parameter.schema, refTarget) };
  return Array.isArray(parameters)
    ? (parameters as ParameterLike[]).map(convertOne)
    : Object.fromEntries(
        Object.entries(parameters as Record<string, ParameterLike>).map(([k, p]) => [k, convertOne(p)]),
      );
}

function convertPathItems(paths: unknown, refTarget: RefTarget): unknown {
  if (paths === null || typeof paths !== 'object') return paths;
  return Object.fromEntries(
    Object.entries(paths as Record<string, Record<string, Record<string, unknown>>>).map(
      ([pathKey, item]) => [
        pathKey,
        Object.fromEntries(
          Object.entries(item).map(([key, value]) => [
            key,
            key === 'parameters'
              ? convertParameters(value, refTarget)
              : {
                  ...value,
                  parameters: convertParameters(value.parameters, refTarget),
                  responses: convertParameters(value.responses, refTarget),
                },
          ]),
        ),
      ],
    ),
  );
}

/** The document with `$id` set and every schema it holds converted; JSON pointers into it stay valid. */
export function toAjvSchemaDocument(
  document: unknown,
  id: string,
  refTarget: RefTarget,
): Record<string, unknown> {
  const source = document as Record<string, unknown>;
  const definitions = (source.definitions ?? {}) as Record<string, SwaggerSchema>;
  return {
    $id: id,
    definitions: Object.fromEntries(
      Object.entries(definitions).map(([k, s]) => [k, toAjvSchema(s, refTarget)]),
    ),
    parameters: convertParameters(source.parameters, refTarget),
    responses: convertParameters(source.responses, refTarget),
    paths: convertPathItems(source.paths, refTarget),
    'x-ms-paths': convertPathItems(source['x-ms-paths'], refTarget),
  };
}
