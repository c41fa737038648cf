// The audit trail in Azure Table Storage: append-only entries, one partition per registry, newest first,
// a hash chain per partition (signed with the audit key when there is one), and an index by orchestration
// instance kept in the same partition so that an entry and its index row are written in one transaction.
// Every append anchors the partition's new head outside the table (auditAnchors).
import { RestError, TableClient, odata } from '@azure/data-tables';
import type { TableEntityResult, TransactionAction } from '@azure/data-tables';

import {
  GENESIS_HASH,
  auditHash,
  auditIndexPrefix,
  auditIndexRowKey,
  auditPartition,
  auditRowKey,
  auditRowKeyRange,
  anchorMac,
  boundedDetail,
  entryMac,
  headMac,
  signingKeyId,
  tableKeyProblem,
  ValidationError,
  verifyChain,
} from '../domain';
import type {
  AuditChannel,
  AuditEntry,
  AuditOutcome,
  AuditRecord,
  ChainAnchor,
  ChainEvidence,
  ChainHead,
  ChainVerdict,
  StoredChainEntry,
} from '../domain';
import { AuditAnchors, anchorContainerName } from './auditAnchors';

const HEAD_ROW = 'chain-head';
/** Entry RowKeys start with digits; the head and index rows sort after them. */
const ENTRY_ROWS = { lowest: '0', highest: '9~' };
/** Writers in other processes race for a partition's head: each lost race costs one more attempt. */
const MAX_APPEND_ATTEMPTS = 20;
const MAX_CONFLICT_DELAY_MS = 500;
/** Reads of a partition that a busy writer may spoil before verification settles for the last one. */
const MAX_SNAPSHOT_ATTEMPTS = 4;
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
  mac?: string;
};

type StoredHead = {
  partitionKey: string;
  rowKey: string;
  sequence: number;
  hash: string;
  mac?: string;
};

/** An entry as read back, with its RowKey for verification. */
type StoredAuditEntry = StoredChainEntry & AuditEntry;

/** What the audit key protects, for callers that report it. */
export interface AuditProtection {
  protection: 'keyed' | 'unkeyed';
  /** Names the signing key (not the key itself), when there is one. */
  keyId?: string;
  /** Whether heads are anchored outside the table. */
  anchored: boolean;
}

/** A partition as stored: the evidence verification reads, and where its anchors are. */
export interface AuditEvidence extends ChainEvidence, AuditProtection {
  anchorBlobs: string[];
}

export interface AuditStoreOptions {
  /** Where each new head is anchored; without it nothing is anchored. */
  anchors?: AuditAnchors;
  /** The audit key (`AUDIT_SIGNING_KEY`); without it entries carry no MAC. */
  signingKey?: Uint8Array;
  /** Why the key setting cannot be used: writes and verification then fail until it is fixed. */
  keyProblem?: unknown;
}

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

/**
 * Raised when the audit store cannot be reached: a write that fails makes callers refuse to change
 * anything (503), a read that fails is answered 503 as well, worded for a read.
 */
