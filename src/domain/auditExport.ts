// The audit export format (JSON Lines): a header, a partition's entries in sequence order, its chain head,
// its anchors, and a seal over all of them. Pure, and shared with the standalone verifier, so what the app
// writes and what an auditor checks are read the same way.
import { createHmac, timingSafeEqual } from 'node:crypto';

import { canonicalJson, digest, signingKeyId, verifyChain } from './auditChain';
import type { ChainAnchor, ChainEvidence, ChainHead, ChainVerdict, StoredChainEntry } from './auditChain';

export const AUDIT_EXPORT_FORMAT = 'acr-replica-guard-audit-export';
export const AUDIT_EXPORT_VERSION = 1;
export const AUDIT_EXPORT_CONTENT_TYPE = 'application/x-ndjson';

export interface AuditExportHeader {
  type: 'header';
  format: typeof AUDIT_EXPORT_FORMAT;
  version: number;
  registry: string;
  partition: string;
  exportedAt: string;
  /** `keyed` when the trail is signed: the MACs (and the seal's) need the key named by `keyId`. */
  protection: 'keyed' | 'unkeyed';
  keyId?: string;
  /** Anchor lines the app could not read (they are not in the export). */
  unreadableAnchors: number;
}

export interface AuditExportSeal {
  type: 'seal';
  /** Lines before the seal. */
  lines: number;
  /** SHA-256 of those lines, each with its newline. */
  digest: string;
  /** HMAC-SHA256 of the digest under the signing key, when the trail is keyed. */
  mac?: string;
}

export function sealMac(key: Uint8Array, linesDigest: string): string {
  return createHmac('sha256', key)
    .update(`acr-replica-guard/audit/export/v1\n${linesDigest}`, 'utf8')
    .digest('hex');
}

/** The export of one partition, one JSON document per line, ending with the seal. */
export function formatAuditExport(
  header: Omit<AuditExportHeader, 'type' | 'format' | 'version'>,
  evidence: Pick<ChainEvidence, 'entries' | 'head' | 'anchors'>,
  key?: Uint8Array,
): string {
  const lines = [
    canonicalJson({ type: 'header', format: AUDIT_EXPORT_FORMAT, version: AUDIT_EXPORT_VERSION, ...header }),
    ...[...evidence.entries]
      .sort((a, b) => a.sequence - b.sequence)
      .map((entry) => canonicalJson({ type: 'entry', ...entry })),
    ...(evidence.head === undefined ? [] : [canonicalJson({ type: 'head', ...evidence.head })]),
    ...evidence.anchors.map((anchor) => canonicalJson({ type: 'anchor', ...anchor })),
  ].map((line) => `${line}\n`);
  const linesDigest = digest(lines.join(''));
  const seal: AuditExportSeal = {
    type: 'seal',
    lines: lines.length,
    digest: linesDigest,
    ...(key === undefined ? {} : { mac: sealMac(key, linesDigest) }),
  };
  return `${lines.join('')}${canonicalJson(seal)}\n`;
}

export interface ParsedAuditExport {
  header?: AuditExportHeader;
  evidence: Omit<ChainEvidence, 'key'>;
  seal?: AuditExportSeal;
  /** The lines before the seal, as the seal's digest covers them. */
  sealedText: string;
  /** Lines that are not what the format allows, by line number (from 1). */
  problems: string[];
}

