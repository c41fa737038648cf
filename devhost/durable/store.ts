// Durable state in Azure Table Storage, one table per task hub and one partition per instance.
//
// Everything about an instance lives in its partition, so that one entity-group transaction can record an
// episode atomically:
//   state                    the instance row (status, input, output, custom status, current execution)
//   h.{execution}.{n}        history, one row per episode (events as JSON, split over properties if long);
//                            past executions' rows are deleted, or set aside when they are kept
//   m.{message id}           inbox messages (events not yet in history; timers carry a visibility time)
//   w.{execution}.{task}     activity work items
//   o.{execution}.{n}        outbox rows: deliveries an episode committed to but has not made yet

import type {
  TableEntity,
  TableEntityResult,
  TableTransactionResponse,
  TransactionAction,
} from '@azure/data-tables';
import { odata, TableClient } from '@azure/data-tables';
import { EventType } from './history';
import type { HistoryEvent, ParentInstance } from './history';
import { readLargeText, writeLargeText, MAX_TEXT_PER_ENTITY } from './largeText';
import type { OrchestrationMessage, OutboxItem } from './messages';
import { decodeKey, encodeKey, tableNameFor } from './tableKeys';

export type RuntimeStatus =
  'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Suspended';

export const TERMINAL_STATUSES: readonly RuntimeStatus[] = ['Completed', 'Failed', 'Canceled', 'Terminated'];

export const isTerminal = (status: RuntimeStatus): boolean => TERMINAL_STATUSES.includes(status);

export interface InstanceState {
  instanceId: string;
  name: string;
  executionId: string;
  runtimeStatus: RuntimeStatus;
  input: string | null;
  output: string | null;
  customStatus: string | null;
  createdTime: Date;
  lastUpdatedTime: Date;
  parent: ParentInstance | null;
  /** History rows written for the current execution (the next row's number). */
  historyRows: number;
  /** Outbox rows written for the current execution (the next row's number). */
  outboxRows: number;
  etag?: string;
}

export interface StoredMessage extends OrchestrationMessage {
  rowKey: string;
}

export interface WorkItem {
  rowKey: string;
  instanceId: string;
  executionId: string;
  taskScheduledId: number;
  name: string;
  input: string | null;
  etag?: string;
}

export interface OutboxRow {
  rowKey: string;
  instanceId: string;
  items: OutboxItem[];
  /** When the row was written (server time); absent for rows not read from the table. */
  writtenAt?: Date;
}

export interface InstanceSnapshot {
  state: InstanceState | undefined;
  history: HistoryEvent[];
  messages: StoredMessage[];
  workItems: WorkItem[];
  outboxes: OutboxRow[];
}

/** What an episode reads first: the instance row and its inbox (visible or not). */
export interface Inbox {
  state: InstanceState | undefined;
  messages: StoredMessage[];
}

/** A row that asks for work, by key: a message, an activity work item or an outbox row. */
export interface PendingRow {
  instanceId: string;
  rowKey: string;
  kind: 'msg' | 'work' | 'outbox';
  /** Delivery order, for messages. */
  orderKey: string;
  /** When the row was written (server time). */
  writtenAt: Date | undefined;
}

export interface InstanceQuery {
  createdTimeFrom?: Date;
  createdTimeTo?: Date;
  runtimeStatus?: RuntimeStatus[];
  instanceIdPrefix?: string;
  pageSize?: number;
  continuationToken?: string;
}

const STATE_KEY = 'state';
const pad = (n: number): string => n.toString().padStart(8, '0');

export const historyRowKey = (executionId: string, n: number): string => `h.${executionId}.${pad(n)}`;
export const messageRowKey = (id: string): string => `m.${encodeKey(id)}`;
export const workItemRowKey = (executionId: string, taskId: number): string =>
  `w.${executionId}.${pad(taskId)}`;
export const outboxRowKey = (executionId: string, n: number): string => `o.${executionId}.${pad(n)}`;
/** Row keys of one kind lie between `x.` and `x/` ('/' sorts right after '.'). */
const MESSAGES_FROM = 'm.';
const MESSAGES_TO = 'm/';
const historyRowsEnd = (executionId: string): string => `h.${executionId}/`;

type Row = TableEntityResult<Record<string, unknown>>;

function str(row: Record<string, unknown>, name: string): string {
  const value = row[name];
  return typeof value === 'string' ? value : '';
}

function num(row: Record<string, unknown>, name: string): number {
  const value = row[name];
  return typeof value === 'number' ? value : 0;
}

