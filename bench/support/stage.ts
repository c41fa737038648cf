// The stage a benchmark runs the real app on: an Azurite of its own, an ARM sandbox in this process
// seeded with a fleet, and the devhost running the app against both. Also the sandbox's admin API (over
// HTTPS, trusting the sandbox's CA) and the peak memory of the stand-in processes.
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import path from 'node:path';

import { startDevHost } from '@acr-replica-guard/devhost';
import type { DevHostProcess } from '@acr-replica-guard/devhost';
import { startSandbox } from '@acr-replica-guard/sandbox';
import type { RunningSandbox, SandboxOptions, SeedDocument, SeedRegistry } from '@acr-replica-guard/sandbox';
import { startAzurite } from '../../tools/azurite';
import type { RunningAzurite } from '../../tools/azurite';
import { startStorageCounter } from './storageCounter';
import type { StorageCounter } from './storageCounter';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const LOCATIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2'];

/** The app's managed identity in every benchmark fleet. */
export const APP = {
  objectId: randomUUID(),
  appId: randomUUID(),
  displayName: 'func-acr-replica-guard',
  systemAssigned: true,
};

export interface FleetShape {
  registries: number;
  /** Every this-many-th registry has a private endpoint and a replica stuck in Creating (1 %); 0: none. */
  stuckEvery: number;
  /** Every this-many-th registry has a Failed replica (0.5 %); 0: none. */
  failedEvery: number;
}

export const BENCH_FLEET: Omit<FleetShape, 'registries'> = { stuckEvery: 100, failedEvery: 200 };

/** Premium registries of five replicas (home included), some stuck on a private endpoint, some failed. */
export function fleet(subscriptionId: string, shape: FleetShape): SeedRegistry[] {
  const [home = 'westeurope', ...others] = LOCATIONS;
  return Array.from({ length: shape.registries }, (_, i) => {
    const id = `/subscriptions/${subscriptionId}/resourceGroups/rg-${i % 20}/providers/Microsoft.ContainerRegistry/registries/cr${String(i).padStart(5, '0')}`;
    const stuck = shape.stuckEvery > 0 && i % shape.stuckEvery === 7;
    const failed = shape.failedEvery > 0 && i % shape.failedEvery === 13;
    return {
      id,
      location: home,
      sku: 'Premium',
      ...(stuck
        ? {
            privateEndpoints: [
              `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-${i}`,
            ],
          }
        : {}),
      replicas: others.map((location, r) => ({
        location,
        ...(stuck && r === 0 ? { creating: { createdBy: APP.objectId } } : {}),
        ...(failed && r === 1 ? { failed: true } : {}),
      })),
    };
  });
}

/** The private-link role made beforehand, as the infrastructure makes it: the app assigns it by its id. */
const PRIVATE_LINK_ROLE_GUID = '5d0c7a1e-3b9f-4e62-8a47-c1f2d3e4b5a6';

