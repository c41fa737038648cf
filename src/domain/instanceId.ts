// Durable instance ids made from resource names. The host refuses ids over 256 characters or with
// `/ \ # ?` or control characters, and ARM names can be long and hold any letter: so names are
// percent-encoded (with `~` for `%`) and ids that would grow too long keep a readable head and end in a
// hash of the whole, the same for the same names every time.
import { createHash } from 'node:crypto';

/** The Durable host's limit on instance ids. */
export const MAX_INSTANCE_ID_LENGTH = 256;

/** Ids made from names stay within this, leaving room for what sub-operations append (`|delete|3`). */
export const MAX_NAMED_INSTANCE_ID_LENGTH = 200;

const DIGEST_LENGTH = 32;

/** `key` encoded so that only `A-Z a-z 0-9 - _ . ~` remain (parentheses and `!*'` too are encoded). */
function encodeKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%/g, '~');
}

/** `prefix:encoded-key`, or its first characters and `~~` and a hash of it when that is too long. */
export function namedInstanceId(prefix: string, key: string): string {
  const readable = `${prefix}:${encodeKey(key)}`;
  if (readable.length <= MAX_NAMED_INSTANCE_ID_LENGTH) return readable;
  const digest = createHash('sha256').update(readable).digest('hex').slice(0, DIGEST_LENGTH);
  return `${readable.slice(0, MAX_NAMED_INSTANCE_ID_LENGTH - DIGEST_LENGTH - 2)}~~${digest}`;
}