function date(row: Record<string, unknown>, name: string): Date {
  const value = row[name];
  return value instanceof Date ? value : new Date(typeof value === 'string' ? value : 0);
}

export function stateEntity(state: InstanceState): TableEntity {
  const entity: TableEntity<Record<string, unknown>> = {
    partitionKey: encodeKey(state.instanceId),
    rowKey: STATE_KEY,
    Kind: 'state',
    InstanceId: state.instanceId,
    Name: state.name,
    ExecutionId: state.executionId,
    RuntimeStatus: state.runtimeStatus,
    CreatedTime: state.createdTime,
    LastUpdatedTime: state.lastUpdatedTime,
    ParentInstance: state.parent ? JSON.stringify(state.parent) : '',
    HistoryRows: state.historyRows,
    OutboxRows: state.outboxRows,
  };
  writeLargeText(entity, 'Input', state.input);
  writeLargeText(entity, 'Output', state.output);
  writeLargeText(entity, 'CustomStatus', state.customStatus);
  return entity;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}

/**
 * The instance row's properties that differ between two states, to merge into the row. Like the Azure
 * Storage provider (AzureTableTrackingStore.UpdateStateAsync merges the instance row, writing the input
 * only with ExecutionStarted), an episode leaves the input it has not changed where it is.
 */
export function stateChanges(before: InstanceState, after: InstanceState): TableEntity {
  const old: Record<string, unknown> = stateEntity(before);
  const next: Record<string, unknown> = stateEntity(after);
  const changes: TableEntity<Record<string, unknown>> = {
    partitionKey: encodeKey(after.instanceId),
    rowKey: STATE_KEY,
  };
  for (const [name, value] of Object.entries(next)) {
    if (!sameValue(old[name], value)) {
      changes[name] = value;
    }
  }
  for (const name of Object.keys(old)) {
    // Parts of a text that has become shorter; nothing reads them once `<name>_parts` says so.
    if (!(name in next)) {
      changes[name] = '';
    }
  }
  return changes;
}

function toState(row: Row): InstanceState {
  const parent = str(row, 'ParentInstance');
  return {
    instanceId: str(row, 'InstanceId'),
    name: str(row, 'Name'),
    executionId: str(row, 'ExecutionId'),
    runtimeStatus: str(row, 'RuntimeStatus') as RuntimeStatus,
    input: readLargeText(row, 'Input'),
    output: readLargeText(row, 'Output'),
    customStatus: readLargeText(row, 'CustomStatus'),
    createdTime: date(row, 'CreatedTime'),
    lastUpdatedTime: date(row, 'LastUpdatedTime'),
    parent: parent ? (JSON.parse(parent) as ParentInstance) : null,
    historyRows: num(row, 'HistoryRows'),
    outboxRows: num(row, 'OutboxRows'),
    etag: row.etag,
  };
}

/** History rows for one episode's events; several rows if the JSON outgrows one entity. */
export function historyEntities(
  instanceId: string,
  executionId: string,
  firstRow: number,
  events: HistoryEvent[],
): TableEntity[] {
  const rows: HistoryEvent[][] = [];
  let current: HistoryEvent[] = [];
  let size = 2;
  for (const event of events) {
    const length = JSON.stringify(event).length + 1;
    if (current.length > 0 && size + length > MAX_TEXT_PER_ENTITY) {
      rows.push(current);
      current = [];
      size = 2;
    }
    current.push(event);
    size += length;
  }
  if (current.length > 0) {
    rows.push(current);
  }
  return rows.map((chunk, i) => {
    const entity: TableEntity<Record<string, unknown>> = {
      partitionKey: encodeKey(instanceId),
      rowKey: historyRowKey(executionId, firstRow + i),
      Kind: 'history',
      ExecutionId: executionId,
    };
    writeLargeText(entity, 'Events', JSON.stringify(chunk));
    return entity;
  });
}

export function messageEntity(instanceId: string, message: OrchestrationMessage): TableEntity {
  const entity: TableEntity<Record<string, unknown>> = {
    partitionKey: encodeKey(instanceId),
    rowKey: messageRowKey(message.id),
    Kind: 'msg',
    MessageId: message.id,
    VisibleAt: message.visibleAt,
    OrderKey: message.orderKey,
    TargetExecutionId: message.targetExecutionId ?? '',
  };
  writeLargeText(entity, 'Event', JSON.stringify(message.event));
  return entity;
}

function toMessage(row: Row): StoredMessage {
  const target = str(row, 'TargetExecutionId');
  return {
    rowKey: row.rowKey ?? '',
    id: str(row, 'MessageId'),
    event: JSON.parse(readLargeText(row, 'Event') ?? 'null') as HistoryEvent,
    targetExecutionId: target === '' ? undefined : target,
    visibleAt: date(row, 'VisibleAt'),
    orderKey: str(row, 'OrderKey'),
  };
}

