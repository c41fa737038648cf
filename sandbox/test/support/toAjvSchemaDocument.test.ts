import type { SwaggerSchema } from './armSpecFiles';
import { createSwaggerAjv } from './createSwaggerAjv';
import { toAjvSchema } from './toAjvSchemaDocument';

// Synthetic schemas: the fixture specs use no x-nullable, yet the rules must hold when one does.
const definitions: Record<string, SwaggerSchema> = {
  NullableName: { type: 'string', 'x-nullable': true },
  Name: { type: 'string' },
};

const person: SwaggerSchema = {
  type: 'object',
  required: ['id', 'alias'],
  properties: {
    id: { type: 'string' },
    alias: { type: 'string', 'x-nullable': true },
    nickname: { type: 'string' },
    code: { type: 'string', 'x-nullable': false },
    partner: { $ref: '#/definitions/NullableName' },
    sibling: { $ref: '#/definitions/Name', 'x-nullable': false },
    pets: { type: 'array', items: { type: 'string' } },
    toys: { type: 'array', items: { type: 'string', 'x-nullable': true } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

function accepts(patch: Record<string, unknown>): boolean {
  const refTarget = (ref: string) => definitions[ref.replace('#/definitions/', '')];
  const schema = { ...toAjvSchema(person, refTarget), definitions };
  return createSwaggerAjv().validate(schema, { id: 'p1', alias: 'a', ...patch });
}

describe('nullability of Swagger schemas, as Azure validates it', () => {
  test('an optional property may be null', () => {
    expect(accepts({ nickname: null })).toBe(true);
  });

  test('a required property may not be null, unless it says x-nullable: true', () => {
    expect(accepts({ id: null })).toBe(false);
    expect(accepts({ alias: null })).toBe(true);
  });

  test('x-nullable: false keeps an optional property from being null', () => {
    expect(accepts({ code: null })).toBe(false);
    expect(accepts({ sibling: null })).toBe(false);
  });

  test('x-nullable on a referenced definition applies where it is used', () => {
    expect(accepts({ partner: null })).toBe(true);
  });

  test('array items and map values are null only with x-nullable: true', () => {
    expect(accepts({ pets: [null] })).toBe(false);
    expect(accepts({ toys: [null] })).toBe(true);
    expect(accepts({ labels: { a: null } })).toBe(false);
  });

  test('a nullable property still has to match its type when not null', () => {
    expect(accepts({ nickname: 5 })).toBe(false);
    expect(accepts({ alias: 5 })).toBe(false);
  });
});

describe('Swagger formats', () => {
  const ajv = createSwaggerAjv();
  const valid = (format: string, type: string, value: unknown) => ajv.validate({ type, format }, value);

  test.each([
    ['int32', 'integer', 2 ** 31, 7],
    ['int64', 'integer', 1.5, 2 ** 40],
    ['date-time', 'string', '2017-03-01', '2017-03-01T23:15:37.0707808Z'],
    ['uuid', 'string', 'not-a-uuid', 'ce2ce14e-85d7-4629-bdbc-454d0519d987'],
    ['uri', 'string', 'no scheme', 'https://management.azure.com/x'],
    ['duration', 'string', '5 minutes', 'PT5M'],
    ['byte', 'string', 'not base64!', 'aGVsbG8='],
    ['arm-id', 'string', 'subscriptions/x', '/subscriptions/x/resourceGroups/rg'],
    ['unixtime', 'integer', 1.5, 1700000000],
  ])('%s rejects %p and accepts %p', (format, type, bad, good) => {
    expect(valid(format, type, bad)).toBe(false);
    expect(valid(format, type, good)).toBe(true);
  });

  test.each(['float', 'double', 'password'])('%s compiles and accepts its type', (format) => {
    expect(
      valid(format, format === 'password' ? 'string' : 'number', format === 'password' ? 's3cret' : 1.5),
    ).toBe(true);
  });
});
