// Validates a value against one schema of the spec files (addressed by file and JSON pointer): Ajv for
// types, required properties, enums and formats, plus the undeclared-property walk. Everything is built
// on first use and compiled validators are cached.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type Ajv from 'ajv';
import { pathToFileURL } from 'node:url';
import type { SwaggerSchema } from './armSpecFiles';
import {
  SPEC_FILES,
  getByPointer,
  loadJson,
  resolveRef,
  specFilePath,
  withReferencedFiles,
} from './armSpecFiles';
import { createSwaggerAjv } from './createSwaggerAjv';
import { findUndeclaredProperties, jsonPathChild } from './findUndeclaredProperties';
import { toAjvSchemaDocument } from './toAjvSchemaDocument';

export interface SchemaLocation {
  file: string;
  pointer: string;
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function fileUrl(file: string): string {
  return pathToFileURL(file).href;
}

function registeredAjv(): Ajv {
  if (ajv !== undefined) return ajv;
  const instance = createSwaggerAjv();
  for (const file of withReferencedFiles(Object.values(SPEC_FILES).map(specFilePath))) {
    const refTarget = (ref: string): SwaggerSchema => resolveRef<SwaggerSchema>(file, ref).node;
    instance.addSchema(toAjvSchemaDocument(loadJson(file), fileUrl(file), refTarget));
  }
  ajv = instance;
  return instance;
}

function validatorFor(location: SchemaLocation): ValidateFunction {
  // Ajv reads a ref's fragment as a URI fragment: percent-encode each pointer token.
  const fragment = location.pointer
    .split('/')
    .map((token) => encodeURIComponent(decodeURIComponent(token)))
    .join('/');
  const ref = `${fileUrl(location.file)}#${fragment}`;
  let validate = validators.get(ref);
  if (validate === undefined) {
    validate = registeredAjv().compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

function toJsonPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((parent, key) => (/^\d+$/.test(key) ? `${parent}[${key}]` : jsonPathChild(parent, key)), '$');
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function formatAjvError(error: ErrorObject): string {
  const at = toJsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required property ${jsonPathChild(at, String(params.missingProperty))}`;
    case 'enum':
      return `${at} must be one of ${(params.allowedValues as unknown[]).map((v) => shown(v)).join(', ')} (got ${shown(error.data)})`;
    case 'type':
      return `${at} must be ${String(params.type)} (got ${shown(error.data)})`;
    case 'format':
      return `${at} must match format ${String(params.format)} (got ${shown(error.data)})`;
    default:
      return `${at} ${error.message ?? error.keyword}`;
  }
}

// `if` errors only say "must match else" around the real error; additional properties are reported by the
// undeclared-property walk, which sees every schema, not just those that say `additionalProperties: false`.
const REDUNDANT_KEYWORDS = new Set(['if', 'additionalProperties']);

/** Readable problems of `value` against the schema at `location`; empty when it conforms. */
export function validateSchemaAt(location: SchemaLocation, value: unknown): string[] {
  const validate = validatorFor(location);
  validate(value);
  const errors = validate.errors ?? [];
  // A value of the wrong type also fails its enum; the type error says enough.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const schemaErrors = errors
    .filter(
      (e) => !REDUNDANT_KEYWORDS.has(e.keyword) && !(e.keyword === 'enum' && wrongType.has(e.instancePath)),
    )
    .map(formatAjvError);
  const node = getByPointer(loadJson(location.file), location.pointer) as SwaggerSchema;
  const undeclared = findUndeclaredProperties({ ...location, node }, value);
  return [...new Set([...schemaErrors, ...undeclared])];
}
