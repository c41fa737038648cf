// The audit trail's record shape, where entries are kept and how large they may be. Pure: storage lives in
// azure/auditStore, and the tamper-evidence rules in auditChain.
import { auditRowKey, canonicalJson, digest } from './auditChain';
import { parseRegistryId, parseReplicaId } from './resourceId';
import type { RegistryId } from './resourceId';
import { shortenDeterministically, tableKey, toKeySafe } from './tableKey';

export { GENESIS_HASH, auditHash, auditRowKey, canonicalJson, digest, verifyChain } from './auditChain';
export type { ChainBreak, ChainVerdict } from './auditChain';
export { toKeySafe } from './tableKey';

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
  /** HMAC-SHA256 under the signing key (see auditChain); absent for entries written without a key. */
  mac?: string;
  /** Fields of the stored row that cannot be read; the entry shows what could be. */
  damaged?: string[];
}

/** Bounds of the RowKey range holding entries written between `from` and `to` (inclusive). */
export function auditRowKeyRange(from?: string, to?: string): { lowest?: string; highest?: string } {
  return {
    lowest: to === undefined ? undefined : auditRowKey(to, '').slice(0, 19),
    highest: from === undefined ? undefined : `${auditRowKey(from, '').slice(0, 19)}~`,
  };
}

/** Entries about one registry (or any of its replicas) share a partition; everything else goes to `fleet`. */
export function auditPartition(target: string): string {
  const registry = registryOf(target);
  if (registry === undefined) return 'fleet';
  return tableKey(
    `${registry.subscriptionId}|${registry.resourceGroup}|${registry.registryName}`.toLowerCase(),
  );
}

const INDEX_PREFIX = 'instance|';
/** Room for `instance|`, `|` and ten digits within Table Storage's key limit, with plenty to spare. */
const MAX_INDEX_KEY_CHARS = 400;

/**
 * The RowKeys of an instance's index rows start with this: the instance id made key-safe, with `|`
 * encoded too, so no id's rows are a prefix of another's; an id too long for a key is shortened.
 */
export function auditIndexPrefix(instanceId: string): string {
  const key = shortenDeterministically(toKeySafe(instanceId).replace(/\|/g, '%7c'), MAX_INDEX_KEY_CHARS);
  return `${INDEX_PREFIX}${key}|`;
}

/** The index row of one entry of an instance; sorts by sequence within the instance. */
export function auditIndexRowKey(instanceId: string, sequence: number): string {
  return `${auditIndexPrefix(instanceId)}${String(sequence).padStart(10, '0')}`;
}

/**
 * Where a partition's anchors of one day are appended: a digest of the partition (any length, any
 * characters) and the day, so a blob name is short, safe, and a day's blob stays far below 50,000 blocks.
 */
export function auditAnchorBlobName(partition: string, time: string): string {
  return `${auditAnchorPrefix(partition)}${time.slice(0, 10)}.jsonl`;
}

export function auditAnchorPrefix(partition: string): string {
  return `${digest(partition)}/`;
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
