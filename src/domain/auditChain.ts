// The audit trail's tamper evidence: each partition's hash chain, the keyed MACs over it, the anchors of its
// head kept in append-only storage, and the verification of all three. Pure and self-contained (Node's
// crypto only), because the app's verify endpoint and the standalone verifier of exports share it.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields an entry's hash covers, as stored. */
export interface ChainedEntry {
  entryId: string;
  sequence: number;
  time: string;
  actor: { id: string; name?: string };
  channel: string;
  operation: string;
  target: string;
  instanceId?: string;
  step: string;
  outcome: string;
  detail?: Record<string, unknown>;
  previousHash: string;
  hash: string;
  /** HMAC-SHA256 of the entry's place and hash under the signing key; absent when written without one. */
  mac?: string;
}

/** An entry as read back: where it is stored, and which of its fields could not be read. */
export interface StoredChainEntry extends ChainedEntry {
  rowKey: string;
  /** Fields the row holds but that cannot be read (e.g. `detail` that is not JSON). */
  damaged?: string[];
}

/** The partition's chain head: the last sequence and hash, rewritten with every entry. */
export interface ChainHead {
  sequence: number;
  hash: string;
  mac?: string;
}

/** A partition's head as recorded in append-only storage when an entry was appended. */
export interface ChainAnchor {
  partition: string;
  sequence: number;
  hash: string;
  /** When the anchor was written (ISO 8601). */
  time: string;
  mac?: string;
}

export type ChainBreakKind = 'changed' | 'missing' | 'relinked' | 'forged' | 'misplaced' | 'diverged';

export interface ChainBreak {
  kind: ChainBreakKind;
  sequence: number;
  entryId?: string;
  /** What was found, in words. */
  reason: string;
}

export interface ChainVerdict {
  intact: boolean;
  entries: number;
  /** `keyed`: MACs were checked with the signing key; `unkeyed`: hashes and anchors only (weaker). */
  protection: 'keyed' | 'unkeyed';
  /** Entries written before the key existed (no MAC), checked as the unkeyed chain. Keyed checks only. */
  legacy?: { entries: number; lastSequence: number };
  anchors: { count: number; lastSequence?: number; unanchoredEntries: number };
  firstBreak?: ChainBreak;
}

export interface ChainEvidence {
  partition: string;
  entries: readonly StoredChainEntry[];
  head?: ChainHead;
  /** The partition's anchors in the order they were appended. */
  anchors: readonly ChainAnchor[];
  /** Anchor lines that could not be read at all. */
  unreadableAnchors?: number;
  /** The signing key; without it MACs are not checked. */
  key?: Uint8Array;
}

export function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/** .NET ticks of the largest DateTime: subtracting a time's ticks from it sorts newest first. */
const MAX_TICKS = 3155378975999999999n;
const TICKS_AT_UNIX_EPOCH = 621355968000000000n;

/** RowKey that sorts newest first and stays unique per entry: inverted ticks, then a digest of the id. */
export function auditRowKey(time: string, entryId: string): string {
  const millis = Date.parse(time);
  if (Number.isNaN(millis)) throw new RangeError(`not a timestamp: ${time}`);
  const ticks = BigInt(millis) * 10000n + TICKS_AT_UNIX_EPOCH;
  return `${(MAX_TICKS - ticks).toString().padStart(19, '0')}-${digest(entryId).slice(0, 16)}`;
}

type Hashed = Omit<ChainedEntry, 'hash' | 'previousHash' | 'mac'>;

/** The hash of an entry covers every field a reader relies on, in a canonical order. */
export function auditHash(previousHash: string, entry: Hashed): string {
  return digest(
    previousHash +
      canonicalJson({
        entryId: entry.entryId,
        sequence: entry.sequence,
        time: entry.time,
        actor: entry.actor,
        channel: entry.channel,
        operation: entry.operation,
        target: entry.target,
        instanceId: entry.instanceId ?? null,
        step: entry.step,
        outcome: entry.outcome,
        detail: entry.detail ?? null,
      }),
  );
}

