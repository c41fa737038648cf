// CLI: `node dist/main.js [appRoot]` runs a Functions app locally (default: the current directory).
// DEVHOST_PORT sets the port (default 7071). Prints the URL and the functions, then a machine-readable
// `DEVHOST_READY {...}` line; stops cleanly on SIGINT/SIGTERM.

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { readLocalSettings } from './config/appSettings';
import { runDevHost } from './host';
import { keyValues, readKeySettings } from './http/authKeys';
import { redactSecrets } from './logRedaction';
import { READY_MARKER } from './startDevHost';

/**
 * Node reads NODE_EXTRA_CA_CERTS only at startup; when the app's settings carry it (to trust a local
 * HTTPS stand-in), start a fresh process with it in the environment, as the worker process would get it.
 */
function relaunchForCaCertificates(appRoot: string): boolean {
  const wanted = readLocalSettings(appRoot).NODE_EXTRA_CA_CERTS;
  if (!wanted || process.env.NODE_EXTRA_CA_CERTS !== undefined || process.env.DEVHOST_RELAUNCHED) {
    return false;
  }
  const child = spawn(process.execPath, process.argv.slice(1), {
    cwd: appRoot,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: path.resolve(appRoot, wanted), DEVHOST_RELAUNCHED: '1' },
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return true;
}

async function main(): Promise<void> {
  const appRoot = path.resolve(process.argv[2] ?? process.cwd());
  if (relaunchForCaCertificates(appRoot)) {
    return;
  }
  process.chdir(appRoot);
  const port = Number(process.env.DEVHOST_PORT ?? '7071');
  const host = await runDevHost({ appRoot, port, listenAddress: process.env.DEVHOST_LISTEN_ADDRESS });

  const lines = ['', 'Functions:', ''];
  for (const fn of host.functions) {
    lines.push(`\t${fn.name}: ${fn.trigger}${fn.detail ? ` ${fn.detail}` : ''}`);
  }
  lines.push('', `Devhost listening on ${host.url}`, '');
  process.stdout.write(lines.join('\n') + '\n');
  process.stdout.write(
    `${READY_MARKER}${JSON.stringify({ url: host.url, port: host.port, pid: process.pid })}\n`,
  );

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    host
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${redactSecrets(text, keyValues(readKeySettings(process.env)))}\n`);
    process.exit(1);
  });
}
