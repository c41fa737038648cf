// Replicas watched across sweeps, in Azure Table Storage: one partition per registry (so one scan reads
// one partition), one row per replica in a non-terminal state with the state and when it was first seen
// in it. Writes are batch transactions within the partition; replaying a scan with the same time writes
// the same rows, so an activity that runs twice changes nothing more.
import { RestError, TableClient, odata } from '@azure/data-tables';
import type { TransactionAction } from '@azure/data-tables';

import { registryKey, subscriptionKeyRange, tableKey } from '../domain';
import type { RegistryId } from '../domain';
import { planWatch } from '../domain/watch';
import type { ObservedReplica, WatchRow } from '../domain/watch';

/** Table Storage takes at most 100 actions in one transaction. */
const MAX_BATCH = 100;
/** A concurrent writer may remove a row between our read and our write: read again and retry. */
const MAX_ATTEMPTS = 3;

type StoredRow = {
  partitionKey: string;
  rowKey: string;
  replicaId: string;
  state: string;
  firstSeenAt: string;
};

export class WatchStore {
  private ensured: Promise<void> | undefined;

  constructor(private readonly table: TableClient) {}

  static fromConnectionString(connectionString: string, tableName: string): WatchStore {
    return new WatchStore(
      TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true }),
    );
  }

  /**
   * Records what one list of a registry's replicas showed and returns, per watched replica name, when it
   * was first seen in its current non-terminal state. Replicas not in `replicas` (or terminal) stop being
   * watched.
   */
  async observe(
    registry: RegistryId,
    replicas: readonly ObservedReplica[],
    now: string,
    /** The registry's rows as just read (`watched`), when the caller read them beside the list. */
    readBeside?: readonly WatchRow[],
  ): Promise<Record<string, string>> {
    await this.ensureTable();
    const partitionKey = watchPartition(registry);
    for (let attempt = 1; ; attempt += 1) {
      const existing = attempt === 1 && readBeside !== undefined ? readBeside : await this.read(partitionKey);
      const plan = planWatch(existing, replicas, now);
      const actions: TransactionAction[] = [
        ...plan.upserts.map((row): TransactionAction => ['upsert', toStored(partitionKey, row), 'Replace']),
        ...plan.removals.map((name): TransactionAction => [
          'delete',
          { partitionKey, rowKey: watchRowKey(name) },
        ]),
      ];
      try {
        for (let i = 0; i < actions.length; i += MAX_BATCH) {
          await this.table.submitTransaction(actions.slice(i, i + MAX_BATCH));
        }
        return plan.firstSeenAt;
      } catch (error) {
        if (!isNotFound(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The watched rows of one registry. */
  async watched(registry: RegistryId): Promise<WatchRow[]> {
    await this.ensureTable();
    return this.read(watchPartition(registry));
  }

  /**
   * The watched rows of every registry of a subscription, in one query, as a lookup by registry (none:
   * no rows); undefined when the subscription has more than `maxRows` of them, so that a fleet with many
   * replicas in flight is read registry by registry instead of in ever larger answers.
   */
  async watchedIn(
    subscriptionId: string,
    maxRows: number,
  ): Promise<((registry: RegistryId) => WatchRow[]) | undefined> {
    await this.ensureTable();
    const { from, to } = subscriptionKeyRange(subscriptionId);
    const byPartition = new Map<string, WatchRow[]>();
    let count = 0;
    const entities = this.table.listEntities<StoredRow>({
      queryOptions: { filter: odata`PartitionKey ge ${from} and PartitionKey lt ${to}` },
    });
    for await (const entity of entities) {
      count += 1;
      if (count > maxRows) return undefined;
      const rows = byPartition.get(entity.partitionKey) ?? [];
      rows.push(fromStored(entity));
      byPartition.set(entity.partitionKey, rows);
    }
    return (registry) => byPartition.get(watchPartition(registry)) ?? [];
  }

  private async read(partitionKey: string): Promise<WatchRow[]> {
    const rows: WatchRow[] = [];
    const entities = this.table.listEntities<StoredRow>({
      queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` },
    });
    for await (const entity of entities) rows.push(fromStored(entity));
    return rows;
  }

  private async ensureTable(): Promise<void> {
    this.ensured ??= this.table.createTable().catch((error: unknown) => {
      this.ensured = undefined;
      throw error;
    });
    await this.ensured;
  }
}

/** Keys fit Table Storage for every registry id ARM accepts (see domain/tableKey). */
export function watchPartition(registry: RegistryId): string {
  return tableKey(registryKey(registry));
}

export function watchRowKey(replicaName: string): string {
  return tableKey(replicaName);
}

function fromStored(entity: StoredRow): WatchRow {
  return {
    name: entity.rowKey,
    replicaId: entity.replicaId,
    state: entity.state,
    firstSeenAt: entity.firstSeenAt,
  };
}

function toStored(partitionKey: string, row: WatchRow): StoredRow {
  return {
    partitionKey,
    rowKey: watchRowKey(row.name),
    replicaId: row.replicaId,
    state: row.state,
    firstSeenAt: row.firstSeenAt,
  };
}

/** A batch fails whole when one of its deletes finds the row already gone. */
function isNotFound(error: unknown): boolean {
  return error instanceof RestError && error.statusCode === 404;
}
