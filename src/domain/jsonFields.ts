import { truncate, ValidationError } from './validationError';

/** A parsed JSON object: own enumerable properties only. */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, field: string): JsonObject {
  if (!isJsonObject(value)) throw new ValidationError(field, 'must be a JSON object', value);
  return value;
}

export function expectString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ValidationError(field, 'must be a string', value);
  return value;
}

export function expectBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new ValidationError(field, 'must be true or false', value);
  return value;
}

/** Reads an own property only, so names like `constructor` or `__proto__` never reach inherited values. */
export function ownField(object: JsonObject, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

/** One error per property not in `allowed`, so a misspelt field is reported instead of ignored. */
export function unknownFieldErrors(object: JsonObject, allowed: readonly string[]): ValidationError[] {
  return Object.keys(object)
    .filter((name) => !allowed.includes(name))
    .map(
      (name) =>
        new ValidationError(truncate(name), `unknown field; allowed fields are ${allowed.join(', ')}`),
    );
}

/** The parsed field, or undefined when the object does not have it. */
export function optionalField<T>(
  object: JsonObject,
  name: string,
  parse: (value: unknown, field: string) => T,
): T | undefined {
  const value = ownField(object, name);
  return value === undefined ? undefined : parse(value, name);
}

export function requiredField<T>(
  object: JsonObject,
  name: string,
  parse: (value: unknown, field: string) => T,
): T {
  const value = ownField(object, name);
  if (value === undefined) throw new ValidationError(name, 'is required');
  return parse(value, name);
}
