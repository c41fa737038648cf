// The audit trail in Azure Table Storage: append-only entries, one partition per registry, newest first,
// a hash chain per partition, and an index by orchestration instance kept in the same partition so that
// an entry and its index row are written in one transaction.
import { RestError, TableClient, odata } from '@azure/data-tables';
import type { TableEntityResult, TransactionAction } from '@azure/data-tables';

import {
  GENESIS_HASH,
  auditHash,
  auditPartition,
  auditRowKey,
  auditRowKeyRange,
  boundedDetail,
  toKeySafe,
  verifyChain,
} from '../domain/audit';
import type { AuditEntry, AuditOutcome, AuditRecord, AuditChannel, ChainVerdict } from '../domain/audit';

const HEAD_ROW = 'chain-head';
const INDEX_PREFIX = 'instance|';
/** Entry RowKeys start with digits; the head and index rows sort after them. */
const ENTRY_ROWS = { lowest: '0', highest: '9~' };
const MAX_APPEND_ATTEMPTS = 12;
/**
 * Few, short retries: a request must learn within seconds that the audit trail is down (and answer 503),
 * and orchestrations retry their audit writes on their own, with longer waits.
 */
export const BOUNDED_RETRY = { maxRetries: 2, retryDelayInMs: 500, maxRetryDelayInMs: 2000 };

type StoredEntry = {
  partitionKey: string;
  rowKey: string;
  entryId: string;
  sequence: number;
  time: string;
  actorId: string;
  actorName?: string;
  channel: string;
  operation: string;
  target: string;
  instanceId?: string;
  step: string;
  outcome: string;
  detail?: string;
  previousHash: string;
  hash: string;
};

type StoredHead = {
  partitionKey: string;
  rowKey: string;
  sequence: number;
  hash: string;
};

export interface AuditQuery {
  /** A registry or replica id: limits the query to that registry's partition. */
  target?: string;
  operation?: string;
  actor?: string;
  instanceId?: string;
  from?: string;
  to?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  continuationToken?: string;
}

/** Raised when the audit store cannot be reached, so callers refuse to change anything (503). */
export class AuditUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the audit trail is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'AuditUnavailableError';
    this.cause = cause;
  }
}

export class AuditStore {
  private ensured: Promise<void> | undefined;

  constructor(private readonly table: TableClient) {}

  static fromConnectionString(connectionString: string, tableName: string): AuditStore {
    return new AuditStore(
      TableClient.fromConnectionString(connectionString, tableName, {
        allowInsecureConnection: true,
        retryOptions: BOUNDED_RETRY,
      }),
    );
  }

  /**
   * Appends a record once: a writer that retries with the same `entryId` and time gets the stored entry
   * back instead of a second one. Concurrent writers to one partition are serialised by the ETag of the
   * partition's chain head.
   */
  async append(record: AuditRecord, entryId: string): Promise<AuditEntry> {
    await this.ensureTable();
    const partitionKey = auditPartition(record.target);
    const rowKey = auditRowKey(record.time, entryId);
    for (let attempt = 1; ; attempt += 1) {
      const existing = await this.readEntry(partitionKey, rowKey);
      if (existing !== undefined) return existing;

      const head = await this.readHead(partitionKey);
      const unsigned = {
        ...record,
        detail: boundedDetail(record.detail),
        entryId,
        sequence: head.sequence + 1,
      };
      const entry: AuditEntry = {
        ...unsigned,
        previousHash: head.hash,
        hash: auditHash(head.hash, unsigned),
      };
      const stored = toStored(partitionKey, rowKey, entry);
      const actions: TransactionAction[] = [['create', stored]];
      if (entry.instanceId !== undefined) {
        actions.push(['create', { ...stored, rowKey: indexRowKey(entry.instanceId, entry.sequence) }]);
      }
      const newHead: StoredHead = {
        partitionKey,
        rowKey: HEAD_ROW,
        sequence: entry.sequence,
        hash: entry.hash,
      };
      actions.push(
        head.etag === undefined ? ['create', newHead] : ['update', newHead, 'Replace', { etag: head.etag }],
      );
      try {
        await this.table.submitTransaction(actions);
        return entry;
      } catch (error) {
        if (!isConflict(error) || attempt >= MAX_APPEND_ATTEMPTS) throw wrapUnavailable(error);
        await delay(Math.random() * 20 * attempt);
      }
    }
  }

  /** One page of entries, newest first. Without a target the query spans every registry. */
  async list(
    query: AuditQuery,
    page: { continuationToken?: string; pageSize?: number } = {},
  ): Promise<AuditPage> {
    await this.ensureTable();
    const filter = buildFilter(query);
    const iterator = this.table
      .listEntities<StoredEntry>({ queryOptions: { filter } })
      .byPage({ maxPageSize: page.pageSize ?? 100, continuationToken: page.continuationToken });
    try {
      const result = await iterator.next();
      if (result.done === true) return { entries: [] };
      const value = result.value as TableEntityResult<StoredEntry>[] & { continuationToken?: string };
      return { entries: value.map(fromStored), continuationToken: value.continuationToken };
    } catch (error) {
      throw wrapUnavailable(error);
    }
  }

