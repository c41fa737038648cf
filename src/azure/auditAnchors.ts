// Anchors of the audit chain in Blob Storage: one append blob per partition and day, in a container whose
// immutability policy (set by the infrastructure) lets blocks be appended but never changed or deleted, so
// someone who can write the audit table cannot rewind what the anchors recorded.
import { isRestError } from '@azure/core-rest-pipeline';
import { ContainerClient } from '@azure/storage-blob';

import { auditAnchorBlobName, auditAnchorPrefix, formatAnchorLine, parseAnchorLines } from '../domain';
import type { ChainAnchor } from '../domain';

/** Few, short retries, like the audit table's: a request must learn within seconds that it cannot write. */
/** Anchors are written on every append: a few quick tries, then the write counts as unavailable. */
export const ANCHOR_RETRY = {
  maxTries: 3,
  retryDelayInMs: 500,
  maxRetryDelayInMs: 2000,
  tryTimeoutInMs: 10000,
};

export interface AnchorRead {
  anchors: ChainAnchor[];
  unreadable: number;
}

export class AuditAnchors {
  private ensured: Promise<void> | undefined;
  /** Blobs this process has created or found, so an append does not ask again. */
  private readonly known = new Set<string>();
  private readonly client: () => ContainerClient;

  /** A client, or how to make one: a connection string without a blob endpoint fails when first used. */
  constructor(container: ContainerClient | (() => ContainerClient)) {
    this.client = typeof container === 'function' ? container : () => container;
  }

  static fromConnectionString(connectionString: string, containerName: string): AuditAnchors {
    let client: ContainerClient | undefined;
    return new AuditAnchors(
      () => (client ??= new ContainerClient(connectionString, containerName, { retryOptions: ANCHOR_RETRY })),
    );
  }

  private get container(): ContainerClient {
    return this.client();
  }

  /** Settles once the container exists; an append checks this before it writes anything to the table. */
  async ready(): Promise<void> {
    this.ensured ??= (async () => {
      await this.container.createIfNotExists();
    })().catch((error: unknown) => {
      this.ensured = undefined;
      throw error;
    });
    return this.ensured;
  }

  /** Appends one anchor to its partition's blob of the anchor's day. */
  async append(anchor: ChainAnchor): Promise<void> {
    await this.ready();
    const name = auditAnchorBlobName(anchor.partition, anchor.time);
    const blob = this.container.getAppendBlobClient(name);
    const line = Buffer.from(formatAnchorLine(anchor), 'utf8');
    const create = async (): Promise<void> => {
      // If-None-Match: * — never truncates a blob another writer made a moment ago.
      await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
      this.known.add(name);
    };
    if (!this.known.has(name)) await create();
    try {
      await blob.appendBlock(line, line.length);
    } catch (error) {
      this.known.delete(name);
      if (!isNotFound(error)) throw error;
      // Made by this process once, and gone since (a container made again, say): make it again.
      await create();
      await blob.appendBlock(line, line.length);
    }
  }

  /** Every anchor of a partition, oldest day first and in append order within a day. */
  async read(partition: string): Promise<AnchorRead & { blobs: string[] }> {
    const names: string[] = [];
    try {
      for await (const item of this.container.listBlobsFlat({ prefix: auditAnchorPrefix(partition) }))
        names.push(item.name);
    } catch (error) {
      if (isNotFound(error)) return { anchors: [], unreadable: 0, blobs: [] };
      throw error;
    }
    names.sort();
    const anchors: ChainAnchor[] = [];
    let unreadable = 0;
    for (const name of names) {
      const text = (await this.container.getBlobClient(name).downloadToBuffer()).toString('utf8');
      const parsed = parseAnchorLines(text);
      anchors.push(...parsed.anchors);
      unreadable += parsed.unreadable;
    }
    return { anchors, unreadable, blobs: names };
  }
}

/** The anchors' container for an audit table: its name in lower case (containers take no capitals). */
export function anchorContainerName(auditTableName: string): string {
  return `${auditTableName.toLowerCase().slice(0, 55)}-anchors`;
}

function isNotFound(error: unknown): boolean {
  return isRestError(error) && error.statusCode === 404;
}