function hmac(key: Uint8Array, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** Binds an entry's hash (and so its content and predecessor) to its partition and place. */
export function entryMac(key: Uint8Array, partition: string, sequence: number, hash: string): string {
  return hmac(key, `acr-replica-guard/audit/entry/v1\n${partition}\n${sequence}\n${hash}`);
}

export function headMac(key: Uint8Array, partition: string, sequence: number, hash: string): string {
  return hmac(key, `acr-replica-guard/audit/head/v1\n${partition}\n${sequence}\n${hash}`);
}

export function anchorMac(key: Uint8Array, anchor: Omit<ChainAnchor, 'mac'>): string {
  return hmac(
    key,
    `acr-replica-guard/audit/anchor/v1\n${anchor.partition}\n${anchor.sequence}\n${anchor.hash}\n${anchor.time}`,
  );
}

/** Names the key without revealing it, so an export says which key its MACs need. */
export function signingKeyId(key: Uint8Array): string {
  return hmac(key, 'acr-replica-guard/audit/key-id/v1').slice(0, 16);
}

function macMatches(expected: string, actual: string | undefined): boolean {
  if (actual === undefined || !/^[0-9a-f]{64}$/.test(actual)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(actual, 'hex'));
}

/** One anchor as one line of its append-only blob. */
export function formatAnchorLine(anchor: ChainAnchor): string {
  return `${canonicalJson(anchor)}\n`;
}

/** The anchors in a blob's text, in order, and how many lines could not be read as anchors. */
export function parseAnchorLines(text: string): { anchors: ChainAnchor[]; unreadable: number } {
  const anchors: ChainAnchor[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const anchor = parseAnchor(line);
    if (anchor === undefined) unreadable += 1;
    else anchors.push(anchor);
  }
  return { anchors, unreadable };
}

function parseAnchor(line: string): ChainAnchor | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    const { partition, sequence, hash, time, mac } = value;
    if (typeof partition !== 'string' || typeof hash !== 'string' || typeof time !== 'string')
      return undefined;
    if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) return undefined;
    if (mac !== undefined && typeof mac !== 'string') return undefined;
    return { partition, sequence, hash, time, ...(mac === undefined ? {} : { mac }) };
  } catch {
    return undefined;
  }
}

/**
 * Checks a partition: its entries in sequence order (hash, link, RowKey, MAC), its chain head, and its
 * anchors, and reports the break with the lowest sequence. With a key, the chain is authenticated from
 * its latest MAC-valid point backwards through the hashes; entries after the first signed one must each
 * carry a valid MAC, and entries before it are legacy (written before the key) and reported as such.
 */
export function verifyChain(evidence: ChainEvidence): ChainVerdict {
  const { partition, key } = evidence;
  const breaks: ChainBreak[] = [];
  const trust = trustedAnchors(evidence, breaks);
  const keyedFrom = key === undefined ? undefined : minOf(trust.filter((a) => a.mac !== undefined));

  const ordered = [...evidence.entries].sort((a, b) => a.sequence - b.sequence || cmp(a.rowKey, b.rowKey));
  const bySequence = new Map<number, StoredChainEntry>();
  let previous: StoredChainEntry | undefined;
  let signedSeen = false;
  let legacy = 0;
  let legacyLast = 0;
  for (const entry of ordered) {
    const at = (kind: ChainBreakKind, reason: string): void => {
      breaks.push({ kind, sequence: entry.sequence, entryId: entry.entryId, reason });
    };
    const expected = (previous?.sequence ?? 0) + 1;
    if (previous !== undefined && entry.sequence === previous.sequence) {
      at(
        entry.hash === previous.hash ? 'misplaced' : signatureKind(key, partition, entry),
        `a second entry claims sequence ${entry.sequence}`,
      );
      continue;
    }
    if (!Number.isSafeInteger(entry.sequence) || entry.sequence < 1) {
      at('changed', 'its sequence cannot be read');
      continue;
    }
    bySequence.set(entry.sequence, entry);
    if (entry.sequence !== expected) {
      breaks.push({ kind: 'missing', sequence: expected, reason: `no entry holds sequence ${expected}` });
    }
    if (entry.damaged !== undefined && entry.damaged.length > 0) {
      at('changed', `the stored row cannot be read: ${entry.damaged.join(', ')}`);
    } else {
      if (!rowKeyMatches(entry)) at('misplaced', 'its RowKey does not match its time and id');
      if (entry.sequence === expected && entry.previousHash !== (previous?.hash ?? GENESIS_HASH)) {
        at('relinked', 'it does not point at the entry before it');
      }
      if (auditHash(entry.previousHash, entry) !== entry.hash)
        at('changed', 'its content does not match its hash');
    }
    if (key !== undefined) {
      if (entry.mac !== undefined) {
        if (macMatches(entryMac(key, partition, entry.sequence, entry.hash), entry.mac)) signedSeen = true;
        else at('forged', 'its MAC does not match');
      } else if (signedSeen || (keyedFrom !== undefined && entry.sequence >= keyedFrom)) {
        at('forged', 'it carries no MAC, though entries before it were signed');
      } else {
        legacy += 1;
        legacyLast = entry.sequence;
      }
    }
    previous = entry;
  }
  const last = previous?.sequence ?? 0;

  checkHead(evidence, last, bySequence, signedSeen, breaks);
  for (const anchor of trust) {
    const entry = bySequence.get(anchor.sequence);
    if (entry === undefined) {
      if (anchor.sequence > last) {
        breaks.push({
          kind: 'missing',
          sequence: last + 1,
          reason: `an anchor records sequence ${anchor.sequence}, the trail ends at ${last}`,
        });
      }
    } else if (entry.hash !== anchor.hash) {
      breaks.push({
        kind: 'diverged',
        sequence: anchor.sequence,
        entryId: entry.entryId,
        reason: 'its hash differs from the one anchored',
      });
    }
  }

  const anchoredTo = trust.reduce((max, a) => Math.max(max, a.sequence), 0);
  const firstBreak = breaks.reduce<ChainBreak | undefined>(
    (first, b) => (first === undefined || b.sequence < first.sequence ? b : first),
    undefined,
  );
  return {
    intact: firstBreak === undefined,
    entries: bySequence.size,
    protection: key === undefined ? 'unkeyed' : 'keyed',
    ...(key !== undefined && legacy > 0 ? { legacy: { entries: legacy, lastSequence: legacyLast } } : {}),
    anchors: {
      count: trust.length,
      ...(trust.length === 0 ? {} : { lastSequence: anchoredTo }),
      unanchoredEntries: ordered.filter((e) => e.sequence > anchoredTo).length,
    },
    ...(firstBreak === undefined ? {} : { firstBreak }),
  };
}

