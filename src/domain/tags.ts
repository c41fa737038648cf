import { expectObject, expectString } from './jsonFields';
import { collectErrors, throwIfAny, truncate, ValidationError } from './validationError';

export type Tags = Readonly<Record<string, string>>;

// Azure Resource Manager limits for tags on a resource.
export const MAX_TAGS = 50;
export const MAX_TAG_NAME_LENGTH = 512;
export const MAX_TAG_VALUE_LENGTH = 256;
const FORBIDDEN_IN_NAME = /[<>%&\\?/]/;

/**
 * Validates a tag set against the ARM rules. A wrong shape throws a ValidationError on `field`; bad tags
 * throw one ValidationErrors listing each as `<field>.<name>`.
 */
export function parseTags(value: unknown, field = 'tags'): Tags {
  const entries = Object.entries(expectObject(value, field));
  if (entries.length > MAX_TAGS) {
    throw new ValidationError(field, `at most ${MAX_TAGS} tags are allowed, got ${entries.length}`);
  }
  const errors: ValidationError[] = [];
  const namesSeen = new Map<string, string>();
  const tags = entries.map(([name, tagValue]): [string, string] => [
    name,
    collectErrors(errors, '', () => checkTag(name, tagValue, `${field}.${truncate(name)}`, namesSeen)),
  ]);
  throwIfAny(errors);
  // fromEntries defines own properties, so a tag named __proto__ stays an ordinary tag.
  return Object.fromEntries(tags);
}

/** Exact comparison: same names with the same values, in any order. */
export function sameTags(a: Tags, b: Tags): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((n) => Object.hasOwn(b, n) && a[n] === b[n]);
}

// Tag value strings are not echoed back: they are free text a caller may not want repeated in logs.
function checkTag(name: string, value: unknown, field: string, namesSeen: Map<string, string>): string {
  if (name === '') throw new ValidationError(field, 'tag name must not be empty');
  if (name.length > MAX_TAG_NAME_LENGTH) {
    throw new ValidationError(field, `tag name must be at most ${MAX_TAG_NAME_LENGTH} characters`);
  }
  if (FORBIDDEN_IN_NAME.test(name)) {
    throw new ValidationError(field, 'tag name must not contain any of < > % & \\ ? /');
  }
  const earlier = namesSeen.get(name.toLowerCase());
  if (earlier !== undefined) {
    throw new ValidationError(field, `duplicates tag "${truncate(earlier)}": tag names are case-insensitive`);
  }
  namesSeen.set(name.toLowerCase(), name);
  const text = expectString(value, field);
  if (text.length > MAX_TAG_VALUE_LENGTH) {
    throw new ValidationError(field, `tag value must be at most ${MAX_TAG_VALUE_LENGTH} characters`);
  }
  return text;
}