export function privateLinkRoleDefinitionId(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${PRIVATE_LINK_ROLE_GUID}`;
}

/**
 * What the app's identity holds in a benchmark subscription: the registry operations, the right to assign
 * roles, and the private-link role made beforehand (HEAL_ROLE_DEFINITION_ID), as the infrastructure sets
 * it up.
 */
export function access(subscriptionId: string): SeedDocument {
  const scope = `/subscriptions/${subscriptionId}`;
  return {
    principals: [APP],
    subscriptions: [{ subscriptionId, locations: LOCATIONS }],
    roleDefinitions: [
      {
        roleName: `bench operator ${subscriptionId}`,
        permissions: [{ actions: ['Microsoft.ContainerRegistry/*', '*/read'] }],
        assignableScopes: [scope],
      },
      {
        name: PRIVATE_LINK_ROLE_GUID,
        roleName: `bench private link ${subscriptionId}`,
        permissions: [{ actions: ['Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write'] }],
        assignableScopes: [scope],
      },
    ],
    roleAssignments: [
      { principalId: APP.objectId, role: `bench operator ${subscriptionId}`, scope },
      { principalId: APP.objectId, role: 'Role Based Access Control Administrator', scope },
    ],
  };
}

export interface Stage {
  subscriptionId: string;
  /** A second subscription in the app's scope, when the stage has one. */
  secondSubscriptionId?: string;
  sandbox: RunningSandbox;
  azurite: RunningAzurite;
  host: DevHostProcess;
  admin<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  api<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** What the devhost asks of Azurite's Table service for the task hub. */
  storage: StorageCounter;
  /** Peak resident memory (MiB) of the devhost and of Azurite so far. */
  peakMemoryMiB(): { devhost: number; azurite: number };
  /** CPU time (user and system, seconds) the devhost and Azurite (its Table service alone too) have used. */
  cpuSeconds(): { devhost: number; azurite: number; azuriteTables: number };
  stop(): Promise<void>;
}

export interface StageOptions {
  shape: FleetShape;
  /** A fleet in a second subscription of the app's scope (ARM's budget is per subscription). */
  second?: FleetShape;
  latencyMs: number;
  sandbox: Omit<SandboxOptions, 'seed' | 'tlsDir' | 'port'>;
  env?: Record<string, string>;
}

export async function startStage(options: StageOptions): Promise<Stage> {
  const subscriptionId = randomUUID();
  const secondSubscriptionId = options.second === undefined ? undefined : randomUUID();
  const subscriptions = [
    subscriptionId,
    ...(secondSubscriptionId === undefined ? [] : [secondSubscriptionId]),
  ];
  const shapes = [options.shape, ...(options.second === undefined ? [] : [options.second])];
  // The private-link role is made once, in the first subscription (its name is a directory-wide id).
  const seeds = subscriptions.map((id, i) => {
    const seeded = access(id);
    if (i === 0) return seeded;
    return {
      ...seeded,
      roleDefinitions: (seeded.roleDefinitions ?? []).filter((d) => d.name !== PRIVATE_LINK_ROLE_GUID),
    };
  });
  const seed: SeedDocument = {
    principals: [APP],
    subscriptions: seeds.flatMap((s) => s.subscriptions ?? []),
    roleDefinitions: seeds.flatMap((s) => s.roleDefinitions ?? []),
    roleAssignments: seeds.flatMap((s) => s.roleAssignments ?? []),
    registries: subscriptions.flatMap((id, i) => fleet(id, shapes[i] ?? options.shape)),
    faults: subscriptions.map((id) => ({
      kind: 'latency' as const,
      latencyMs: options.latencyMs,
      match: { subscriptionId: id },
    })),
  };
  const azurite = await startAzurite();
  const sandbox = await startSandbox({
    ...options.sandbox,
    port: 0,
    tlsDir: path.join(REPO_ROOT, '.local/sandbox-tls'),
    seed,
  });
  const ca = fs.readFileSync(sandbox.caPath);
  const taskHub = `bench${randomBytes(4).toString('hex')}`;
  const storage = await startStorageCounter(azurite.tableServiceUri, `${taskHub}Orchestrations`);
  const host = await startDevHost({
    appRoot: REPO_ROOT,
    env: {
      // The app's tables go straight to Azurite; only the task hub's requests pass the counting proxy
      // (host.json's storageProvider connection, named by an app setting as in Azure), so that counting
      // them does not slow the app's own requests.
      AzureWebJobsStorage: azurite.connectionString,
      TaskHubStorage: azurite.connectionString.replace(
        /TableEndpoint=[^;]*;/,
        `TableEndpoint=${storage.tableEndpoint};`,
      ),
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionName: 'TaskHubStorage',
      ARM_ENDPOINT: sandbox.url,
      IDENTITY_ENDPOINT: sandbox.identityEndpoint,
      IDENTITY_HEADER: sandbox.identityHeader,
      NODE_EXTRA_CA_CERTS: sandbox.caPath,
      APP_PRINCIPAL_ID: APP.objectId,
      REGISTRY_SCOPE: subscriptions.join(','),
      TASK_HUB_NAME: taskHub,
      AUDIT_TABLE: `benchaudit${randomBytes(4).toString('hex')}`,
      WATCH_TABLE: `benchwatch${randomBytes(4).toString('hex')}`,
      HEAL_PARALLELISM: '8',
      HEAL_ROLE_DEFINITION_ID: privateLinkRoleDefinitionId(subscriptionId),
      DEVHOST_LOG_LEVEL: 'error',
      // Every execution's history stays readable, for what the longest one held.
      DEVHOST_KEEP_PAST_EXECUTIONS: 'true',
      AzureWebJobs__healSchedule__Disabled: 'true',
      ...options.env,
    },
    startTimeoutMs: 60_000,
  });
  const admin = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const answer = await httpsJson(`${sandbox.url}/admin${route}`, method, ca, body);
    return answer.body as T;
  };
  const api = async <T>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${host.url}${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  };
  return {
    subscriptionId,
    ...(secondSubscriptionId === undefined ? {} : { secondSubscriptionId }),
    sandbox,
    azurite,
    host,
    admin,
    api,
    storage,
    peakMemoryMiB: () => ({
      devhost: peakRssMiB(host.pid),
      azurite: azurite.pids.reduce((sum, pid) => sum + peakRssMiB(pid), 0),
    }),
    cpuSeconds: () => ({
      devhost: cpuSeconds(host.pid),
      azurite: azurite.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
      // startAzurite lists the Table service's process first.
      azuriteTables: cpuSeconds(azurite.pids[0] ?? 0),
    }),
    stop: async () => {
      await host.stop();
      await storage.close();
      await sandbox.close();
      await azurite.stop();
    },
  };
}

/** The sandbox's admin API is HTTPS with the sandbox's own CA, which this process need not trust globally. */
function httpsJson(
  url: string,
  method: string,
  ca: Buffer,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = https.request(
      url,
      {
        method,
        ca,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            body: text === '' ? undefined : (JSON.parse(text) as unknown),
          });
        });
      },
    );
    request.on('error', reject);
    if (payload !== undefined) request.write(payload);
    request.end();
  });
}

/** Peak resident set size of a process (VmHWM), in MiB; 0 where /proc is not there to ask. */
export function peakRssMiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
    return Math.round(kib / 1024);
  } catch {
    return 0;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ): 100 on Linux. */
const USER_HZ = 100;

/** CPU time a process has used (user and system, seconds); 0 where /proc is not there to ask. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / USER_HZ;
  } catch {
    return 0;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const ratio = (value: number, bound: number): number => Number((value / bound).toFixed(2));
