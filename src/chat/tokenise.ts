// Splits a chat message into words. Chat text is typed by people on phones and laptops: quotes may be
// curly, spaces may be non-breaking, and `--` may have been turned into a dash by autocorrect. Control
// characters and oversized input are refused rather than cleaned, so nothing odd reaches a command.

export const MAX_COMMAND_LENGTH = 500;
export const MAX_TOKENS = 12;

export type Tokens = { ok: true; tokens: string[] } | { ok: false; reason: string };

/** Unicode whitespace (`\s`) and the zero-width characters that chat clients paste between words. */
const SPACE = /[\s\u200B-\u200D\u2060\uFEFF]/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const CLOSING_QUOTE: Record<string, string> = { '"': '"', "'": "'", '\u201C': '\u201D', '\u2018': '\u2019' };

export function tokenise(text: string): Tokens {
  if (text.length > MAX_COMMAND_LENGTH)
    return { ok: false, reason: `the command is longer than ${MAX_COMMAND_LENGTH} characters` };
  if (CONTROL.test(text)) return { ok: false, reason: 'the command holds control characters' };

  const tokens: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (const char of text) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current = (current ?? '') + char;
    } else if (CLOSING_QUOTE[char] !== undefined) {
      quote = CLOSING_QUOTE[char];
      current = current ?? '';
    } else if (SPACE.test(char)) {
      if (current !== undefined) tokens.push(current);
      current = undefined;
    } else current = (current ?? '') + char;
    if (tokens.length > MAX_TOKENS) break;
  }
  if (quote !== undefined) return { ok: false, reason: 'a quote is not closed' };
  if (current !== undefined) tokens.push(current);
  if (tokens.length > MAX_TOKENS) return { ok: false, reason: `more than ${MAX_TOKENS} words` };
  return { ok: true, tokens: tokens.map(normaliseDashes) };
}

/** Autocorrect turns `--flag` into `—flag` or `–flag`; read them as the flag that was meant. */
function normaliseDashes(token: string): string {
  return token.replace(/^[\u2013\u2014]-?/u, '--');
}
