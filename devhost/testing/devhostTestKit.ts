// Shared helpers for tests that drive a devhost: the storage connection, unique task hubs, temporary
// folders, HTTP calls and polling.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The Azurite (or Azure) connection string the test launcher provides. */
export function storageConnectionString(): string {
  const value = process.env.AzureWebJobsStorage;
  if (!value) {
    throw new Error(
      'AzureWebJobsStorage is not set: the durable devhost tests need a Table Storage endpoint (start Azurite and set AzureWebJobsStorage to its connection string)',
    );
  }
  return value;
}

/** A task hub name no other test file uses (letters and digits, starting with a letter). */
export function uniqueHub(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T;
}

export async function call(
  url: string,
  init: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    body: init.body,
    // One connection per call: a test process that stalls for seconds (jest compiling the next file)
    // must not send on an idle keep-alive connection the server is timing out ("other side closed").
    headers: { connection: 'close', ...init.headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
  };
}

/**
 * Polls `probe` until it returns a value (not undefined); fails with `what` after `timeoutMs`, which is many
 * times what anything here takes on a busy machine.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const readLines = (file: string): string[] =>
  fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
