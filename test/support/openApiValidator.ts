// Validates values against the schemas of an OpenAPI 3.0 document with Ajv. The whole document is
// registered as one schema under an id, so every `#/components/schemas/...` ref resolves as written;
// its top-level OpenAPI fields are declared as annotations so that Ajv's strict mode still rejects
// unknown keywords and formats inside the schemas themselves. OpenAPI 3.0's `nullable` is understood by
// Ajv as it is.
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

import { findUndeclaredOpenApiProperties } from './findUndeclaredOpenApiProperties';
import { resolveRef } from './openApiDocument';

const DOCUMENT_ID = 'https://acr-replica-guard.invalid/openapi.json';
/** Fields of an OpenAPI document (and of 3.0 schemas) that are not JSON Schema keywords. */
const OPENAPI_KEYWORDS = [
  'openapi',
  'info',
  'servers',
  'security',
  'paths',
  'components',
  'tags',
  'externalDocs',
  'example',
  'xml',
];

export class OpenApiValidator {
  readonly #ajv: Ajv;
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(readonly document: Record<string, unknown>) {
    this.#ajv = new Ajv({ strict: true, strictTypes: false, allErrors: true });
    addFormats(this.#ajv);
    for (const keyword of OPENAPI_KEYWORDS) this.#ajv.addKeyword(keyword);
    this.#ajv.addSchema(document, DOCUMENT_ID);
  }

  /** Compiles the schema at a JSON pointer of the document; throws when it is not a valid schema. */
  compile(schemaPointer: string): ValidateFunction {
    let validate = this.#validators.get(schemaPointer);
    if (validate === undefined) {
      const fragment = schemaPointer
        .split('/')
        .map((token) => encodeURIComponent(token))
        .join('/');
      validate = this.#ajv.compile({ $ref: `${DOCUMENT_ID}#${fragment}` });
      this.#validators.set(schemaPointer, validate);
    }
    return validate;
  }

  /** Readable problems of `value` against the schema at `schemaPointer`; empty when it conforms. */
  validate(schemaPointer: string, value: unknown): string[] {
    const validate = this.compile(schemaPointer);
    validate(value);
    const schemaErrors = (validate.errors ?? []).map(describe);
    const schema = resolveRef(this.document, `#${schemaPointer}`) as Record<string, unknown>;
    return [...schemaErrors, ...findUndeclaredOpenApiProperties(this.document, schema, value)];
  }
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || '(root)'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}
