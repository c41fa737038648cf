// Counts what the devhost asks of Azurite's Table service for its task hub: a plain HTTP proxy in front of
// it, on the task hub's own connection (the app's tables bypass it), that tells point reads from queries,
// transactions and writes. Measured from outside, so the devhost needs no counter of its own.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestKind = 'point read' | 'query' | 'transaction' | 'write' | 'table';

export interface StorageCounts {
  /** Requests about the task hub's table (`<hub>Orchestrations`), by kind. */
  taskHub: Partial<Record<RequestKind, number>>;
  /** Requests on the same connection about any other table (none expected). */
  other: number;
}

export interface StorageCounter {
  /** The Table endpoint to give the devhost in place of Azurite's. */
  tableEndpoint: string;
  counts(): StorageCounts;
  reset(): void;
  close(): Promise<void>;
}

/** A transaction's first sub-request (or a table's creation) names the table; this much of the body shows it. */
const BODY_PEEK = 4096;

function kindOf(method: string, pathname: string): RequestKind {
  if (pathname.endsWith('/$batch')) return 'transaction';
  if (/\/Tables(\(|$)/.test(pathname)) return 'table';
  if (method === 'GET') return /\(PartitionKey=/.test(pathname) ? 'point read' : 'query';
  return 'write';
}

/** Starts the proxy on a free loopback port, forwarding to `target` (Azurite's Table service URL). */
export async function startStorageCounter(target: string, taskHubTable: string): Promise<StorageCounter> {
  const upstream = new URL(target);
  const table = taskHubTable.toLowerCase();
  let counts: StorageCounts = { taskHub: {}, other: 0 };
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://proxy').pathname;
    const kind = kindOf(request.method ?? 'GET', pathname);
    let peek = '';
    const record = (): void => {
      const about = kind === 'transaction' || kind === 'table' ? peek : pathname;
      if (about.toLowerCase().includes(table)) {
        counts.taskHub[kind] = (counts.taskHub[kind] ?? 0) + 1;
      } else {
        counts.other += 1;
      }
    };
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
        agent,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.on('data', (chunk: Buffer) => {
      if (peek.length < BODY_PEEK) peek += chunk.toString('latin1', 0, BODY_PEEK - peek.length);
    });
    request.on('end', record);
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    tableEndpoint: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`,
    counts: () => ({ taskHub: { ...counts.taskHub }, other: counts.other }),
    reset: () => {
      counts = { taskHub: {}, other: 0 };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** Requests in all, over every kind. */
export const totalOf = (counts: Partial<Record<RequestKind, number>>): number =>
  Object.values(counts).reduce((sum, n) => sum + n, 0);
