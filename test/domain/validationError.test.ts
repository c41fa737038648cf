import {
  collectErrors,
  fieldErrorsOf,
  listErrors,
  MAX_ECHOED_VALUE_LENGTH,
  MAX_LISTED_ERRORS,
  throwIfAny,
  truncate,
  ValidationError,
  ValidationErrors,
} from '../../src/domain';
import { thrown } from './thrown';

describe('ValidationError', () => {
  test('carries the field and reason and reads well as a message', () => {
    const error = new ValidationError('tags.env', 'must be a string');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ValidationError');
    expect(error.field).toBe('tags.env');
    expect(error.reason).toBe('must be a string');
    expect(error.message).toBe('tags.env: must be a string');
  });

  test('serialises to {field, reason} when no value is echoed', () => {
    const error = new ValidationError('location', 'is required');
    expect(error.value).toBeUndefined();
    expect(JSON.parse(JSON.stringify(error))).toStrictEqual({ field: 'location', reason: 'is required' });
  });

  test('serialises the echoed value with it', () => {
    const error = new ValidationError('location', 'must name an Azure region', 'mars');
    expect(JSON.parse(JSON.stringify(error))).toStrictEqual({
      field: 'location',
      reason: 'must name an Azure region',
      value: 'mars',
    });
  });

  test('a value of exactly the limit is echoed whole', () => {
    const value = 'a'.repeat(MAX_ECHOED_VALUE_LENGTH);
    expect(new ValidationError('f', 'r', value).value).toBe(value);
  });

  test('a longer value is cut to the limit and marked', () => {
    const error = new ValidationError('resourceId', 'bad', 'x'.repeat(5000));
    expect(error.value).toBe(`${'x'.repeat(MAX_ECHOED_VALUE_LENGTH)}…`);
  });

  test.each([
    [42, '42'],
    [false, 'false'],
    [null, 'null'],
    [{ secret: 'hunter2' }, 'object'],
    [['a', 'b'], 'array'],
  ])('value %p is echoed as %p', (value, shown) => {
    expect(new ValidationError('f', 'r', value).value).toBe(shown);
  });
});

describe('truncate', () => {
  test('never splits a character made of a surrogate pair', () => {
    const text = '😀'.repeat(3);
    expect(truncate(text, 2)).toBe('😀😀…');
  });

  test('leaves short text alone', () => {
    expect(truncate('westeurope')).toBe('westeurope');
  });
});

describe('ValidationErrors', () => {
  const errors = [
    new ValidationError('location', 'is required'),
    new ValidationError('tags.env', 'too long'),
  ];

  test('lists every field in its message', () => {
    const error = new ValidationErrors(errors);
    expect(error.name).toBe('ValidationErrors');
    expect(error.message).toBe('invalid input: location: is required; tags.env: too long');
  });

  test('serialises to an errors member ready for problem+json', () => {
    expect(JSON.parse(JSON.stringify(new ValidationErrors(errors)))).toStrictEqual({
      errors: [
        { field: 'location', reason: 'is required' },
        { field: 'tags.env', reason: 'too long' },
      ],
    });
  });
});

describe('fieldErrorsOf', () => {
  test('gives one entry for a single ValidationError', () => {
    expect(fieldErrorsOf(new ValidationError('name', 'bad', 'x'))).toStrictEqual([
      { field: 'name', reason: 'bad', value: 'x' },
    ]);
  });

  test('gives every entry of a ValidationErrors', () => {
    const error = new ValidationErrors([new ValidationError('a', 'r1'), new ValidationError('b', 'r2')]);
    expect(fieldErrorsOf(error)?.map((e) => e.field)).toStrictEqual(['a', 'b']);
  });

  test.each([new Error('boom'), 'text', undefined])('is undefined for anything else (%p)', (error) => {
    expect(fieldErrorsOf(error)).toBeUndefined();
  });
});

describe('collectErrors', () => {
  test('returns the parsed value and records nothing when parsing succeeds', () => {
    const errors: ValidationError[] = [];
    expect(collectErrors(errors, 'fallback', () => 'parsed')).toBe('parsed');
    expect(errors).toHaveLength(0);
  });

  test('records a ValidationError and returns the fallback', () => {
    const errors: ValidationError[] = [];
    const failure = new ValidationError('name', 'bad');
    const result = collectErrors(errors, 'fallback', () => {
      throw failure;
    });
    expect(result).toBe('fallback');
    expect(errors).toStrictEqual([failure]);
  });

  test('flattens a ValidationErrors into its entries', () => {
    const errors: ValidationError[] = [new ValidationError('first', 'r')];
    collectErrors(errors, undefined, () => {
      throw new ValidationErrors([new ValidationError('tags.a', 'r'), new ValidationError('tags.b', 'r')]);
    });
    expect(errors.map((e) => e.field)).toStrictEqual(['first', 'tags.a', 'tags.b']);
  });

  test('lets any other error through', () => {
    const bug = new TypeError('bug');
    const errors: ValidationError[] = [];
    expect(
      thrown(() =>
        collectErrors(errors, undefined, () => {
          throw bug;
        }),
      ),
    ).toBe(bug);
    expect(errors).toHaveLength(0);
  });
});

describe('throwIfAny', () => {
  test('does nothing when there are no errors', () => {
    expect(() => throwIfAny([])).not.toThrow();
  });

  test('throws them all as one ValidationErrors', () => {
    const errors = [new ValidationError('a', 'r'), new ValidationError('b', 'r')];
    const error = thrown(() => throwIfAny(errors));
    expect(error).toBeInstanceOf(ValidationErrors);
    expect((error as ValidationErrors).errors).toStrictEqual(errors);
  });
});

describe('listErrors', () => {
  const errors = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ field: `f${i}`, reason: 'unknown field' }));

  test.each([
    [0, 0, undefined],
    [1, 1, undefined],
    [MAX_LISTED_ERRORS, MAX_LISTED_ERRORS, undefined],
    [MAX_LISTED_ERRORS + 1, MAX_LISTED_ERRORS, 1],
    [10_000, MAX_LISTED_ERRORS, 10_000 - MAX_LISTED_ERRORS],
  ])('%i errors list %i and leave out %s', (total, listed, omitted) => {
    const result = listErrors(errors(total));
    expect(result.errors).toHaveLength(listed);
    expect(result.omittedErrors).toBe(omitted);
    expect(result.errors[0]?.field).toBe(total === 0 ? undefined : 'f0');
  });

  test('field names, reasons and echoed values are shortened', () => {
    const [listed] = listErrors([
      { field: 'f'.repeat(10_000), reason: 'r'.repeat(10_000), value: 'v'.repeat(10_000) },
    ]).errors;
    expect(listed!.field.length).toBeLessThanOrEqual(301);
    expect(listed!.reason.length).toBeLessThanOrEqual(301);
    expect(listed!.value!.length).toBeLessThanOrEqual(MAX_ECHOED_VALUE_LENGTH + 1);
  });
});
