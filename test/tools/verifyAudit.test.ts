// The standalone verifier, run as an auditor would (the compiled command, in its own process), on exports
// the app made from real storage: an untouched export verifies; each way of tampering with one is named.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';

import { auditHash, auditRowKey, canonicalJson, digest } from '../../src/domain';
import type { AuditRecord } from '../../src/domain';
import { exportAudit } from '../../src/functions/audit';
import { withProblems } from '../../src/http/handler';
import { REPO_ROOT } from '../support/repoRoot';
import { testAuditKey, testAuditStore } from '../support/storage';
import type { TestAuditStore } from '../support/storage';

const VERIFIER = path.join(REPO_ROOT, 'dist', 'tools', 'verifyAudit.js');
const REGISTRY =
  '/subscriptions/00000000-0000-0000-0000-0000000000e1/resourceGroups/rg-export/providers/Microsoft.ContainerRegistry/registries/exportacr';
const KEY = testAuditKey();

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();

function record(minute: number): AuditRecord {
  return {
    time: at(minute),
    actor: { id: 'oid-alice' },
    channel: 'api',
    operation: 'create',
    target: `${REGISTRY}/replications/eastus`,
    step: `step-${minute}`,
    outcome: 'succeeded',
    detail: { minute },
  };
}

type Line = Record<string, unknown> & { type: string };

let audit: TestAuditStore;
let dir: string;
let keyFile: string;
/** The export after three entries, and after five. */
let early: Line[];
let full: Line[];

async function exportNow(): Promise<string> {
  const response = (await withProblems(exportAudit(() => audit.store))(
    new HttpRequest({
      method: 'GET',
      url: `http://localhost/api/audit/export?registry=${encodeURIComponent(REGISTRY)}`,
    }),
    new InvocationContext(),
  )) as HttpResponseInit;
  expect(response.status).toBe(200);
  return response.body as string;
}

const linesOf = (text: string): Line[] =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);

/** Writes the lines back with a fresh seal digest, as someone without the key could: no seal MAC. */
function resealed(lines: Line[]): string {
  const body = lines
    .filter((line) => line.type !== 'seal')
    .map((line) => `${canonicalJson(line)}\n`)
    .join('');
  const count = lines.filter((line) => line.type !== 'seal').length;
  return `${body}${canonicalJson({ type: 'seal', lines: count, digest: digest(body) })}\n`;
}

async function verify(text: string, withKey = true): Promise<{ code: number; output: string }> {
  const file = path.join(dir, `export-${Math.random().toString(36).slice(2)}.jsonl`);
  fs.writeFileSync(file, text);
  const args = [VERIFIER, file, ...(withKey ? ['--key-file', keyFile] : [])];
  return new Promise((resolve) => {
    execFile(process.execPath, args, (error, stdout) => {
      resolve({ code: error === null ? 0 : Number(error.code), output: stdout });
    });
  });
}

const entries = (lines: Line[]): Line[] => lines.filter((line) => line.type === 'entry');
const withoutEntries = (lines: Line[]): Line[] => lines.filter((line) => line.type !== 'entry');

/** Re-hashes entries from `from` on, after an edit, and points the head at the last. */
function rehashed(lines: Line[], from: number): Line[] {
  let previous = '';
  const out = lines.map((line) => {
    if (line.type !== 'entry') return line;
    const sequence = line.sequence as number;
    if (sequence < from) {
      previous = line.hash as string;
      return line;
    }
    const { mac: _mac, ...rest } = line;
    const hash = auditHash(previous, rest as unknown as Parameters<typeof auditHash>[1]);
    const next = { ...rest, previousHash: previous, hash } as Line;
    previous = hash;
    return next;
  });
  return out.map((line) => (line.type === 'head' ? { type: 'head', sequence: 5, hash: previous } : line));
}

beforeAll(async () => {
  audit = testAuditStore('export', KEY);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-export-'));
  keyFile = path.join(dir, 'audit-key');
  fs.writeFileSync(keyFile, `${KEY.toString('base64')}\n`);
  for (let minute = 1; minute <= 3; minute += 1) await audit.store.append(record(minute), `e${minute}`);
  early = linesOf(await exportNow());
  for (let minute = 4; minute <= 5; minute += 1) await audit.store.append(record(minute), `e${minute}`);
  full = linesOf(await exportNow());
});

