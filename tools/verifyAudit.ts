// Verifies an audit export without the app, its storage or Azure: the hash chain, the MACs (given the key),
// the chain head, the anchors and the export's seal. It reads only the export and the key file, and shares
// with the app just the pure export and chain modules, so an auditor checks exactly what the app checks.
//   node dist/tools/verifyAudit.js export.jsonl [--key-file audit-key]
// Exit status: 0 intact, 1 tampered or damaged, 2 could not check (usage, unreadable file, wrong key).
import fs from 'node:fs';

import { verifyAuditExport } from '../src/domain/auditExport';
import type { AuditExportVerdict } from '../src/domain/auditExport';

const USAGE = 'usage: verifyAudit <export.jsonl> [--key-file <file holding the base64 audit key>]';

export function runVerifyAudit(argv: string[], write: (line: string) => void): number {
  const keyAt = argv.indexOf('--key-file');
  const keyFile = keyAt >= 0 ? argv[keyAt + 1] : undefined;
  const files = argv.filter((arg, i) => !arg.startsWith('--') && (keyAt < 0 || i !== keyAt + 1));
  const file = files[0];
  if (file === undefined || files.length > 1 || (keyAt >= 0 && keyFile === undefined)) {
    write(USAGE);
    return 2;
  }
  let text: string;
  let key: Uint8Array | undefined;
  try {
    text = fs.readFileSync(file, 'utf8');
    if (keyFile !== undefined) key = readKey(fs.readFileSync(keyFile, 'utf8'));
  } catch (error) {
    write(`cannot check: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const verdict = verifyAuditExport(text, key);
  for (const line of describe(verdict, key !== undefined)) write(line);
  if (verdict.wrongKey) return 2;
  return verdict.intact ? 0 : 1;
}

function readKey(text: string): Uint8Array {
  const value = text.trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (key.length < 32) throw new Error('the key file must hold the base64 audit key (at least 32 bytes)');
  return key;
}

function describe(verdict: AuditExportVerdict, keyGiven: boolean): string[] {
  const lines = [
    `registry:   ${verdict.registry ?? '(not named)'}`,
    `partition:  ${verdict.partition}`,
    `entries:    ${verdict.entries}`,
    `anchors:    ${verdict.anchors.count}${
      verdict.anchors.lastSequence === undefined
        ? ''
        : `, the last at sequence ${verdict.anchors.lastSequence}`
    }; ${verdict.anchors.unanchoredEntries} entries after it`,
  ];
  if (verdict.wrongKey)
    lines.push('checked:    not at all: the key file holds another key than the one named in the export');
  else if (verdict.protection === 'keyed')
    lines.push('checked:    keyed (MACs, anchors and seal checked with the key)');
  else
    lines.push(
      `checked:    unkeyed (hashes and anchors only${keyGiven ? '' : '; pass --key-file to check the MACs'})`,
    );
  if (verdict.legacy !== undefined) {
    lines.push(
      `legacy:     ${verdict.legacy.entries} entries up to sequence ${verdict.legacy.lastSequence} were written before the key, checked as the unkeyed chain`,
    );
  }
  for (const problem of verdict.problems) lines.push(`export:     ${problem}`);
  const brk = verdict.firstBreak;
  if (brk !== undefined) {
    lines.push(
      `BROKEN:     ${brk.kind} at sequence ${brk.sequence}${brk.entryId === undefined ? '' : ` (entry ${brk.entryId})`}: ${brk.reason}`,
    );
  }
  lines.push(verdict.intact ? 'verdict:    intact' : 'verdict:    NOT intact');
  return lines;
}

if (require.main === module) {
  process.exitCode = runVerifyAudit(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
}
