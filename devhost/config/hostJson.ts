// The parts of host.json the devhost honours.

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
}

interface HostJsonFile {
  extensions?: {
    http?: { routePrefix?: string };
    durableTask?: {
      hubName?: string;
      maxConcurrentActivityFunctions?: number;
      maxConcurrentOrchestratorFunctions?: number;
      localRpcEndpointEnabled?: boolean;
      storageProvider?: { maxQueuePollingInterval?: string };
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
  const parsed: HostJsonFile = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as HostJsonFile)
    : {};
  const http = parsed.extensions?.http;
  const durable = parsed.extensions?.durableTask;
  const prefix = http?.routePrefix ?? 'api';
  return {
    routePrefix: prefix.replace(/^\/+|\/+$/g, ''),
    hubName: resolveSettingReferences(durable?.hubName ?? 'TestHubName', env),
    maxConcurrentActivityFunctions: durable?.maxConcurrentActivityFunctions,
    maxConcurrentOrchestratorFunctions: durable?.maxConcurrentOrchestratorFunctions,
    localRpcEndpointEnabled: durable?.localRpcEndpointEnabled,
    maxQueuePollingIntervalMs: maxQueuePollingInterval(durable?.storageProvider?.maxQueuePollingInterval),
  };
}
