// Azurite, the Storage emulator, as child processes on loopback: its Table service (the audit trail and the
// app's tables) and its Blob service (the append blobs that anchor the audit chain), over plain http with
// its well-known development key, or over HTTPS accepting OAuth tokens.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

import { freePort } from './freePort';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** The Table service's port; 0 picks a free port. */
  port?: number;
  /** The Blob service's port; 0 picks a free port. */
  blobPort?: number;
  /** Folder for persisted data; in-memory when absent. */
  location?: string;
  /**
   * Serve HTTPS with this certificate and key (PEM files) and accept OAuth bearer tokens (`--oauth basic`:
   * issuer, audience and lifetime are checked, the signature is not), as identity-based connections need.
   */
  tls?: { certPath: string; keyPath: string };
}

export interface RunningAzurite {
  port: number;
  blobPort: number;
  /** The services' processes (table, blob), for tools that measure them. */
  pids: number[];
  connectionString: string;
  /** The table service's account URL, e.g. https://127.0.0.1:10002/devstoreaccount1. */
  tableServiceUri: string;
  /** The blob service's account URL. */
  blobServiceUri: string;
  stop(): Promise<void>;
}

export function azuriteConnectionString(port: number, blobPort: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${DEV_ACCOUNT};` +
    `TableEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`
  );
}

/** Starts Azurite's Table and Blob services and waits until both accept requests. */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const port = options.port === undefined || options.port === 0 ? await freePort() : options.port;
  const blobPort =
    options.blobPort === undefined || options.blobPort === 0 ? await freePort() : options.blobPort;
  const scheme = options.tls === undefined ? 'http' : 'https';
  const children = await Promise.all([
    startService('table', port, options),
    startService('blob', blobPort, options),
  ]);
  return {
    port,
    blobPort,
    pids: children.map((child) => child.pid ?? 0),
    connectionString: azuriteConnectionString(port, blobPort),
    tableServiceUri: `${scheme}://127.0.0.1:${port}/${DEV_ACCOUNT}`,
    blobServiceUri: `${scheme}://127.0.0.1:${blobPort}/${DEV_ACCOUNT}`,
    stop: async () => {
      await Promise.all(children.map((child) => stopChild(child)));
    },
  };
}

async function startService(
  service: 'table' | 'blob',
  port: number,
  options: AzuriteOptions,
): Promise<ChildProcess> {
  const main = path.join(
    path.dirname(require.resolve('azurite/package.json')),
    `dist/src/${service}/main.js`,
  );
  const args = [
    main,
    `--${service}Host`,
    '127.0.0.1',
    `--${service}Port`,
    String(port),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--silent',
  ];
  if (options.location === undefined) args.push('--inMemoryPersistence');
  else args.push('--location', options.location);
  if (options.tls !== undefined) {
    args.push('--cert', options.tls.certPath, '--key', options.tls.keyPath, '--oauth', 'basic');
  }

  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForOutput(child, /successfully (started|listening|listens)/i, `Azurite ${service}`);
  return child;
}

async function waitForOutput(child: ChildProcess, ready: RegExp, name: string): Promise<void> {
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (ready.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${name} exited with code ${String(code)} before it was ready:\n${output}`)),
    );
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
