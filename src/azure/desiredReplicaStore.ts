// Registries' desired replica sets in Azure Table Storage, one partition per registry: the current
// declaration (its version, who changed it and when), every version before it, and the drift a sweep last
// reported. A change writes the new current row and its version row in one transaction, conditional on
// the current row being as it was read, so two editors can never overwrite each other silently.
import { RestError, TableClient, odata } from '@azure/data-tables';
import type { TransactionAction } from '@azure/data-tables';

import { registryKey, subscriptionKeyRange } from '../domain';
import { toKeySafe } from '../domain/audit';
import type { AuditActor, DeclarationDiff, DesiredReplicaSet, RegistryId } from '../domain';

const CURRENT_ROW = 'current';
const DRIFT_ROW = 'drift';
const VERSION_PREFIX = 'version|';
/** Version rows sort newest first: their key counts down from here. */
const MAX_VERSION = 9_999_999_999;
/** A request must learn within seconds that the table is down, as with the audit trail. */
const BOUNDED_RETRY = { maxRetries: 2, retryDelayInMs: 500, maxRetryDelayInMs: 2000 };

export type DeclarationChange = 'put' | 'import' | 'delete';

/** One version of a registry's declaration; a delete is a version without a declaration. */
export interface DeclarationVersion {
  version: number;
  /** Absent for a delete. */
  declaration?: DesiredReplicaSet;
  /** The registry's home region when the version was written (it never changes). */
  homeRegion: string;
  changedBy: AuditActor;
  changedAt: string;
  change: DeclarationChange;
  /** What changed from the version before. */
  diff: DeclarationDiff;
}

/** The current row as read: the live declaration, if any, and what a conditional write needs. */
export interface DeclarationState {
  /** The latest version, a delete included; 0 when the registry never had a declaration. */
  version: number;
  /** The latest version when it is a declaration (not a delete). */
  current?: DeclarationVersion & { declaration: DesiredReplicaSet };
  /** The table's own ETag of the current row, for the conditional write; absent when there is none. */
  rowEtag?: string;
}

/** What a sweep last reported about a registry's drift. */
export interface ReportedDrift {
  /** A digest of the drift, so a sweep reports a drift once, not every time it sees it. */
  digest: string;
  reportedAt: string;
}

/** What a sweep needs of a registry's declaration: the current one, and the drift last reported. */
export interface SweepDeclaration {
  current?: DeclarationState['current'];
  reported?: ReportedDrift;
}

/** Someone else changed the declaration between our read and our write. */
export class DeclarationConflictError extends Error {
  constructor() {
    super('the declaration was changed by someone else in the meantime');
    this.name = 'DeclarationConflictError';
  }
}

