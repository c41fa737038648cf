// Finds properties of a value that its OpenAPI schema does not declare. Schemas here leave
// `additionalProperties` open (so clients tolerate additions), which means Ajv alone would let an
// undocumented field through; this walk reports it, so the document keeps naming everything the API
// answers. Schemas without `properties` (free-form objects such as evidence) are not walked.
import { resolveRef } from './openApiDocument';

type Schema = Record<string, unknown>;

function deref(document: unknown, schema: Schema): Schema {
  return typeof schema.$ref === 'string'
    ? ((resolveRef(document, schema.$ref) as Schema | undefined) ?? {})
    : schema;
}

/** `properties` of a schema, merged across `allOf` members. */
function declaredProperties(document: unknown, schema: Schema): Record<string, Schema> | undefined {
  const own = schema.properties as Record<string, Schema> | undefined;
  const members = ((schema.allOf as Schema[] | undefined) ?? []).map((member) =>
    declaredProperties(document, deref(document, member)),
  );
  if (own === undefined && members.every((m) => m === undefined)) return undefined;
  return Object.assign({}, ...members, own) as Record<string, Schema>;
}

export function findUndeclaredOpenApiProperties(
  document: unknown,
  schemaIn: Schema,
  value: unknown,
  at = '$',
): string[] {
  const schema = deref(document, schemaIn);
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    return items === undefined
      ? []
      : value.flatMap((item, index) =>
          findUndeclaredOpenApiProperties(document, items, item, `${at}[${index}]`),
        );
  }
  if (value === null || typeof value !== 'object') return [];
  const properties = declaredProperties(document, schema);
  const additional = schema.additionalProperties;
  return Object.entries(value).flatMap(([key, child]) => {
    const declared = properties?.[key];
    if (declared !== undefined)
      return findUndeclaredOpenApiProperties(document, declared, child, `${at}.${key}`);
    if (typeof additional === 'object' && additional !== null)
      return findUndeclaredOpenApiProperties(document, additional as Schema, child, `${at}.${key}`);
    return properties === undefined || additional === true ? [] : [`${at}.${key} is not documented`];
  });
}