export class AuditUnavailableError extends Error {
  constructor(
    cause: unknown,
    readonly access: 'read' | 'write' = 'write',
  ) {
    super(
      `the audit trail cannot be ${access === 'read' ? 'read' : 'written'}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'AuditUnavailableError';
    this.cause = cause;
  }
}

export class AuditStore {
  private ensured: Promise<void> | undefined;
  /** The last append started on each partition by this process; see inTurn. */
  private readonly turns = new Map<string, Promise<void>>();
  private readonly anchors: AuditAnchors | undefined;
  private readonly signingKey: Uint8Array | undefined;
  private readonly keyProblem: unknown;

  constructor(
    private readonly table: TableClient,
    options: AuditStoreOptions = {},
  ) {
    this.anchors = options.anchors;
    this.signingKey = options.signingKey;
    this.keyProblem = options.keyProblem;
  }

  /** The table and its anchors' container, both in the account of one connection string. */
  static fromConnectionString(
    connectionString: string,
    tableName: string,
    options: Pick<AuditStoreOptions, 'signingKey' | 'keyProblem'> = {},
  ): AuditStore {
    return new AuditStore(
      TableClient.fromConnectionString(connectionString, tableName, {
        allowInsecureConnection: true,
        retryOptions: BOUNDED_RETRY,
      }),
      {
        anchors: AuditAnchors.fromConnectionString(connectionString, anchorContainerName(tableName)),
        ...options,
      },
    );
  }

  get protection(): AuditProtection {
    return {
      protection: this.signingKey === undefined ? 'unkeyed' : 'keyed',
      ...(this.signingKey === undefined ? {} : { keyId: signingKeyId(this.signingKey) }),
      anchored: this.anchors !== undefined,
    };
  }

  /**
   * Appends a record once: a writer that retries with the same `entryId` and time gets the stored entry
   * back instead of a second one. Concurrent writers to one partition are serialised by the ETag of the
   * partition's chain head.
   */
  async append(record: AuditRecord, entryId: string): Promise<AuditEntry> {
    if (this.keyProblem !== undefined) throw new AuditUnavailableError(this.keyProblem, 'write');
    await this.ensureTable('write');
    try {
      // Nothing goes into the table unless its anchor can follow it.
      await this.anchors?.ready();
    } catch (error) {
      throw new AuditUnavailableError(error, 'write');
    }
    const partitionKey = auditPartition(record.target);
    return this.inTurn(partitionKey, () => this.appendTo(partitionKey, record, entryId));
  }

  /**
   * Runs one append to a partition after the ones this process started before it: writers in one process
   * never race each other for the chain head (fifty at once used to run out of attempts), and anchors of
   * one process are appended in sequence order.
   */
  private async inTurn<T>(partitionKey: string, write: () => Promise<T>): Promise<T> {
    const before = this.turns.get(partitionKey) ?? Promise.resolve();
    const mine = before.then(write, write);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(partitionKey, settled);
    try {
      return await mine;
    } finally {
      if (this.turns.get(partitionKey) === settled) this.turns.delete(partitionKey);
    }
  }

  private async appendTo(partitionKey: string, record: AuditRecord, entryId: string): Promise<AuditEntry> {
    const rowKey = auditRowKey(record.time, entryId);
    for (let attempt = 1; ; attempt += 1) {
      const existing = await this.readEntry(partitionKey, rowKey);
      if (existing !== undefined) {
        // A retry after an anchor that failed: anchor it now. Only an entry signed like this one
        // is anchored, so a writer without the key never vouches for a signed chain, or the reverse.
        if ((existing.mac !== undefined) === (this.signingKey !== undefined)) {
          await this.anchor(partitionKey, existing);
        }
        return withoutRowKey(existing);
      }

      const head = await this.readHead(partitionKey);
      const unsigned = {
        ...record,
        detail: boundedDetail(record.detail),
        entryId,
        sequence: head.sequence + 1,
      };
      const hash = auditHash(head.hash, unsigned);
      const mac = this.signingKey && entryMac(this.signingKey, partitionKey, unsigned.sequence, hash);
      const entry: AuditEntry = {
        ...unsigned,
        previousHash: head.hash,
        hash,
        ...(mac === undefined ? {} : { mac }),
      };
      const stored = toStored(partitionKey, rowKey, entry);
      const actions: TransactionAction[] = [['create', stored]];
      if (entry.instanceId !== undefined) {
        actions.push(['create', { ...stored, rowKey: auditIndexRowKey(entry.instanceId, entry.sequence) }]);
      }
      const newHead: StoredHead = {
        partitionKey,
        rowKey: HEAD_ROW,
        sequence: entry.sequence,
        hash: entry.hash,
        ...(this.signingKey === undefined
          ? {}
          : { mac: headMac(this.signingKey, partitionKey, entry.sequence, entry.hash) }),
      };
      actions.push(
        head.etag === undefined ? ['create', newHead] : ['update', newHead, 'Replace', { etag: head.etag }],
      );
      try {
        await this.table.submitTransaction(actions);
      } catch (error) {
        if (!isConflict(error)) throw wrapUnavailable(error, 'write');
        // Every attempt lost the head to other writers: the trail cannot be written just now.
        if (attempt >= MAX_APPEND_ATTEMPTS) throw new AuditUnavailableError(error, 'write');
        await delay(Math.random() * Math.min(MAX_CONFLICT_DELAY_MS, 10 * 2 ** attempt));
        continue;
      }
      await this.anchor(partitionKey, entry);
      return entry;
    }
  }

  /** Records the partition's new head in the anchors' append-only storage. */
  private async anchor(partition: string, entry: { sequence: number; hash: string }): Promise<void> {
    if (this.anchors === undefined) return;
    const anchor: ChainAnchor = {
      partition,
      sequence: entry.sequence,
      hash: entry.hash,
      time: new Date().toISOString(),
    };
    if (this.signingKey !== undefined) anchor.mac = anchorMac(this.signingKey, anchor);
    try {
      await this.anchors.append(anchor);
    } catch (error) {
      throw new AuditUnavailableError(error, 'write');
    }
  }

  /** One page of entries, newest first. Without a target the query spans every registry. */
  async list(
    query: AuditQuery,
    page: { continuationToken?: string; pageSize?: number } = {},
  ): Promise<AuditPage> {
    if (page.continuationToken !== undefined) checkStoreToken(page.continuationToken);
    await this.ensureTable('read');
    const filter = buildFilter(query);
    const iterator = this.table
      .listEntities<StoredEntry>({ queryOptions: { filter } })
      .byPage({ maxPageSize: page.pageSize ?? 100, continuationToken: page.continuationToken });
    try {
      const result = await iterator.next();
      if (result.done === true) return { entries: [] };
      const value = result.value as TableEntityResult<StoredEntry>[] & { continuationToken?: string };
      return {
        entries: value.map((row) => withoutRowKey(fromStored(row))),
        continuationToken: value.continuationToken,
      };
    } catch (error) {
      throw wrapUnavailable(error, 'read');
    }
  }

  /** Every entry an orchestration instance wrote about one target, in the order they were written. */
  async listByInstance(target: string, instanceId: string): Promise<AuditEntry[]> {
    await this.ensureTable('read');
    const prefix = auditIndexPrefix(instanceId);
    const filter = odata`PartitionKey eq ${auditPartition(target)} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`;
    const entries: AuditEntry[] = [];
    try {
      for await (const row of this.table.listEntities<StoredEntry>({ queryOptions: { filter } }))
        entries.push(withoutRowKey(fromStored(row)));
    } catch (error) {
      throw wrapUnavailable(error, 'read');
    }
    return entries.sort((a, b) => a.sequence - b.sequence);
  }

  /** Checks a registry's partition: its chain, MACs, head and anchors; reports the first break. */
  async verify(target: string): Promise<ChainVerdict & AuditProtection & { partition: string }> {
    const evidence = await this.evidence(target);
    return { partition: evidence.partition, ...verifyChain(evidence), ...this.protection };
  }

  /** Everything stored about a registry's partition, as verification reads it. */
  async evidence(target: string): Promise<AuditEvidence> {
    if (this.keyProblem !== undefined) throw new AuditUnavailableError(this.keyProblem, 'read');
    await this.ensureTable('read');
    const partition = auditPartition(target);
    try {
      // The head, entries and anchors are read one after another: an append in between would look like
      // a break, so read again until the head is the same before and after (a few times at most).
      let snapshot = await this.readPartition(partition);
      for (let attempt = 1; attempt < MAX_SNAPSHOT_ATTEMPTS; attempt += 1) {
        const head = await this.readHeadRow(partition);
        if (head?.sequence === snapshot.head?.sequence && head?.hash === snapshot.head?.hash) break;
        snapshot = await this.readPartition(partition);
      }
      return {
        partition,
        ...snapshot,
        ...(this.signingKey === undefined ? {} : { key: this.signingKey }),
        ...this.protection,
      };
    } catch (error) {
      throw wrapUnavailable(error, 'read');
    }
  }

  private async readPartition(
    partition: string,
  ): Promise<Pick<AuditEvidence, 'entries' | 'head' | 'anchors' | 'unreadableAnchors' | 'anchorBlobs'>> {
    const head = await this.readHeadRow(partition);
    const filter = odata`PartitionKey eq ${partition} and RowKey ge ${ENTRY_ROWS.lowest} and RowKey le ${ENTRY_ROWS.highest}`;
    const entries: StoredChainEntry[] = [];
    for await (const row of this.table.listEntities<StoredEntry>({ queryOptions: { filter } }))
      entries.push(fromStored(row));
    const anchors = (await this.anchors?.read(partition)) ?? { anchors: [], unreadable: 0, blobs: [] };
    return {
      entries,
      ...(head === undefined ? {} : { head }),
      anchors: anchors.anchors,
      unreadableAnchors: anchors.unreadable,
      anchorBlobs: anchors.blobs,
    };
  }

  async ensureTable(access: 'read' | 'write' = 'write'): Promise<void> {
    this.ensured ??= this.table.createTable().catch((error: unknown) => {
      this.ensured = undefined;
      throw error;
    });
    try {
      await this.ensured;
    } catch (error) {
      throw wrapUnavailable(error, access);
    }
  }

  private async readEntry(partitionKey: string, rowKey: string): Promise<StoredAuditEntry | undefined> {
    try {
      return fromStored(await this.table.getEntity<StoredEntry>(partitionKey, rowKey));
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw wrapUnavailable(error, 'write');
    }
  }

  /** The head to append after; a head that cannot be read is rebuilt from the entries. */
  private async readHead(partitionKey: string): Promise<{ sequence: number; hash: string; etag?: string }> {
    let row: TableEntityResult<Record<string, unknown>>;
    try {
      row = await this.table.getEntity<Record<string, unknown>>(partitionKey, HEAD_ROW);
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return { sequence: 0, hash: GENESIS_HASH };
      throw wrapUnavailable(error, 'write');
    }
    const head = readHead(row);
    if (head !== undefined) return { sequence: head.sequence, hash: head.hash, etag: row.etag };
    return { ...(await this.lastEntry(partitionKey)), etag: row.etag };
  }

  /** The entry with the highest sequence that can be read, for continuing after a damaged head. */
  private async lastEntry(partitionKey: string): Promise<{ sequence: number; hash: string }> {
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${ENTRY_ROWS.lowest} and RowKey le ${ENTRY_ROWS.highest}`;
    let last = { sequence: 0, hash: GENESIS_HASH };
    try {
      for await (const row of this.table.listEntities<StoredEntry>({
        queryOptions: { filter, select: ['sequence', 'hash'] },
      })) {
        if (isCount(row.sequence) && typeof row.hash === 'string' && row.sequence > last.sequence)
          last = { sequence: row.sequence, hash: row.hash };
      }
    } catch (error) {
      throw wrapUnavailable(error, 'write');
    }
    return last;
  }

  private async readHeadRow(partitionKey: string): Promise<ChainHead | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(partitionKey, HEAD_ROW);
      // A head that cannot be read counts as no head: verification reports it.
      return readHead(row);
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }
}

