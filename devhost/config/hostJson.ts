// The parts of host.json the devhost honours, after the app settings that override host.json values
// (`AzureFunctionsJobHost__<path>`, `__` separating the levels, as the Functions host reads them:
// https://learn.microsoft.com/azure/azure-functions/functions-host-json#override-hostjson-values).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveSettingReferences } from './appSettings';

export interface HostConfig {
  /** extensions.http.routePrefix; `api` unless set (an empty string means no prefix). */
  routePrefix: string;
  /** extensions.durableTask.hubName with `%SETTING%` resolved; the host's default is `TestHubName`. */
  hubName: string;
  maxConcurrentActivityFunctions: number | undefined;
  maxConcurrentOrchestratorFunctions: number | undefined;
  /** extensions.durableTask.localRpcEndpointEnabled; unset means on (the default for Node apps). */
  localRpcEndpointEnabled: boolean | undefined;
  /** extensions.durableTask.storageProvider.maxQueuePollingInterval in milliseconds, when set. */
  maxQueuePollingIntervalMs: number | undefined;
  /**
   * The app setting holding the task hub's storage connection: extensions.durableTask.storageProvider
   * `connectionName` (AzureStorageOptions.ConnectionName, Durable 2.7 and later) or the older
   * `connectionStringName`; `AzureWebJobsStorage` when neither is set.
   */
  storageConnectionName: string;
}

interface HostJsonFile {
  extensions?: {
    http?: { routePrefix?: string };
    durableTask?: {
      hubName?: string;
      // Numbers and booleans arrive as strings when an app setting overrides them.
      maxConcurrentActivityFunctions?: number | string;
      maxConcurrentOrchestratorFunctions?: number | string;
      localRpcEndpointEnabled?: boolean | string;
      storageProvider?: {
        maxQueuePollingInterval?: string;
        connectionName?: string;
        connectionStringName?: string;
      };
    };
  };
}

/** A .NET TimeSpan as host.json writes one, `d` or `[d.]hh:mm[:ss[.fffffff]]`, in milliseconds. */
export function parseTimeSpan(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 24 * 3600 * 1000;
  }
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(trimmed);
  if (!match) {
    return undefined;
  }
  const [, d = '0', h = '0', m = '0', s = '0', fraction = ''] = match;
  const seconds = ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s);
  return seconds * 1000 + Math.round(Number(`0.${fraction || '0'}`) * 1000);
}

/**
 * The Azure Storage provider's `maxQueuePollingInterval`: it must be a TimeSpan above zero
 * (AzureStorageOptions.Validate), or the host does not start.
 */
function maxQueuePollingInterval(value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const ms = parseTimeSpan(value);
  if (ms === undefined || ms <= 0) {
    throw new Error(
      `host.json extensions.durableTask.storageProvider.maxQueuePollingInterval must be a positive TimeSpan such as "00:00:30", not "${value}"`,
    );
  }
  return ms;
}

export function readHostConfig(appRoot: string, env: NodeJS.ProcessEnv): HostConfig {
  const file = path.join(appRoot, 'host.json');
  const parsed = withOverrides(
    fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as HostJsonFile) : {},
    env,
  );
  const http = parsed.extensions?.http;
  const durable = parsed.extensions?.durableTask;
  const prefix = http?.routePrefix ?? 'api';
  const provider = durable?.storageProvider;
  return {
    routePrefix: prefix.replace(/^\/+|\/+$/g, ''),
    hubName: resolveSettingReferences(durable?.hubName ?? 'TestHubName', env),
    maxConcurrentActivityFunctions: count(
      'maxConcurrentActivityFunctions',
      durable?.maxConcurrentActivityFunctions,
    ),
    maxConcurrentOrchestratorFunctions: count(
      'maxConcurrentOrchestratorFunctions',
      durable?.maxConcurrentOrchestratorFunctions,
    ),
    localRpcEndpointEnabled: flag('localRpcEndpointEnabled', durable?.localRpcEndpointEnabled),
    maxQueuePollingIntervalMs: maxQueuePollingInterval(provider?.maxQueuePollingInterval),
    storageConnectionName:
      provider?.connectionName ?? provider?.connectionStringName ?? 'AzureWebJobsStorage',
  };
}

const OVERRIDE_PREFIX = 'azurefunctionsjobhost__';

/**
 * host.json with the app settings that override it applied: `AzureFunctionsJobHost__a__b` sets `a.b`.
 * Keys match case-insensitively, as in the host's configuration; a level that is not there is added.
 */
export function withOverrides<T extends object>(json: T, env: NodeJS.ProcessEnv): T {
  const result = structuredClone(json) as Record<string, unknown>;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.toLowerCase().startsWith(OVERRIDE_PREFIX)) continue;
    const levels = name.slice(OVERRIDE_PREFIX.length).split('__');
    if (levels.some((level) => level === '')) continue;
    let node = result;
    levels.forEach((level, i) => {
      const key = Object.keys(node).find((k) => k.toLowerCase() === level.toLowerCase()) ?? level;
      if (i === levels.length - 1) {
        node[key] = value;
        return;
      }
      const child = node[key];
      if (typeof child !== 'object' || child === null || Array.isArray(child)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    });
  }
  return result as T;
}

/** A whole number above zero, as the host's options binder reads one (an override is a string). */
function count(name: string, value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(
      `host.json extensions.durableTask.${name} must be a whole number above zero, not "${String(value)}"`,
    );
  }
  return n;
}

function flag(name: string, value: boolean | string | undefined): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  if (/^true$/i.test(value.trim())) return true;
  if (/^false$/i.test(value.trim())) return false;
  throw new Error(`host.json extensions.durableTask.${name} must be true or false, not "${value}"`);
}