  /** Every entry an orchestration instance wrote about one target, in the order they were written. */
  async listByInstance(target: string, instanceId: string): Promise<AuditEntry[]> {
    await this.ensureTable();
    const prefix = `${INDEX_PREFIX}${indexKeyOf(instanceId)}|`;
    const filter = odata`PartitionKey eq ${auditPartition(target)} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`;
    const entries: AuditEntry[] = [];
    for await (const row of this.table.listEntities<StoredEntry>({ queryOptions: { filter } }))
      entries.push(fromStored(row));
    return entries.sort((a, b) => a.sequence - b.sequence);
  }

  /** Walks the hash chain of a registry's partition and reports the first break. */
  async verify(target: string): Promise<ChainVerdict & { partition: string }> {
    await this.ensureTable();
    const partitionKey = auditPartition(target);
    const head = await this.readHead(partitionKey);
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${ENTRY_ROWS.lowest} and RowKey le ${ENTRY_ROWS.highest}`;
    const entries: AuditEntry[] = [];
    for await (const row of this.table.listEntities<StoredEntry>({ queryOptions: { filter } }))
      entries.push(fromStored(row));
    return { partition: partitionKey, ...verifyChain(entries, head.sequence) };
  }

  async ensureTable(): Promise<void> {
    this.ensured ??= this.table.createTable().catch((error: unknown) => {
      this.ensured = undefined;
      throw wrapUnavailable(error);
    });
    return this.ensured;
  }

  private async readEntry(partitionKey: string, rowKey: string): Promise<AuditEntry | undefined> {
    try {
      return fromStored(await this.table.getEntity<StoredEntry>(partitionKey, rowKey));
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw wrapUnavailable(error);
    }
  }

  private async readHead(partitionKey: string): Promise<{ sequence: number; hash: string; etag?: string }> {
    try {
      const head = await this.table.getEntity<StoredHead>(partitionKey, HEAD_ROW);
      return { sequence: head.sequence, hash: head.hash, etag: head.etag };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return { sequence: 0, hash: GENESIS_HASH };
      throw wrapUnavailable(error);
    }
  }
}

/** The instance id with `|` encoded as well, so one id is never a prefix of another's index rows. */
function indexKeyOf(instanceId: string): string {
  return toKeySafe(instanceId).replace(/\|/g, '%7c');
}

function indexRowKey(instanceId: string, sequence: number): string {
  return `${INDEX_PREFIX}${indexKeyOf(instanceId)}|${String(sequence).padStart(10, '0')}`;
}

function buildFilter(query: AuditQuery): string {
  const range = auditRowKeyRange(query.from, query.to);
  const clauses = [
    odata`RowKey ge ${range.lowest ?? ENTRY_ROWS.lowest}`,
    odata`RowKey le ${range.highest ?? ENTRY_ROWS.highest}`,
  ];
  if (query.target !== undefined) clauses.unshift(odata`PartitionKey eq ${auditPartition(query.target)}`);
  if (query.operation !== undefined) clauses.push(odata`operation eq ${query.operation}`);
  if (query.actor !== undefined) clauses.push(odata`actorId eq ${query.actor}`);
  if (query.instanceId !== undefined) clauses.push(odata`instanceId eq ${query.instanceId}`);
  return clauses.join(' and ');
}

function toStored(partitionKey: string, rowKey: string, entry: AuditEntry): StoredEntry {
  return {
    partitionKey,
    rowKey,
    entryId: entry.entryId,
    sequence: entry.sequence,
    time: entry.time,
    actorId: entry.actor.id,
    ...(entry.actor.name === undefined ? {} : { actorName: entry.actor.name }),
    channel: entry.channel,
    operation: entry.operation,
    target: entry.target,
    ...(entry.instanceId === undefined ? {} : { instanceId: entry.instanceId }),
    step: entry.step,
    outcome: entry.outcome,
    ...(entry.detail === undefined ? {} : { detail: JSON.stringify(entry.detail) }),
    previousHash: entry.previousHash,
    hash: entry.hash,
  };
}

function fromStored(row: StoredEntry): AuditEntry {
  return {
    entryId: row.entryId,
    sequence: row.sequence,
    time: row.time,
    actor: row.actorName === undefined ? { id: row.actorId } : { id: row.actorId, name: row.actorName },
    channel: row.channel as AuditChannel,
    operation: row.operation,
    target: row.target,
    ...(row.instanceId === undefined ? {} : { instanceId: row.instanceId }),
    step: row.step,
    outcome: row.outcome as AuditOutcome,
    ...(row.detail === undefined ? {} : { detail: JSON.parse(row.detail) as Record<string, unknown> }),
    previousHash: row.previousHash,
    hash: row.hash,
  };
}

function isConflict(error: unknown): boolean {
  return error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412);
}

function wrapUnavailable(error: unknown): unknown {
  if (error instanceof AuditUnavailableError) return error;
  if (error instanceof RestError && error.statusCode !== undefined && error.statusCode < 500) return error;
  return new AuditUnavailableError(error);
}

async function delay(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}
