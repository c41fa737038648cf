import {
  expectBoolean,
  expectObject,
  expectString,
  isJsonObject,
  optionalField,
  ownField,
  requiredField,
  unknownFieldErrors,
} from '../../src/domain';
import { validationErrorOf } from './thrown';

describe('JSON field readers', () => {
  test.each([
    [{}, true],
    [Object.create(null), true],
    [[], false],
    [null, false],
    ['{}', false],
  ])('isJsonObject(%p) is %p', (value, expected) => {
    expect(isJsonObject(value)).toBe(expected);
  });

  test('each expectation names the field and echoes the value it got', () => {
    expect(validationErrorOf(() => expectString(5, 'name')).toJSON()).toStrictEqual({
      field: 'name',
      reason: 'must be a string',
      value: '5',
    });
    expect(validationErrorOf(() => expectBoolean('yes', 'flag')).toJSON()).toStrictEqual({
      field: 'flag',
      reason: 'must be true or false',
      value: 'yes',
    });
    expect(validationErrorOf(() => expectObject([], 'tags')).toJSON()).toStrictEqual({
      field: 'tags',
      reason: 'must be a JSON object',
      value: 'array',
    });
  });

  test('each expectation passes a right value through', () => {
    expect(expectString('x', 'f')).toBe('x');
    expect(expectBoolean(false, 'f')).toBe(false);
    expect(expectObject({ a: 1 }, 'f')).toStrictEqual({ a: 1 });
  });

  test('ownField ignores inherited properties', () => {
    const object = Object.create({ inherited: 'x' }) as Record<string, unknown>;
    expect(ownField(object, 'inherited')).toBeUndefined();
    expect(ownField({}, 'toString')).toBeUndefined();
    expect(ownField({ own: 1 }, 'own')).toBe(1);
  });

  test('optionalField is undefined when absent and parsed when present', () => {
    expect(optionalField({}, 'flag', expectBoolean)).toBeUndefined();
    expect(optionalField({ flag: true }, 'flag', expectBoolean)).toBe(true);
    expect(validationErrorOf(() => optionalField({ flag: 1 }, 'flag', expectBoolean)).field).toBe('flag');
  });

  test('requiredField reports an absent field as required', () => {
    expect(validationErrorOf(() => requiredField({}, 'location', expectString)).toJSON()).toStrictEqual({
      field: 'location',
      reason: 'is required',
    });
    expect(requiredField({ location: 'westus' }, 'location', expectString)).toBe('westus');
  });

  test('unknownFieldErrors names each unknown field and lists the allowed ones', () => {
    const errors = unknownFieldErrors({ a: 1, typo: 2, other: 3 }, ['a', 'b']);
    expect(errors.map((e) => e.field)).toStrictEqual(['typo', 'other']);
    expect(errors[0]!.reason).toBe('unknown field; allowed fields are a, b');
  });

  test('unknownFieldErrors shortens an absurdly long field name', () => {
    const [error] = unknownFieldErrors({ ['x'.repeat(1000)]: 1 }, []);
    expect(error!.field).toBe(`${'x'.repeat(100)}…`);
  });
});
