// Secrets never reach an exporter: the redacting processor runs ahead of the local file's exporter in a
// real OpenTelemetry logger provider, and the patterns cover the shapes keys and tokens take.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';

import { JsonLinesLogExporter } from '../../src/telemetry/jsonLinesExporters';
import { REDACTED, RedactingLogRecordProcessor, redactSecrets } from '../../src/telemetry/redaction';
import { readTelemetry } from '../support/telemetryFile';

const SECRET = 'slack-signing-secret-0123456789';
const SPACED = 'a secret with spaces/and+signs=';

test.each([
  ['a known value', `the secret is ${SECRET}.`, `the secret is ${REDACTED}.`],
  ['a known value, URL-encoded', `x?s=${encodeURIComponent(SPACED)}`, `x?s=${REDACTED}`],
  [
    'a function key in a query',
    'GET /api/heal?code=abc123==&dryRun=true',
    `GET /api/heal?code=${REDACTED}&dryRun=true`,
  ],
  ['a key header', '{"x-functions-key":"k3y"}', `{"x-functions-key":"${REDACTED}"}`],
  [
    'a storage key',
    'AccountName=st;AccountKey=Zm9v+YmFy==;EndpointSuffix=x',
    `AccountName=st;AccountKey=${REDACTED};EndpointSuffix=x`,
  ],
  ['a SAS signature', 'https://st.blob/x?sv=1&sig=abc%2Fdef', `https://st.blob/x?sv=1&sig=${REDACTED}`],
  ['a bearer token', 'Authorization: Bearer eyJ0eXAi.eyJhdWQi.c2ln', `Authorization: Bearer ${REDACTED}`],
  ['nothing secret', 'heal healed succeeded: /subscriptions/x', 'heal healed succeeded: /subscriptions/x'],
])('%s is redacted', (_what, text, expected) => {
  expect(redactSecrets(text, [SECRET, SPACED])).toBe(expected);
});

test('a record that quotes secrets reaches the file redacted, body and attributes alike', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'redaction-')), 'telemetry.jsonl');
  const provider = new LoggerProvider({
    processors: [
      new RedactingLogRecordProcessor([SECRET]),
      new SimpleLogRecordProcessor(new JsonLinesLogExporter(file)),
    ],
  });
  provider.getLogger('test').emit({
    body: `failed with ${SECRET} in https://x/api?code=fnkey`,
    attributes: { reason: `signed with ${SECRET}`, count: 3 },
  });
  await provider.forceFlush();
  await provider.shutdown();

  const text = fs.readFileSync(file, 'utf8');
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain('fnkey');
  const [line] = readTelemetry(file).logs;
  expect(line).toMatchObject({
    body: `failed with ${REDACTED} in https://x/api?code=${REDACTED}`,
    attributes: { reason: `signed with ${REDACTED}`, count: 3 },
  });
});
