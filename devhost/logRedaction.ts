// Keeps keys and secrets out of the devhost's log: the values of `code` query parameters and
// `x-functions-key` headers, and every key the devhost knows, whatever message they appear in.

import type { Logger } from './log';

export const REDACTED = '[redacted]';

const CODE_PARAMETER = /([?&](?:amp;)?code=)[^&\s"'#<>]+/gi;
const KEY_HEADER = /(x-functions-key["']?\s*[:=]\s*["']?)[^"'\s,;&}]+/gi;

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let redacted = text.replace(CODE_PARAMETER, `$1${REDACTED}`).replace(KEY_HEADER, `$1${REDACTED}`);
  for (const secret of secrets) {
    if (secret.length > 0) {
      redacted = redacted.split(secret).join(REDACTED);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) {
        redacted = redacted.split(encoded).join(REDACTED);
      }
    }
  }
  return redacted;
}

/** A logger that redacts every message before `inner` writes it. */
export function redactingLogger(inner: Logger, secrets: () => readonly string[]): Logger {
  const clean = (message: string): string => redactSecrets(message, secrets());
  return {
    debug: (m) => inner.debug(clean(m)),
    info: (m) => inner.info(clean(m)),
    warn: (m) => inner.warn(clean(m)),
    error: (m) => inner.error(clean(m)),
  };
}
