import { randomBytes, randomUUID } from 'node:crypto';

import { TableClient } from '@azure/data-tables';
import { ContainerClient } from '@azure/storage-blob';

import { AuditAnchors, anchorContainerName } from '../../src/azure/auditAnchors';
import { AuditStore } from '../../src/azure/auditStore';

/** The Azurite connection string the test launcher provides. */
export function storageConnectionString(): string {
  const value = process.env.AzureWebJobsStorage;
  if (value === undefined || value === '') {
    throw new Error('AzureWebJobsStorage is not set: run the tests with `npm test`, which starts Azurite.');
  }
  return value;
}

/** A table name no other test uses (3–63 alphanumerics, starting with a letter). */
export function uniqueTableName(prefix: string): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

/**
 * A real table client for Azurite's well-known account on a loopback port where nothing listens, with no
 * retries: every request fails at once, as against a storage account that cannot be reached.
 */
export function unreachableTableClient(tableName: string): TableClient {
  return TableClient.fromConnectionString(
    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;',
    tableName,
    { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
  );
}

/** A fresh audit key, as `AUDIT_SIGNING_KEY` would hold it decoded. */
export function testAuditKey(): Buffer {
  return randomBytes(32);
}

export interface TestAuditStore {
  store: AuditStore;
  table: TableClient;
  anchors: ContainerClient;
  /** Removes the table and the anchors' container. */
  remove(): Promise<void>;
}

/** An audit store on Azurite with its own table and anchors' container, signed with `signingKey`. */
export function testAuditStore(prefix: string, signingKey?: Uint8Array): TestAuditStore {
  const tableName = uniqueTableName(prefix);
  const table = TableClient.fromConnectionString(storageConnectionString(), tableName, {
    allowInsecureConnection: true,
  });
  const anchors = new ContainerClient(storageConnectionString(), anchorContainerName(tableName));
  const store = new AuditStore(table, {
    anchors: new AuditAnchors(anchors),
    ...(signingKey === undefined ? {} : { signingKey }),
  });
  return {
    store,
    table,
    anchors,
    remove: async () => {
      await table.deleteTable();
      await anchors.deleteIfExists();
    },
  };
}
