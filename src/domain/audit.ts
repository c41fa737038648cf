// The audit trail's record shape and its tamper-evidence rules. Pure: storage lives in azure/auditStore.
import { createHash } from 'node:crypto';

import { parseRegistryId, parseReplicaId } from './resourceId';
import type { RegistryId } from './resourceId';

export type AuditChannel = 'api' | 'schedule' | 'chat';

export type AuditOutcome =
  'accepted' | 'refused' | 'started' | 'progress' | 'succeeded' | 'failed' | 'skipped';

export interface AuditActor {
  /** Stable id: an Entra object id, a chat user id, `function-key`, or `schedule`. */
  id: string;
  /** Display name when known. */
  name?: string;
}

/** What a writer says about one request or one orchestration step. */
export interface AuditRecord {
  /** When it happened (ISO 8601). Orchestrations pass their replay-safe current time. */
  time: string;
  actor: AuditActor;
  channel: AuditChannel;
  /** create, update, delete, heal, sweep, ... */
  operation: string;
  /** The resource the request or step is about (a registry or replica id). */
  target: string;
  instanceId?: string;
  /** requested, preflight, arm-started, provisioning, completed, ... */
  step: string;
  outcome: AuditOutcome;
  /** Small JSON-serialisable evidence (no secrets). */
  detail?: Record<string, unknown>;
}

/** A stored entry: the record plus its place in the partition's hash chain. */
export interface AuditEntry extends AuditRecord {
  /** Identifies the entry across retries of the writer; equal ids are one entry. */
  entryId: string;
  /** Position in the partition's chain, from 1. */
  sequence: number;
  previousHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

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

/** Bounds of the RowKey range holding entries written between `from` and `to` (inclusive). */
export function auditRowKeyRange(from?: string, to?: string): { lowest?: string; highest?: string } {
  return {
    lowest: to === undefined ? undefined : auditRowKey(to, '').slice(0, 19),
    highest: from === undefined ? undefined : `${auditRowKey(from, '').slice(0, 19)}~`,
  };
}

/** The hash of an entry covers every field a reader relies on, in a canonical order. */
export function auditHash(previousHash: string, entry: Omit<AuditEntry, 'hash' | 'previousHash'>): string {
  return digest(previousHash + canonicalJson(entryContent(entry)));
}

function entryContent(entry: Omit<AuditEntry, 'hash' | 'previousHash'>): unknown {
  return {
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
  };
}

export type ChainBreak =
  | { kind: 'changed'; sequence: number; entryId: string }
  | { kind: 'missing'; sequence: number }
  | { kind: 'relinked'; sequence: number; entryId: string };

export interface ChainVerdict {
  intact: boolean;
  entries: number;
  firstBreak?: ChainBreak;
}

/**
 * Walks a partition's entries in chain order and reports the first break: an entry whose content no
 * longer matches its hash (changed), a gap in the sequence or a missing tail (missing), or an entry
 * that does not point at its predecessor (relinked).
 */
export function verifyChain(entries: readonly AuditEntry[], expectedLength: number): ChainVerdict {
  const ordered = [...entries].sort((a, b) => a.sequence - b.sequence);
  let previousHash = GENESIS_HASH;
  let expectedSequence = 1;
  for (const entry of ordered) {
    if (entry.sequence !== expectedSequence) {
      return {
        intact: false,
        entries: ordered.length,
        firstBreak: { kind: 'missing', sequence: expectedSequence },
      };
    }
    if (entry.previousHash !== previousHash) {
      return {
        intact: false,
        entries: ordered.length,
        firstBreak: { kind: 'relinked', sequence: entry.sequence, entryId: entry.entryId },
      };
    }
    if (auditHash(entry.previousHash, entry) !== entry.hash) {
      return {
        intact: false,
        entries: ordered.length,
        firstBreak: { kind: 'changed', sequence: entry.sequence, entryId: entry.entryId },
      };
    }
    previousHash = entry.hash;
    expectedSequence += 1;
  }
  if (expectedSequence <= expectedLength) {
    return {
      intact: false,
      entries: ordered.length,
      firstBreak: { kind: 'missing', sequence: expectedSequence },
    };
  }
  return { intact: true, entries: ordered.length };
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

/** Entries about one registry (or any of its replicas) share a partition; everything else goes to `fleet`. */
export function auditPartition(target: string): string {
  const registry = registryOf(target);
  if (registry === undefined) return 'fleet';
  return toKeySafe(
    `${registry.subscriptionId}|${registry.resourceGroup}|${registry.registryName}`.toLowerCase(),
  );
}

function registryOf(target: string): RegistryId | undefined {
  for (const parse of [parseReplicaId, parseRegistryId]) {
    try {
      return parse(target);
    } catch {
      // not this shape
    }
  }
  return undefined;
}

/** Table keys may not hold / \ # ? or control characters: percent-encode those. */
export function toKeySafe(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[/\\#?%\u0000-\u001f\u007f-\u009f]/g,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** Detail larger than this is cut down before it is hashed and stored (Table strings hold 32K chars). */
export const MAX_DETAIL_CHARS = 16000;

export function boundedDetail(
  detail: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (detail === undefined) return undefined;
  const text = canonicalJson(detail);
  if (text.length <= MAX_DETAIL_CHARS) return detail;
  return { truncated: true, preview: text.slice(0, MAX_DETAIL_CHARS) };
}