afterAll(async () => {
  await audit.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an export verifies intact with the key, every MAC, anchor and the seal checked', async () => {
  const { code, output } = await verify(full.map((line) => `${canonicalJson(line)}\n`).join(''));
  expect(output).toContain('checked:    keyed');
  expect(output).toContain('entries:    5');
  expect(output).toContain('anchors:    5, the last at sequence 5; 0 entries after it');
  expect(output).toContain('verdict:    intact');
  expect(code).toBe(0);
});

test('without the key it verifies as unkeyed, and says how to check the MACs', async () => {
  const { code, output } = await verify(full.map((line) => `${canonicalJson(line)}\n`).join(''), false);
  expect(output).toContain(
    'checked:    unkeyed (hashes and anchors only; pass --key-file to check the MACs)',
  );
  expect(code).toBe(0);
});

test.each<[string, () => Line[], string]>([
  [
    'the tail truncated and the old head put back',
    () => [
      ...withoutEntries(full).filter((line) => line.type === 'header'),
      ...entries(full).slice(0, 3),
      early.find((line) => line.type === 'head')!,
      ...full.filter((line) => line.type === 'anchor'),
    ],
    'missing at sequence 4',
  ],
  [
    'the whole partition deleted',
    () => full.filter((line) => !['entry', 'head'].includes(line.type)),
    'missing at sequence 1',
  ],
  [
    'an entry rewritten and the chain re-hashed',
    () =>
      rehashed(
        full.map((line) =>
          line.sequence === 3 && line.type === 'entry' ? { ...line, outcome: 'failed' } : line,
        ),
        3,
      ),
    'forged at sequence 3',
  ],
  [
    'a forged entry appended',
    () => {
      const last = entries(full)[4]!;
      const forged = {
        entryId: 'forged',
        sequence: 6,
        time: at(6),
        actor: { id: 'oid-mallory' },
        channel: 'api',
        operation: 'delete',
        target: `${REGISTRY}/replications/eastus`,
        step: 'completed',
        outcome: 'succeeded',
      };
      const hash = auditHash(last.hash as string, forged);
      const line = {
        type: 'entry',
        ...forged,
        rowKey: auditRowKey(forged.time, forged.entryId),
        previousHash: last.hash,
        hash,
      };
      const header = full.slice(0, 6);
      return [
        ...header,
        line,
        { type: 'head', sequence: 6, hash },
        ...full.filter((l) => l.type === 'anchor'),
      ];
    },
    'forged at sequence 6',
  ],
  [
    'two entries’ RowKeys swapped',
    () => {
      const [second, third] = [entries(full)[1]!, entries(full)[2]!];
      return full.map((line) =>
        line === second
          ? { ...line, rowKey: third.rowKey }
          : line === third
            ? { ...line, rowKey: second.rowKey }
            : line,
      );
    },
    'misplaced at sequence 2',
  ],
  [
    'an entry moved out of its time window',
    () =>
      full.map((line) =>
        line.type === 'entry' && line.sequence === 2
          ? { ...line, rowKey: auditRowKey('2020-01-01T00:00:00Z', line.entryId as string) }
          : line,
      ),
    'misplaced at sequence 2',
  ],
])('an export with %s is reported', async (_name, tamper, expected) => {
  const { code, output } = await verify(resealed(tamper()));
  expect(output).toContain(`BROKEN:     ${expected}`);
  expect(output).toContain('export:     the seal’s MAC does not match');
  expect(output).toContain('verdict:    NOT intact');
  expect(code).toBe(1);
});

test('an export changed after it was made breaks its seal even where the chain cannot tell', async () => {
  const changed = full.map((line) => (line.type === 'header' ? { ...line, registry: '/elsewhere' } : line));
  const { code, output } = await verify(changed.map((line) => `${canonicalJson(line)}\n`).join(''));
  expect(output).toContain('export:     the seal does not match the lines before it');
  expect(code).toBe(1);
});

test('a key other than the trail’s is refused rather than reported as tampering', async () => {
  const otherKey = path.join(dir, 'other-key');
  fs.writeFileSync(otherKey, testAuditKey().toString('base64'));
  const file = path.join(dir, 'plain.jsonl');
  fs.writeFileSync(file, full.map((line) => `${canonicalJson(line)}\n`).join(''));
  const code = await new Promise<number>((resolve) => {
    execFile(process.execPath, [VERIFIER, file, '--key-file', otherKey], (error) =>
      resolve(error === null ? 0 : Number(error.code)),
    );
  });
  expect(code).toBe(2);
});
