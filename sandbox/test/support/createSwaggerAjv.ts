// An Ajv instance that understands the Swagger 2.0 schemas of the Azure REST API specs.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** Formats Azure specs use beyond what ajv-formats knows, each with a light check. */
const AZURE_FORMATS = {
  // ARM resource ids are absolute paths: /subscriptions/..., /providers/...
  'arm-id': { type: 'string', validate: (value: string) => value.startsWith('/') },
  // Seconds since the epoch.
  unixtime: { type: 'number', validate: (value: number) => Number.isInteger(value) },
} as const;

export function createSwaggerAjv(): Ajv {
  const ajv = new Ajv({
    // Swagger keywords (x-ms-*, discriminator as a string, example, x-nullable) are not JSON Schema.
    strict: false,
    allErrors: true,
    // Errors carry the offending value, so messages can show what was received.
    verbose: true,
    // The documents are Swagger files, not schemas: their own shape is checked by the spec's CI.
    validateSchema: false,
    // Swagger patterns are ECMA-262 patterns without the unicode flag.
    unicodeRegExp: false,
  });
  // date-time, uuid, uri, duration, byte, int32, int64, float, double, password, binary.
  addFormats(ajv);
  for (const [name, format] of Object.entries(AZURE_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}