/** Reads an export back; anything out of place is named in `problems` rather than thrown. */
export function parseAuditExport(text: string): ParsedAuditExport {
  const problems: string[] = [];
  const entries: StoredChainEntry[] = [];
  const anchors: ChainAnchor[] = [];
  let header: AuditExportHeader | undefined;
  let head: ChainHead | undefined;
  let seal: AuditExportSeal | undefined;
  let sealedText = '';
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, index) => {
    const number = index + 1;
    if (seal !== undefined) {
      problems.push(`line ${number} follows the seal`);
      return;
    }
    let value: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      value = parsed as Record<string, unknown>;
    } catch {
      problems.push(`line ${number} is not a JSON object`);
      sealedText += `${line}\n`;
      return;
    }
    const { type, ...rest } = value;
    if (type === 'seal') {
      seal = value as unknown as AuditExportSeal;
      return;
    }
    sealedText += `${line}\n`;
    if (type === 'header' && number === 1) header = value as unknown as AuditExportHeader;
    else if (type === 'entry') entries.push(readEntry(rest, number, problems));
    else if (type === 'head' && head === undefined) head = rest as unknown as ChainHead;
    else if (type === 'anchor') anchors.push(rest as unknown as ChainAnchor);
    else problems.push(`line ${number} is not a line this format allows here`);
  });
  if (header?.format !== AUDIT_EXPORT_FORMAT || header.version !== AUDIT_EXPORT_VERSION) {
    problems.push(`line 1 is not the header of an ${AUDIT_EXPORT_FORMAT} version ${AUDIT_EXPORT_VERSION}`);
  }
  if (seal === undefined) problems.push('the export has no seal: it was cut short');
  return {
    ...(header === undefined ? {} : { header }),
    evidence: {
      partition: typeof header?.partition === 'string' ? header.partition : '',
      entries,
      ...(head === undefined ? {} : { head }),
      anchors,
      unreadableAnchors: typeof header?.unreadableAnchors === 'number' ? header.unreadableAnchors : 0,
    },
    ...(seal === undefined ? {} : { seal }),
    sealedText,
    problems,
  };
}

const STRING_FIELDS = ['rowKey', 'entryId', 'time', 'channel', 'operation', 'target', 'step', 'outcome'];

function readEntry(value: Record<string, unknown>, line: number, problems: string[]): StoredChainEntry {
  const wrong = STRING_FIELDS.filter((name) => typeof value[name] !== 'string');
  if (typeof value.sequence !== 'number') wrong.push('sequence');
  if (typeof value.hash !== 'string' || typeof value.previousHash !== 'string') wrong.push('hash');
  const actor = value.actor as { id?: unknown } | undefined;
  if (typeof actor?.id !== 'string') wrong.push('actor');
  if (wrong.length > 0) problems.push(`line ${line} is an entry without a readable ${wrong.join(', ')}`);
  return value as unknown as StoredChainEntry;
}

export interface AuditExportVerdict extends ChainVerdict {
  registry?: string;
  partition: string;
  /** Whether the seal proves the export is as the app made it: with the key, or only against accidents. */
  seal: 'keyed' | 'unkeyed' | 'broken';
  /** What is wrong with the export itself (its lines, its seal), beside any break in the chain. */
  problems: string[];
  /** The key given is not the one the trail was signed with (see `keyId` in the header). */
  wrongKey: boolean;
}

/** Checks an export as the app's verify endpoint checks the stored trail, and its seal besides. */
export function verifyAuditExport(text: string, key?: Uint8Array): AuditExportVerdict {
  const parsed = parseAuditExport(text);
  const problems = [...parsed.problems];
  const { header, seal } = parsed;
  const wrongKey = key !== undefined && header?.keyId !== undefined && signingKeyId(key) !== header.keyId;
  let sealState: AuditExportVerdict['seal'] = 'unkeyed';
  if (seal !== undefined) {
    const lines = parsed.sealedText === '' ? 0 : parsed.sealedText.split('\n').length - 1;
    if (seal.digest !== digest(parsed.sealedText) || seal.lines !== lines) {
      sealState = 'broken';
      problems.push('the seal does not match the lines before it: the export was changed after it was made');
    } else if (key !== undefined && !wrongKey && header?.protection === 'keyed') {
      if (macMatches(sealMac(key, seal.digest), seal.mac)) sealState = 'keyed';
      else {
        sealState = 'broken';
        problems.push('the seal’s MAC does not match: the export was not made by the app with this key');
      }
    }
  } else {
    sealState = 'broken';
  }
  const verdict = verifyChain({ ...parsed.evidence, ...(key === undefined || wrongKey ? {} : { key }) });
  return {
    ...verdict,
    intact: verdict.intact && problems.length === 0 && !wrongKey,
    ...(header?.registry === undefined ? {} : { registry: header.registry }),
    partition: parsed.evidence.partition,
    seal: sealState,
    problems,
    wrongKey,
  };
}

function macMatches(expected: string, actual: string | undefined): boolean {
  if (actual === undefined || !/^[0-9a-f]{64}$/.test(actual)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(actual, 'hex'));
}
