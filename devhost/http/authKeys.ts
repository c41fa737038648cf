// Function-key authorization. Core Tools does not check keys locally; the devhost does the same unless a
// key is configured (DEVHOST_FUNCTION_KEY and/or DEVHOST_MASTER_KEY), and then enforces them as Azure does:
// `function` level accepts the function key or the master key, `admin` level only the master key. The key
// comes in the `x-functions-key` header or the `code` query parameter. The Durable HTTP API takes the
// extension's system key (or the master key), which the host hands to the app's durable client only.

import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface KeySettings {
  functionKey?: string;
  masterKey?: string;
  /** The Durable extension's system key: the master key when set, else one made up at start. */
  systemKey?: string;
}

export function readKeySettings(env: NodeJS.ProcessEnv): KeySettings {
  const functionKey = env.DEVHOST_FUNCTION_KEY || undefined;
  const masterKey = env.DEVHOST_MASTER_KEY || undefined;
  const enforced = functionKey !== undefined || masterKey !== undefined;
  return {
    functionKey,
    masterKey,
    systemKey: enforced ? (masterKey ?? randomBytes(32).toString('base64url')) : undefined,
  };
}

/** Every key value the devhost knows, for redacting them from what it logs. */
export const keyValues = (keys: KeySettings): string[] =>
  [keys.functionKey, keys.masterKey, keys.systemKey].filter((k): k is string => k !== undefined);

export const keysEnforced = (keys: KeySettings): boolean =>
  keys.functionKey !== undefined || keys.masterKey !== undefined;

function sameKey(presented: string | undefined, expected: string | undefined): boolean {
  if (presented === undefined || expected === undefined) {
    return false;
  }
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function presentedKey(
  headers: Record<string, string | string[] | undefined>,
  query: URLSearchParams,
): string | undefined {
  const header = headers['x-functions-key'];
  const value = Array.isArray(header) ? header[0] : header;
  return value ?? query.get('code') ?? undefined;
}

export type AuthLevel = 'anonymous' | 'function' | 'admin';

export function normalizeAuthLevel(value: unknown): AuthLevel {
  const level = typeof value === 'string' ? value.toLowerCase() : 'anonymous';
  if (level === 'function' || level === 'user') {
    return 'function';
  }
  return level === 'admin' || level === 'system' ? 'admin' : 'anonymous';
}

/** The Durable HTTP API (webhook and local RPC paths): the system key or the master key. */
export function isSystemAuthorized(key: string | undefined, keys: KeySettings): boolean {
  return !keysEnforced(keys) || sameKey(key, keys.masterKey) || sameKey(key, keys.systemKey);
}

export function isAuthorized(level: AuthLevel, key: string | undefined, keys: KeySettings): boolean {
  if (level === 'anonymous' || !keysEnforced(keys)) {
    return true;
  }
  if (sameKey(key, keys.masterKey)) {
    return true;
  }
  return level === 'function' && sameKey(key, keys.functionKey);
}