/** The table cannot be reached; nothing was changed. */
export class DeclarationStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      `the desired replica sets cannot be read or written: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'DeclarationStoreUnavailableError';
  }
}

type StoredVersion = {
  partitionKey: string;
  rowKey: string;
  version: number;
  /** Canonical JSON of the declaration; '' for a delete. */
  declaration: string;
  homeRegion: string;
  changedById: string;
  changedByName?: string;
  changedAt: string;
  change: string;
  diff: string;
};

type StoredDrift = { partitionKey: string; rowKey: string; digest: string; reportedAt: string };

export class DesiredReplicaStore {
  private ensured: Promise<void> | undefined;

  constructor(private readonly table: TableClient) {}

  static fromConnectionString(connectionString: string, tableName: string): DesiredReplicaStore {
    return new DesiredReplicaStore(
      TableClient.fromConnectionString(connectionString, tableName, {
        allowInsecureConnection: true,
        retryOptions: BOUNDED_RETRY,
      }),
    );
  }

  /** The registry's current declaration and its version (one point read). */
  async read(registry: RegistryId): Promise<DeclarationState> {
    return this.guard(async () => {
      const row = await this.readRow<StoredVersion>(declarationPartition(registry), CURRENT_ROW);
      return row === undefined ? { version: 0 } : toState(row);
    });
  }

  /**
   * The declaration and the drift last reported, in one query of the partition: what a sweep reads per
   * registry (no ARM request).
   */
  async readForSweep(registry: RegistryId): Promise<SweepDeclaration> {
    return this.guard(async () => {
      const partitionKey = declarationPartition(registry);
      const rows = this.table.listEntities<StoredVersion | StoredDrift>({
        queryOptions: {
          filter: odata`PartitionKey eq ${partitionKey} and (RowKey eq ${CURRENT_ROW} or RowKey eq ${DRIFT_ROW})`,
        },
      });
      let found: SweepDeclaration = {};
      for await (const row of rows) found = { ...found, ...sweepFieldsOf(row) };
      return found;
    });
  }

  /**
   * What readForSweep reads, for every registry of a subscription in one query, as a lookup by registry
   * (nothing: no declaration); undefined when the subscription has more than `maxRows` such rows, so that
   * a fleet that declares most of its registries is read registry by registry instead.
   */
  async readSubscriptionForSweep(
    subscriptionId: string,
    maxRows: number,
  ): Promise<((registry: RegistryId) => SweepDeclaration) | undefined> {
    return this.guard(async () => {
      const { from, to } = subscriptionKeyRange(subscriptionId);
      const rows = this.table.listEntities<StoredVersion | StoredDrift>({
        queryOptions: {
          filter: odata`PartitionKey ge ${from} and PartitionKey lt ${to} and (RowKey eq ${CURRENT_ROW} or RowKey eq ${DRIFT_ROW})`,
        },
      });
      const byPartition = new Map<string, SweepDeclaration>();
      let count = 0;
      for await (const row of rows) {
        count += 1;
        if (count > maxRows) return undefined;
        byPartition.set(row.partitionKey, { ...byPartition.get(row.partitionKey), ...sweepFieldsOf(row) });
      }
      return (registry: RegistryId) => byPartition.get(declarationPartition(registry)) ?? {};
    });
  }

  /**
   * Writes `next` as the current version and keeps it in the history, in one transaction that holds only
   * while the current row is as `read` found it (no row: none may have appeared). Throws
   * DeclarationConflictError otherwise.
   */
  async write(
    registry: RegistryId,
    read: Pick<DeclarationState, 'rowEtag'>,
    next: DeclarationVersion,
  ): Promise<void> {
    await this.guard(async () => {
      const partitionKey = declarationPartition(registry);
      const current = toStored(partitionKey, CURRENT_ROW, next);
      const actions: TransactionAction[] = [
        read.rowEtag === undefined
          ? ['create', current]
          : ['update', current, 'Replace', { etag: read.rowEtag }],
        ['create', toStored(partitionKey, versionRowKey(next.version), next)],
      ];
      try {
        await this.table.submitTransaction(actions);
      } catch (error) {
        if (error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412)) {
          throw new DeclarationConflictError();
        }
        throw error;
      }
    });
  }

  /** Versions newest first, at most `limit`. */
  async history(registry: RegistryId, limit: number): Promise<DeclarationVersion[]> {
    return this.guard(async () => {
      const partitionKey = declarationPartition(registry);
      const rows = this.table.listEntities<StoredVersion>({
        queryOptions: {
          filter: odata`PartitionKey eq ${partitionKey} and RowKey ge ${VERSION_PREFIX} and RowKey lt ${`${VERSION_PREFIX}~`}`,
        },
      });
      const versions: DeclarationVersion[] = [];
      for await (const row of rows) {
        versions.push(toVersion(row));
        if (versions.length >= limit) break;
      }
      return versions;
    });
  }

  /** Records the drift a sweep reported (or, with an empty digest, that the registry is back in sync). */
  async recordReportedDrift(registry: RegistryId, reported: ReportedDrift): Promise<void> {
    await this.guard(async () => {
      const entity: StoredDrift = {
        partitionKey: declarationPartition(registry),
        rowKey: DRIFT_ROW,
        ...reported,
      };
      await this.table.upsertEntity(entity, 'Replace');
    });
  }

  private async readRow<T extends object>(partitionKey: string, rowKey: string): Promise<T | undefined> {
    try {
      return await this.table.getEntity<T>(partitionKey, rowKey);
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      await this.ensureTable();
      return await work();
    } catch (error) {
      if (error instanceof DeclarationConflictError) throw error;
      if (error instanceof RestError && error.statusCode !== undefined && error.statusCode < 500) throw error;
      throw new DeclarationStoreUnavailableError(error);
    }
  }

  private async ensureTable(): Promise<void> {
    this.ensured ??= this.table.createTable().catch((error: unknown) => {
      this.ensured = undefined;
      throw error;
    });
    await this.ensured;
  }
}

/** A current or drift row's part of what a sweep reads; nothing for any other row. */
function sweepFieldsOf(row: StoredVersion | StoredDrift): SweepDeclaration {
  if (row.rowKey === CURRENT_ROW) {
    const { current } = toState(row as StoredVersion);
    return current === undefined ? {} : { current };
  }
  if (row.rowKey === DRIFT_ROW) {
    const drift = row as StoredDrift;
    return { reported: { digest: drift.digest, reportedAt: drift.reportedAt } };
  }
  return {};
}

export function declarationPartition(registry: RegistryId): string {
  return toKeySafe(registryKey(registry));
}

function versionRowKey(version: number): string {
  return `${VERSION_PREFIX}${String(MAX_VERSION - version).padStart(10, '0')}`;
}

function toStored(partitionKey: string, rowKey: string, version: DeclarationVersion): StoredVersion {
  return {
    partitionKey,
    rowKey,
    version: version.version,
    declaration: version.declaration === undefined ? '' : JSON.stringify(version.declaration),
    homeRegion: version.homeRegion,
    changedById: version.changedBy.id,
    ...(version.changedBy.name === undefined ? {} : { changedByName: version.changedBy.name }),
    changedAt: version.changedAt,
    change: version.change,
    diff: JSON.stringify(version.diff),
  };
}

function toVersion(row: StoredVersion): DeclarationVersion {
  return {
    version: row.version,
    ...(row.declaration === '' ? {} : { declaration: JSON.parse(row.declaration) as DesiredReplicaSet }),
    homeRegion: row.homeRegion,
    changedBy:
      row.changedByName === undefined
        ? { id: row.changedById }
        : { id: row.changedById, name: row.changedByName },
    changedAt: row.changedAt,
    change: row.change as DeclarationChange,
    diff: JSON.parse(row.diff) as DeclarationDiff,
  };
}

function toState(row: StoredVersion & { etag?: string }): DeclarationState {
  const version = toVersion(row);
  return {
    version: version.version,
    ...(row.etag === undefined ? {} : { rowEtag: row.etag }),
    ...(version.declaration === undefined
      ? {}
      : { current: { ...version, declaration: version.declaration } }),
  };
}
