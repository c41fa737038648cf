// Azure Table Storage's rules for PartitionKey and RowKey in one place, so every key the app builds fits
// the service for every name ARM accepts: at most 1 KiB, none of / \ # ? or control characters. Long
// keys are shortened deterministically (a readable head, then a digest of the whole) rather than refused.
import { createHash } from 'node:crypto';

/** 1 KiB: the service counts UTF-16 (512 code units); staying within 1024 UTF-8 bytes as well costs nothing. */
export const MAX_KEY_CHARS = 512;
export const MAX_KEY_BYTES = 1024;

/** Marks a shortened key or id; the encodings below never produce two tildes in a row. */
export const SHORTENED_MARK = '~~';
const DIGEST_CHARS = 32;

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

/** Why `key` is not a valid Table Storage key, or undefined when it is. */
export function tableKeyProblem(key: string): string | undefined {
  if (key.length > MAX_KEY_CHARS)
    return `is ${key.length} UTF-16 code units long, more than ${MAX_KEY_CHARS}`;
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) return `is ${bytes} UTF-8 bytes long, more than ${MAX_KEY_BYTES}`;
  if (FORBIDDEN.test(key)) return 'holds / \\ # ? or a control character';
  // With the u flag a whole pair is one code point: only a lone half matches.
  if (/[\ud800-\udfff]/u.test(key)) return 'holds half of a surrogate pair';
  return undefined;
}

/** Table keys may not hold / \ # ? or control characters: percent-encode those (and % itself). */
export function toKeySafe(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[/\\#?%\u0000-\u001f\u007f-\u009f]/g,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/**
 * `text` unchanged when it is at most `maxChars` UTF-16 code units and `maxChars * 2` UTF-8 bytes;
 * otherwise its first characters, `~~`, and a digest of the whole text, together within those bounds.
 * Different long texts shorten to different values (short of a SHA-256 collision); the keys and ids this
 * app builds never hold `~~` where they fit, so a shortened one never equals one that was kept.
 */
export function shortenDeterministically(text: string, maxChars: number): string {
  if (text.length <= maxChars && Buffer.byteLength(text, 'utf8') <= maxChars * 2) return text;
  const tail = `${SHORTENED_MARK}${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, DIGEST_CHARS)}`;
  let head = '';
  let bytes = 0;
  // By code point, so a surrogate pair is never cut in half.
  for (const c of text) {
    const size = Buffer.byteLength(c, 'utf8');
    if (head.length + c.length + tail.length > maxChars || bytes + size + tail.length > maxChars * 2) break;
    head += c;
    bytes += size;
  }
  return `${head}${tail}`;
}

/** A Table Storage key built from `text`: key-safe, and shortened when it would not fit `maxChars`. */
export function tableKey(text: string, maxChars = MAX_KEY_CHARS): string {
  return shortenDeterministically(toKeySafe(text), Math.min(maxChars, MAX_KEY_CHARS));
}

/**
 * The key range [from, to) of every key the app builds from a resource id under `/subscriptions/<id>/`
 * (ids are lower-cased, then made key-safe; a shortened key keeps its head, so it stays in the range).
 * Keys compare by their characters, so the range ends where the prefix's last character is one higher.
 */
export function subscriptionKeyRange(subscriptionId: string): { from: string; to: string } {
  const from = toKeySafe(`/subscriptions/${subscriptionId.toLowerCase()}/`);
  const to = `${from.slice(0, -1)}${String.fromCharCode(from.charCodeAt(from.length - 1) + 1)}`;
  return { from, to };
}
