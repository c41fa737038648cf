// Anchors of the audit chain in Blob Storage: one append blob per partition and day, in a container whose
// immutability policy (set by the infrastructure) lets blocks be appended but never changed or deleted, so
// someone who can write the audit table cannot rewind what the anchors recorded.
import { RestError } from '@azure/core-rest-pipeline';
import { ContainerClient } from '@azure/storage-blob';

import { auditAnchorBlobName, auditAnchorPrefix, formatAnchorLine, parseAnchorLines } from '../domain';
import type { ChainAnchor } from '../domain';

/** Few, short retries, like the audit table's: a request must learn within seconds that it cannot write. */
const BOUNDED_RETRY = { maxTries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 2000, tryTimeoutInMs: 10000 };

export interface AnchorRead {
  anchors: ChainAnchor[];
  unreadable: number;
}

export class AuditAnchors {
  private ensured: Promise<void> | undefined;
  /** Blobs this process has created or found, so an append does not ask again. */
  private readonly known = new Set<string>();

  constructor(private readonly container: ContainerClient) {}

  static fromConnectionString(connectionString: string, containerName: string): AuditAnchors {
    return new AuditAnchors(
      new ContainerClient(connectionString, containerName, { retryOptions: BOUNDED_RETRY }),
    );
  }

  /** Appends one anchor to its partition's blob of the anchor's day. */
  async append(anchor: ChainAnchor): Promise<void> {
    await this.ensureContainer();
    const name = auditAnchorBlobName(anchor.partition, anchor.time);
    const blob = this.container.getAppendBlobClient(name);
    if (!this.known.has(name)) {
      // If-None-Match: * — never truncates a blob another writer made a moment ago.
      await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
      this.known.add(name);
    }
    const line = Buffer.from(formatAnchorLine(anchor), 'utf8');
    await blob.appendBlock(line, line.length);
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

  private async ensureContainer(): Promise<void> {
    this.ensured ??= this.container
      .createIfNotExists()
      .then(() => undefined)
      .catch((error: unknown) => {
        this.ensured = undefined;
        throw error;
      });
    return this.ensured;
  }
}

/** The anchors' container for an audit table: its name in lower case (containers take no capitals). */
export function anchorContainerName(auditTableName: string): string {
  return `${auditTableName.toLowerCase().slice(0, 55)}-anchors`;
}

function isNotFound(error: unknown): boolean {
  return error instanceof RestError && error.statusCode === 404;
}