/**
 * The anchors verification may rely on. With a key: those whose MAC matches, and unsigned ones only
 * before the first signed one (written before the key existed); any other is a forgery. Without a key:
 * every anchor of the partition, as the storage that holds them cannot be rewritten.
 */
function trustedAnchors(evidence: ChainEvidence, breaks: ChainBreak[]): ChainAnchor[] {
  const { key, partition } = evidence;
  const forged = (anchor: ChainAnchor | undefined, reason: string): void => {
    breaks.push({ kind: 'forged', sequence: anchor?.sequence ?? 0, reason });
  };
  for (let i = 0; i < (evidence.unreadableAnchors ?? 0); i += 1)
    forged(undefined, 'an anchor cannot be read');
  const trusted: ChainAnchor[] = [];
  let signedSeen = false;
  for (const anchor of evidence.anchors) {
    if (anchor.partition !== partition) {
      forged(anchor, 'an anchor names another partition');
    } else if (key === undefined) {
      trusted.push(anchor);
    } else if (anchor.mac !== undefined) {
      if (macMatches(anchorMac(key, anchor), anchor.mac)) {
        signedSeen = true;
        trusted.push(anchor);
      } else {
        forged(anchor, 'an anchor’s MAC does not match');
      }
    } else if (signedSeen) {
      forged(anchor, 'an unsigned anchor follows signed ones');
    } else {
      trusted.push(anchor);
    }
  }
  return trusted;
}

function checkHead(
  evidence: ChainEvidence,
  last: number,
  bySequence: Map<number, StoredChainEntry>,
  signedSeen: boolean,
  breaks: ChainBreak[],
): void {
  const { head, key, partition } = evidence;
  if (head === undefined) {
    if (last > 0) breaks.push({ kind: 'missing', sequence: last, reason: 'the chain head is missing' });
    return;
  }
  if (key !== undefined) {
    if (head.mac !== undefined && !macMatches(headMac(key, partition, head.sequence, head.hash), head.mac)) {
      breaks.push({ kind: 'forged', sequence: head.sequence, reason: 'the chain head’s MAC does not match' });
    } else if (head.mac === undefined && signedSeen) {
      breaks.push({ kind: 'forged', sequence: head.sequence, reason: 'the chain head carries no MAC' });
    }
  }
  if (head.sequence > last) {
    breaks.push({
      kind: 'missing',
      sequence: last + 1,
      reason: `the chain head records sequence ${head.sequence}, the trail ends at ${last}`,
    });
  } else if (head.sequence < last) {
    breaks.push({
      kind: 'forged',
      sequence: head.sequence + 1,
      reason: `entries follow the chain head, which ends at sequence ${head.sequence}`,
    });
  }
  const entry = bySequence.get(head.sequence);
  if (entry !== undefined && entry.hash !== head.hash) {
    breaks.push({
      kind: 'diverged',
      sequence: head.sequence,
      entryId: entry.entryId,
      reason: 'its hash differs from the chain head’s',
    });
  }
}

function signatureKind(
  key: Uint8Array | undefined,
  partition: string,
  entry: StoredChainEntry,
): ChainBreakKind {
  if (key === undefined) return 'relinked';
  return macMatches(entryMac(key, partition, entry.sequence, entry.hash), entry.mac) ? 'relinked' : 'forged';
}

function rowKeyMatches(entry: StoredChainEntry): boolean {
  try {
    return auditRowKey(entry.time, entry.entryId) === entry.rowKey;
  } catch {
    return false;
  }
}

function minOf(anchors: readonly ChainAnchor[]): number | undefined {
  return anchors.length === 0 ? undefined : Math.min(...anchors.map((a) => a.sequence));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
