// Keeps secrets out of telemetry: every log record passes through here before any exporter sees it, so
// neither Application Insights nor the local file ever holds a function key, a signing secret, the audit
// key, a storage key or a bearer token, whatever a message happens to contain.
import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';

export const REDACTED = '[redacted]';

const PATTERNS = [
  /([?&](?:amp;)?(?:code|sig)=)[^&\s"'#<>]+/gi,
  /(x-functions-key["']?\s*[:=]\s*["']?)[^"'\s,;&}]+/gi,
  /((?:AccountKey|SharedAccessKey|SharedAccessSignature)=)[^;"'\s]+/gi,
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]+/g,
];

/** `text` with known secret values, and the shapes keys and tokens take, replaced by `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const pattern of PATTERNS) redacted = redacted.replace(pattern, `$1${REDACTED}`);
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      redacted = redacted.split(form).join(REDACTED);
    }
  }
  return redacted;
}

/** Redacts the body and string attributes of each record, ahead of the processors that export it. */
export class RedactingLogRecordProcessor implements LogRecordProcessor {
  constructor(private readonly secrets: readonly string[]) {}

  onEmit(record: SdkLogRecord, _context?: Context): void {
    if (typeof record.body === 'string') record.setBody(redactSecrets(record.body, this.secrets));
    for (const [name, value] of Object.entries(record.attributes)) {
      if (typeof value === 'string') record.setAttribute(name, redactSecrets(value, this.secrets));
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