export function workItemEntity(item: Omit<WorkItem, 'rowKey' | 'etag'>): TableEntity {
  const entity: TableEntity<Record<string, unknown>> = {
    partitionKey: encodeKey(item.instanceId),
    rowKey: workItemRowKey(item.executionId, item.taskScheduledId),
    Kind: 'work',
    InstanceId: item.instanceId,
    ExecutionId: item.executionId,
    TaskScheduledId: item.taskScheduledId,
    Name: item.name,
  };
  writeLargeText(entity, 'Input', item.input);
  return entity;
}

function toWorkItem(row: Row): WorkItem {
  return {
    rowKey: row.rowKey ?? '',
    instanceId: str(row, 'InstanceId'),
    executionId: str(row, 'ExecutionId'),
    taskScheduledId: num(row, 'TaskScheduledId'),
    name: str(row, 'Name'),
    input: readLargeText(row, 'Input'),
    etag: row.etag,
  };
}

export function outboxEntity(instanceId: string, rowKey: string, items: OutboxItem[]): TableEntity {
  const entity: TableEntity<Record<string, unknown>> = {
    partitionKey: encodeKey(instanceId),
    rowKey,
    Kind: 'outbox',
    InstanceId: instanceId,
  };
  writeLargeText(entity, 'Items', JSON.stringify(items));
  return entity;
}

function toOutbox(row: Row): OutboxRow {
  const items = JSON.parse(readLargeText(row, 'Items') ?? '[]') as OutboxItem[];
  for (const item of items) {
    // Dates come back from JSON as strings.
    if (item.type === 'message') {
      item.message.visibleAt = new Date(item.message.visibleAt);
    }
  }
  return {
    rowKey: row.rowKey ?? '',
    instanceId: str(row, 'InstanceId'),
    items,
    writtenAt: row.timestamp ? new Date(row.timestamp) : undefined,
  };
}

export const deleteAction = (instanceId: string, rowKey: string): TransactionAction => [
  'delete',
  { partitionKey: encodeKey(instanceId), rowKey },
];

export function isStatusCode(error: unknown, ...codes: number[]): boolean {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && codes.includes(status);
}

export class OrchestrationStore {
  private constructor(
    private readonly client: TableClient,
    readonly tableName: string,
  ) {}

  static async open(connectionString: string, hubName: string): Promise<OrchestrationStore> {
    const tableName = tableNameFor(hubName);
    const insecure = /usedevelopmentstorage=true|tableendpoint=http:/i.test(connectionString);
    const client = TableClient.fromConnectionString(connectionString, tableName, {
      allowInsecureConnection: insecure,
    });
    try {
      await client.createTable();
    } catch (error) {
      if (!isStatusCode(error, 409)) {
        throw error;
      }
    }
    return new OrchestrationStore(client, tableName);
  }

  /** One row of an instance's partition; undefined when there is none. */
  private async readRow(instanceId: string, rowKey: string): Promise<Row | undefined> {
    try {
      return await this.client.getEntity<Record<string, unknown>>(encodeKey(instanceId), rowKey);
    } catch (error) {
      if (isStatusCode(error, 404)) {
        return undefined;
      }
      throw error;
    }
  }

  async readState(instanceId: string): Promise<InstanceState | undefined> {
    const row = await this.readRow(instanceId, STATE_KEY);
    return row && toState(row);
  }

