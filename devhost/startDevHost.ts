// Starts the devhost as a child process (what tests and tools use): `node <package>/dist/main.js appRoot`
// with the given environment, resolving once it reports the URL it listens on.
//
// A separate process is the faithful shape (the Functions host also runs the app in its own worker
// process), lets a test kill the host mid-orchestration, and keeps the app's `require` hook out of
// test runners that replace module loading.

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface StartDevHostOptions {
  appRoot: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Added to this process's environment for the devhost. */
  env?: Record<string, string | undefined>;
  /** Milliseconds to wait for the devhost to come up. */
  startTimeoutMs?: number;
}

export interface DevHostProcess {
  url: string;
  port: number;
  pid: number;
  /** Everything the devhost wrote to stdout and stderr so far. */
  output(): string;
  /** Graceful stop (SIGTERM), as Ctrl+C would. */
  stop(): Promise<void>;
  /** Abrupt stop, as a crash would. */
  kill(): Promise<void>;
}

/** The line prefix the CLI prints once it listens, followed by `{url, port, pid}` as JSON. */
export const READY_MARKER = 'DEVHOST_READY ';

/** The package's dist/main.js, whether this module runs compiled or from source. */
export function devHostMainScript(): string {
  const compiled = path.join(__dirname, 'main.js');
  if (fs.existsSync(compiled)) {
    return compiled;
  }
  const fromSource = path.join(__dirname, 'dist', 'main.js');
  if (fs.existsSync(fromSource)) {
    return fromSource;
  }
  throw new Error(`The devhost is not built: ${fromSource} is missing (run "npm run build")`);
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
  });
}

export function startDevHost(options: StartDevHostOptions): Promise<DevHostProcess> {
  const child = spawn(process.execPath, [devHostMainScript(), path.resolve(options.appRoot)], {
    env: { ...process.env, ...options.env, DEVHOST_PORT: String(options.port ?? 0) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The devhost did not start within ${options.startTimeoutMs ?? 20000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 20000);
    const onExit = (code: number | null): void => {
      clearTimeout(timeout);
      reject(new Error(`The devhost exited (code ${String(code)}) before it was ready:\n${output}`));
    };
    child.once('exit', onExit);
    const onData = (): void => {
      const line = output.split('\n').find((l) => l.startsWith(READY_MARKER));
      if (!line) {
        return;
      }
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      clearTimeout(timeout);
      const ready = JSON.parse(line.slice(READY_MARKER.length)) as { url: string; port: number; pid: number };
      resolve({
        ...ready,
        output: () => output,
        async stop() {
          child.kill('SIGTERM');
          const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited(child);
          clearTimeout(forced);
        },
        async kill() {
          child.kill('SIGKILL');
          await exited(child);
        },
      });
    };
    child.stdout?.on('data', onData);
  });
}
