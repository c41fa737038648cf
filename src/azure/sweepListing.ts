// A sweep's listing of the registries it covers, in Table Storage beside the watched replicas: the
// listing activities write what ARM's paged lists return, page by page, and the scan activities read
// the positions they are given. So the sweep orchestration carries positions, never the registries.
// Pages are overwritten by the next sweep under the same operation id of the same app (its task hub);
// nothing grows from run to run, and apps that share the table never read each other's listings.
import { TableClient, odata } from '@azure/data-tables';
import type { TransactionAction } from '@azure/data-tables';

import { LISTING_PAGE_SIZE } from '../domain';
import { tableKey } from '../domain/tableKey';
import type { HealPolicy, ListedRegistry } from '../domain';

type StoredEntry = {
  partitionKey: string;
  rowKey: string;
  registryId: string;
  policy: string;
  thresholdMinutes: number;
};

export class SweepListing {
  private ensured: Promise<void> | undefined;

  constructor(
    private readonly table: TableClient,
    /** Tells this app's listings from those of other apps in the same table: its task hub. */
    private readonly app: string,
  ) {}

  static fromConnectionString(connectionString: string, tableName: string, app: string): SweepListing {
    return new SweepListing(
      TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true }),
      app,
    );
  }

  /** Writes `registries` at positions `start`, `start + 1`, ... of a source's listing (again, if need be). */
  async write(
    listingKey: string,
    source: number,
    start: number,
    registries: readonly ListedRegistry[],
  ): Promise<void> {
    await this.ensureTable();
    const byPage = new Map<string, TransactionAction[]>();
    registries.forEach((registry, i) => {
      const position = start + i;
      const partitionKey = listingPartition(this.app, listingKey, source, position);
      const entity: StoredEntry = {
        partitionKey,
        rowKey: positionKey(position),
        registryId: registry.registryId,
        policy: registry.policy,
        thresholdMinutes: registry.thresholdMinutes,
      };
      const actions = byPage.get(partitionKey) ?? [];
      actions.push(['upsert', entity, 'Replace']);
      byPage.set(partitionKey, actions);
    });
    // One page is one partition of at most LISTING_PAGE_SIZE rows: one transaction each.
    await Promise.all([...byPage.values()].map((actions) => this.table.submitTransaction(actions)));
  }

  /** The registries at positions [from, to) of a source's listing, which lie within one page. */
  async read(listingKey: string, source: number, from: number, to: number): Promise<ListedRegistry[]> {
    await this.ensureTable();
    const partitionKey = listingPartition(this.app, listingKey, source, from);
    const entries = this.table.listEntities<StoredEntry>({
      queryOptions: {
        filter: odata`PartitionKey eq ${partitionKey} and RowKey ge ${positionKey(from)} and RowKey lt ${positionKey(to)}`,
      },
    });
    const found: ListedRegistry[] = [];
    for await (const entry of entries) {
      found.push({
        registryId: entry.registryId,
        policy: entry.policy as HealPolicy,
        thresholdMinutes: entry.thresholdMinutes,
      });
    }
    return found;
  }

  private async ensureTable(): Promise<void> {
    this.ensured ??= this.table.createTable().catch((error: unknown) => {
      this.ensured = undefined;
      throw error;
    });
    await this.ensured;
  }
}

/** Listing pages live beside the watch store's per-registry partitions, which start with "%2f". */
export function listingPartition(app: string, listingKey: string, source: number, position: number): string {
  return tableKey(`sweep~${app}~${listingKey}~${source}~${Math.floor(position / LISTING_PAGE_SIZE)}`);
}

function positionKey(position: number): string {
  return String(position).padStart(10, '0');
}