  async readInstance(instanceId: string): Promise<InstanceSnapshot> {
    const snapshot: InstanceSnapshot = {
      state: undefined,
      history: [],
      messages: [],
      workItems: [],
      outboxes: [],
    };
    const historyRows: Row[] = [];
    const rows = this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${encodeKey(instanceId)} and Kind ne 'pastHistory'` },
    });
    for await (const row of rows) {
      switch (row.Kind) {
        case 'state':
          snapshot.state = toState(row);
          break;
        case 'history':
          historyRows.push(row);
          break;
        case 'msg':
          snapshot.messages.push(toMessage(row));
          break;
        case 'work':
          snapshot.workItems.push(toWorkItem(row));
          break;
        case 'outbox':
          snapshot.outboxes.push(toOutbox(row));
          break;
        default:
          break;
      }
    }
    const executionId = snapshot.state?.executionId;
    for (const row of historyRows.sort((a, b) => (a.rowKey ?? '').localeCompare(b.rowKey ?? ''))) {
      if (row.ExecutionId === executionId) {
        snapshot.history.push(...(JSON.parse(readLargeText(row, 'Events') ?? '[]') as HistoryEvent[]));
      }
    }
    snapshot.messages.sort(
      (a, b) => a.orderKey.localeCompare(b.orderKey) || a.rowKey.localeCompare(b.rowKey),
    );
    return snapshot;
  }

  /** The instance row and the inbox, without the history, work items or outbox rows beside them. */
  async readInbox(instanceId: string): Promise<Inbox> {
    const inbox: Inbox = { state: undefined, messages: [] };
    const rows = this.client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${encodeKey(instanceId)} and (RowKey eq ${STATE_KEY} or (RowKey ge ${MESSAGES_FROM} and RowKey lt ${MESSAGES_TO}))`,
      },
    });
    for await (const row of rows) {
      if (row.Kind === 'state') {
        inbox.state = toState(row);
      } else if (row.Kind === 'msg') {
        inbox.messages.push(toMessage(row));
      }
    }
    inbox.messages.sort((a, b) => a.orderKey.localeCompare(b.orderKey) || a.rowKey.localeCompare(b.rowKey));
    return inbox;
  }

  /** An execution's history from its row `fromRow` on (history rows are written once, never changed). */
  async readHistory(instanceId: string, executionId: string, fromRow = 0): Promise<HistoryEvent[]> {
    const rows: Row[] = [];
    const query = this.client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${encodeKey(instanceId)} and RowKey ge ${historyRowKey(executionId, fromRow)} and RowKey lt ${historyRowsEnd(executionId)}`,
      },
    });
    for await (const row of query) {
      rows.push(row);
    }
    rows.sort((a, b) => (a.rowKey ?? '').localeCompare(b.rowKey ?? ''));
    return rows.flatMap((row) => JSON.parse(readLargeText(row, 'Events') ?? '[]') as HistoryEvent[]);
  }

  /**
   * Rows of past executions (left behind by continue-as-new and restarts) in an instance's partition:
   * their history, unless it is kept for inspection (then it is set aside instead), and their outboxes.
   */
  async staleRowKeys(instanceId: string, currentExecutionId: string, keepHistory = false): Promise<string[]> {
    const keys: string[] = [];
    const rows = this.client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${encodeKey(instanceId)} and ExecutionId ne ${currentExecutionId}`,
        select: ['RowKey', 'Kind'],
      },
    });
    for await (const row of rows) {
      if (((row.Kind === 'history' && !keepHistory) || row.Kind === 'outbox') && row.rowKey) {
        keys.push(row.rowKey);
      }
    }
    return keys;
  }

  /**
   * Sets past executions' history aside (Kind 'pastHistory'), where episodes, which read the current
   * execution's rows only, never read it again.
   */
  async setPastHistoryAside(instanceId: string, currentExecutionId: string): Promise<void> {
    const actions: TransactionAction[] = [];
    const rows = this.client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${encodeKey(instanceId)} and ExecutionId ne ${currentExecutionId} and Kind eq 'history'`,
        select: ['RowKey'],
      },
    });
    for await (const row of rows) {
      if (row.rowKey) {
        actions.push([
          'update',
          { partitionKey: encodeKey(instanceId), rowKey: row.rowKey, Kind: 'pastHistory' },
          'Merge',
        ]);
      }
    }
    await this.commitInBatches(actions);
  }

  /** The history of every execution the partition still holds, oldest execution first. */
  async readAllHistories(instanceId: string): Promise<HistoryEvent[][]> {
    const byExecution = new Map<string, Row[]>();
    const rows = this.client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`PartitionKey eq ${encodeKey(instanceId)} and (Kind eq 'history' or Kind eq 'pastHistory')`,
      },
    });
    for await (const row of rows) {
      const executionId = str(row, 'ExecutionId');
      byExecution.set(executionId, [...(byExecution.get(executionId) ?? []), row]);
    }
    const executions = [...byExecution.values()].map((group) =>
      group
        .sort((a, b) => (a.rowKey ?? '').localeCompare(b.rowKey ?? ''))
        .flatMap((row) => JSON.parse(readLargeText(row, 'Events') ?? '[]') as HistoryEvent[]),
    );
    // Executions are told apart by their start: its time, then its generation.
    const startOf = (history: HistoryEvent[]): [string, number] => {
      const first = history[0];
      return [first?.Timestamp ?? '', first?.EventType === EventType.ExecutionStarted ? first.Generation : 0];
    };
    return executions.sort((a, b) => {
      const [at, ag] = startOf(a);
      const [bt, bg] = startOf(b);
      return at.localeCompare(bt) || ag - bg;
    });
  }

  /**
   * One entity-group transaction: all of it happens or none of it (at most 100 actions, one partition).
   * The answer lists one response per action, in order, with the ETag each written row now has.
   */
  async commit(actions: TransactionAction[]): Promise<TableTransactionResponse | undefined> {
    if (actions.length > 100) {
      throw new Error(`A transaction holds at most 100 actions, got ${actions.length}`);
    }
    return actions.length > 0 ? this.client.submitTransaction(actions) : undefined;
  }

  /** Idempotent writes that need not be atomic together, in transactions of up to 100. */
  async commitInBatches(actions: TransactionAction[]): Promise<void> {
    for (let i = 0; i < actions.length; i += 100) {
      await this.commit(actions.slice(i, i + 100));
    }
  }

  async upsert(entity: TableEntity): Promise<void> {
    await this.client.upsertEntity(entity, 'Replace');
  }

  async readWorkItem(instanceId: string, rowKey: string): Promise<WorkItem | undefined> {
    const row = await this.readRow(instanceId, rowKey);
    return row && toWorkItem(row);
  }

  /**
   * Everything that asks for work, keys only, in one query: visible messages, activity work items and
   * outbox rows. What the process did not write itself (a run before a restart) is found this way.
   */
  async pendingRows(now: Date): Promise<PendingRow[]> {
    const found: PendingRow[] = [];
    const rows = this.client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`Kind eq 'work' or Kind eq 'outbox' or (Kind eq 'msg' and VisibleAt le ${now})`,
        select: ['PartitionKey', 'RowKey', 'Kind', 'OrderKey', 'Timestamp'],
      },
    });
    for await (const row of rows) {
      const kind = row.Kind;
      if ((kind === 'msg' || kind === 'work' || kind === 'outbox') && row.partitionKey && row.rowKey) {
        found.push({
          instanceId: decodeKey(row.partitionKey),
          rowKey: row.rowKey,
          kind,
          orderKey: str(row, 'OrderKey'),
          writtenAt: row.timestamp ? new Date(row.timestamp) : undefined,
        });
      }
    }
    return found;
  }

  /** Messages not visible yet (durable timers), with the time each becomes visible. */
  async futureMessages(now: Date): Promise<{ instanceId: string; visibleAt: Date }[]> {
    const found: { instanceId: string; visibleAt: Date }[] = [];
    const rows = this.client.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: odata`Kind eq 'msg' and VisibleAt gt ${now}`,
        select: ['PartitionKey', 'VisibleAt'],
      },
    });
    for await (const row of rows) {
      found.push({ instanceId: decodeKey(row.partitionKey ?? ''), visibleAt: date(row, 'VisibleAt') });
    }
    return found;
  }

  async readOutbox(instanceId: string, rowKey: string): Promise<OutboxRow | undefined> {
    const row = await this.readRow(instanceId, rowKey);
    return row && toOutbox(row);
  }

  async listStates(query: InstanceQuery): Promise<{ states: InstanceState[]; continuationToken?: string }> {
    const clauses = [odata`Kind eq 'state'`];
    if (query.createdTimeFrom) {
      clauses.push(odata`CreatedTime ge ${query.createdTimeFrom}`);
    }
    if (query.createdTimeTo) {
      clauses.push(odata`CreatedTime le ${query.createdTimeTo}`);
    }
    if (query.instanceIdPrefix) {
      const prefix = encodeKey(query.instanceIdPrefix);
      clauses.push(odata`PartitionKey ge ${prefix} and PartitionKey lt ${prefix + '\uffff'}`);
    }
    if (query.runtimeStatus && query.runtimeStatus.length > 0) {
      clauses.push(`(${query.runtimeStatus.map((s) => odata`RuntimeStatus eq ${s}`).join(' or ')})`);
    }
    const pages = this.client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter: clauses.join(' and ') } })
      .byPage({ maxPageSize: query.pageSize ?? 100, continuationToken: query.continuationToken });
    const page = await pages.next();
    if (page.done) {
      return { states: [] };
    }
    const rows = page.value;
    return { states: rows.map(toState), continuationToken: rows.continuationToken };
  }

  async deletePartition(instanceId: string): Promise<number> {
    const keys: string[] = [];
    const rows = this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${encodeKey(instanceId)}`, select: ['RowKey'] },
    });
    for await (const row of rows) {
      if (row.rowKey) {
        keys.push(row.rowKey);
      }
    }
    await this.commitInBatches(keys.map((key) => deleteAction(instanceId, key)));
    return keys.length;
  }
}