function readHead(row: Record<string, unknown>): ChainHead | undefined {
  const { sequence, hash, mac } = row;
  if (!isCount(sequence) || typeof hash !== 'string') return undefined;
  return { sequence, hash, ...(typeof mac === 'string' ? { mac } : {}) };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * A store token (the SDK's base64 JSON of the next keys) must decode to keys the table could hold;
 * anything else is the caller's mistake, not a storage failure.
 */
function checkStoreToken(token: string): void {
  const refuse = (): never => {
    throw new ValidationError(
      'continuationToken',
      'is not a continuation token this API issued; pass the continuationToken of the previous page unchanged',
    );
  };
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) refuse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    return refuse();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return refuse();
  const { nextPartitionKey, nextRowKey, ...rest } = parsed as Record<string, unknown>;
  const isKey = (value: unknown): boolean =>
    typeof value === 'string' && value !== '' && tableKeyProblem(value) === undefined;
  if (Object.keys(rest).length > 0 || !isKey(nextPartitionKey)) refuse();
  if (nextRowKey !== undefined && !isKey(nextRowKey)) refuse();
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
    ...(entry.mac === undefined ? {} : { mac: entry.mac }),
  };
}

/**
 * Reads a stored row without trusting it: a field that is missing, of the wrong type or (for `detail`)
 * not a JSON object is left out and named in `damaged`, so one damaged row never stops a listing or a
 * verification.
 */
