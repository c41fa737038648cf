// Keeps keys and secrets out of the devhost's log: the values of `code` query parameters and
// `x-functions-key` headers, storage account keys and SAS signatures (as the Node.js worker hides them),
// and every key the devhost knows, whatever message they appear in.

import type { Logger } from './log';

export const REDACTED = '[redacted]';

const CODE_PARAMETER = /([?&](?:amp;)?code=)[^&\s"'#<>]+/gi;
const KEY_HEADER = /(x-functions-key["']?\s*[:=]\s*["']?)[^"'\s,;&}]+/gi;
const STORAGE_SECRET = /((?:AccountKey|SharedAccessKey|SharedAccessSignature)=)[^;"'\s]+/gi;
const SAS_SIGNATURE = /([?&](?:amp;)?sig=)[^&\s"'#<>]+/gi;

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let redacted = text;
  for (const pattern of [CODE_PARAMETER, KEY_HEADER, STORAGE_SECRET, SAS_SIGNATURE]) {
    redacted = redacted.replace(pattern, `$1${REDACTED}`);
  }
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
