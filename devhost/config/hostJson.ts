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
}

interface HostJsonFile {
  extensions?: {
    http?: { routePrefix?: string };
    durableTask?: {
      hubName?: string;
      maxConcurrentActivityFunctions?: number;
      maxConcurrentOrchestratorFunctions?: number;
      localRpcEndpointEnabled?: boolean;
    };
  };
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
  };
}