function fromStored(row: Record<string, unknown>): StoredAuditEntry {
  const damaged: string[] = [];
  const text = (name: string): string => {
    const value = row[name];
    if (typeof value === 'string') return value;
    damaged.push(name);
    return '';
  };
  const optionalText = (name: string): string | undefined => {
    const value = row[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    damaged.push(name);
    return undefined;
  };
  const sequence = isCount(row.sequence) ? row.sequence : (damaged.push('sequence'), 0);
  const actorName = optionalText('actorName');
  const instanceId = optionalText('instanceId');
  const detail = readDetail(row.detail, damaged);
  const mac = optionalText('mac');
  const entry = {
    rowKey: typeof row.rowKey === 'string' ? row.rowKey : '',
    entryId: text('entryId'),
    sequence,
    time: text('time'),
    actor: actorName === undefined ? { id: text('actorId') } : { id: text('actorId'), name: actorName },
    channel: text('channel') as AuditChannel,
    operation: text('operation'),
    target: text('target'),
    ...(instanceId === undefined ? {} : { instanceId }),
    step: text('step'),
    outcome: text('outcome') as AuditOutcome,
    ...(detail === undefined ? {} : { detail }),
    previousHash: text('previousHash'),
    hash: text('hash'),
    ...(mac === undefined ? {} : { mac }),
  };
  return damaged.length === 0 ? entry : { ...entry, damaged };
}

function readDetail(value: unknown, damaged: string[]): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // named below
    }
  }
  damaged.push('detail');
  return undefined;
}

function withoutRowKey(entry: StoredAuditEntry): AuditEntry {
  const { rowKey: _rowKey, ...rest } = entry;
  return rest;
}

function isConflict(error: unknown): boolean {
  return error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412);
}

function wrapUnavailable(error: unknown, access: 'read' | 'write'): unknown {
  if (error instanceof AuditUnavailableError || error instanceof ValidationError) return error;
  if (error instanceof RestError && error.statusCode !== undefined && error.statusCode < 500) return error;
  return new AuditUnavailableError(error, access);
}

async function delay(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}
