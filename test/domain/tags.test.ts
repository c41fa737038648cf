import { MAX_TAG_NAME_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS, parseTags, sameTags } from '../../src/domain';
import { invalidFieldsOf, thrown, validationErrorOf } from './thrown';

const manyTags = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`tag${i}`, `value${i}`]));

describe('parseTags accepts', () => {
  test.each([
    ['no tags', {}],
    ['ordinary tags', { env: 'prod', 'cost-center': '42', 'Owner Team': 'platform' }],
    ['an empty value', { env: '' }],
    [`${MAX_TAGS} tags`, manyTags(MAX_TAGS)],
    ['the longest name', { ['n'.repeat(MAX_TAG_NAME_LENGTH)]: 'v' }],
    ['the longest value', { env: 'v'.repeat(MAX_TAG_VALUE_LENGTH) }],
    ['Unicode in names and values', { équipe: 'plateforme', チーム: '基盤' }],
  ])('%s', (_scenario, tags) => {
    expect(parseTags(tags)).toStrictEqual(tags);
  });

  test('a tag named __proto__ stays an ordinary tag', () => {
    const tags = parseTags(JSON.parse('{"__proto__": "x", "env": "prod"}'));
    expect(Object.keys(tags)).toStrictEqual(['__proto__', 'env']);
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
  });
});

describe('parseTags rejects', () => {
  test.each([
    ['an array', ['env=prod']],
    ['a string', 'env=prod'],
    ['null', null],
    ['a number', 42],
  ])('%s, naming tags', (_scenario, value) => {
    const error = validationErrorOf(() => parseTags(value));
    expect(error.field).toBe('tags');
    expect(error.reason).toBe('must be a JSON object');
  });

  test(`more than ${MAX_TAGS} tags, naming tags`, () => {
    const error = validationErrorOf(() => parseTags(manyTags(MAX_TAGS + 1)));
    expect(error.field).toBe('tags');
    expect(error.reason).toContain(`at most ${MAX_TAGS}`);
  });

  test.each([
    ['a number', 42],
    ['a boolean', true],
    ['null', null],
    ['an object', { nested: 'x' }],
    ['an array', ['prod']],
  ])('a value that is %s, naming the tag', (_scenario, value) => {
    expect(invalidFieldsOf(() => parseTags({ env: value }))).toStrictEqual(['tags.env']);
  });

  test('a value that is too long, without echoing it', () => {
    const error = thrown(() => parseTags({ secretish: 'v'.repeat(MAX_TAG_VALUE_LENGTH + 1) }));
    expect(JSON.stringify(error)).toBe(
      JSON.stringify({
        errors: [{ field: 'tags.secretish', reason: 'tag value must be at most 256 characters' }],
      }),
    );
  });

  test.each(['<', '>', '%', '&', '\\', '?', '/'])('a name containing %p', (char) => {
    expect(invalidFieldsOf(() => parseTags({ [`a${char}b`]: 'v' }))).toStrictEqual([`tags.a${char}b`]);
  });

  test('an empty name', () => {
    expect(invalidFieldsOf(() => parseTags({ '': 'v' }))).toStrictEqual(['tags.']);
  });

  test('a name that is too long, shortening it in the field', () => {
    const name = 'n'.repeat(MAX_TAG_NAME_LENGTH + 1);
    const [field] = invalidFieldsOf(() => parseTags({ [name]: 'v' }));
    expect(field).toBe(`tags.${'n'.repeat(100)}…`);
  });

  test('names that differ only in case, since ARM treats them as one', () => {
    const error = thrown(() => parseTags({ Env: 'prod', env: 'test' }));
    expect(JSON.parse(JSON.stringify(error))).toStrictEqual({
      errors: [{ field: 'tags.env', reason: 'duplicates tag "Env": tag names are case-insensitive' }],
    });
  });

  test('every bad tag at once', () => {
    expect(invalidFieldsOf(() => parseTags({ ok: 'v', 'a/b': 'v', count: 3 }))).toStrictEqual([
      'tags.a/b',
      'tags.count',
    ]);
  });

  test('under the field name the caller gave', () => {
    expect(invalidFieldsOf(() => parseTags({ env: 1 }, 'settings.tags'))).toStrictEqual([
      'settings.tags.env',
    ]);
  });
});

describe('sameTags', () => {
  test.each([
    [{}, {}, true],
    [{ a: '1', b: '2' }, { b: '2', a: '1' }, true],
    [{ a: '1' }, { a: '2' }, false],
    [{ a: '1' }, { a: '1', b: '2' }, false],
    [{ a: '1', b: '2' }, { a: '1' }, false],
    [{ a: '1' }, { b: '1' }, false],
    [{ env: 'prod' }, { Env: 'prod' }, false],
  ])('%p and %p → %p', (a, b, same) => {
    expect(sameTags(a, b)).toBe(same);
  });
});
