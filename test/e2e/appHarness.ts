// Runs the real app on the devhost against an ARM sandbox of the test's own (fast clock) and Azurite,
// with the app's production credential going through the sandbox's managed-identity endpoint.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { TableClient } from '@azure/data-tables';

import { startDevHost } from '@acr-replica-guard/devhost';
import type { DevHostProcess } from '@acr-replica-guard/devhost';
import { call, storageConnectionString, uniqueHub } from '@acr-replica-guard/devhost/testing';
import type { HttpResult } from '@acr-replica-guard/devhost/testing';
import type { SandboxOptions, SeedDocument, SeedRegistry } from '@acr-replica-guard/sandbox';
import { startTestSandbox } from '@acr-replica-guard/sandbox/testing';
import type { TestSandbox } from '@acr-replica-guard/sandbox/testing';
import { AuditStore } from '../../src/azure/auditStore';
import { APP_IDENTITY } from '../support/appFleet';
import { REPO_ROOT } from '../support/repoRoot';
import { uniqueTableName } from '../support/storage';

export const LOCATIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2', 'swedencentral'];

export interface AppHarness {
  subscriptionId: string;
  sandbox: TestSandbox;
  host: DevHostProcess;
  audit: AuditStore;
  registryId(resourceGroup: string, name: string): string;
  api(
    pathAndQuery: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<HttpResult>;
  waitForOperation(location: string, timeoutMs?: number): Promise<OperationView>;
  /** Kills the devhost (SIGKILL, mid-work) and starts it again on the same port and task hub. */
  restartHost(): Promise<void>;
  /**
   * Stops the ARM sandbox and starts it again on the same port: with a `statePath` it comes back as it
   * was, as Azure would; without one, from its seed.
   */
  restartSandbox(): Promise<void>;
  stop(): Promise<void>;
}

export interface OperationView {
  operationId: string;
  runtimeStatus: string;
  phase?: string;
  provisioningState?: string;
  requestedAt?: string;
  result?: { outcome: string; phase: string; reason?: string; evidence?: Record<string, unknown> };
}

export async function startApp(
  registries: (
    registryId: (resourceGroup: string, name: string) => string,
    subscriptionId: string,
  ) => SeedRegistry[],
  options: {
    sandbox?: Omit<SandboxOptions, 'seed' | 'tlsDir'>;
    /** Settings for the app (a function gets the subscription id). */
    env?: Record<string, string> | ((subscriptionId: string) => Record<string, string>);
    /** More to seed: principals, subscriptions, roles, registries (a function gets the subscription id). */
    seed?: SeedDocument | ((subscriptionId: string) => SeedDocument);
  } = {},
): Promise<AppHarness> {
  const entry = path.join(REPO_ROOT, 'dist', 'src', 'index.js');
  if (!fs.existsSync(entry))
    throw new Error(`${entry} is missing: run "npm run build" first (npm test does)`);

  const subscriptionId = randomUUID();
  const registryId = (resourceGroup: string, name: string): string =>
    `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${name}`;
  const role = `Registry replica operator ${subscriptionId}`;
  const extra = typeof options.seed === 'function' ? options.seed(subscriptionId) : (options.seed ?? {});
  const seedDocument: SeedDocument = {
    principals: [APP_IDENTITY, ...(extra.principals ?? [])],
    subscriptions: [{ subscriptionId, locations: LOCATIONS }, ...(extra.subscriptions ?? [])],
    roleDefinitions: [
      {
        roleName: role,
        permissions: [{ actions: ['Microsoft.ContainerRegistry/*', '*/read'] }],
        assignableScopes: [`/subscriptions/${subscriptionId}`],
      },
      ...(extra.roleDefinitions ?? []),
    ],
    roleAssignments: [
      { principalId: APP_IDENTITY.objectId, role, scope: `/subscriptions/${subscriptionId}` },
      ...(extra.roleAssignments ?? []),
    ],
    registries: [...registries(registryId, subscriptionId), ...(extra.registries ?? [])],
  };
  // Lists lag writes by ten (virtual) seconds, as ARM's do by a few: the app must find what it just
  // wrote by id, not by listing.
  const sandboxOptions = { pageSize: 20, listLagSeconds: 10, ...options.sandbox };
  let sandbox = await startTestSandbox(seedDocument, sandboxOptions);
  const auditTable = uniqueTableName('audit');
  const hostEnv = {
    ARM_ENDPOINT: sandbox.url,
    IDENTITY_ENDPOINT: sandbox.identityEndpoint,
    IDENTITY_HEADER: sandbox.identityHeader,
    REGISTRY_SCOPE: subscriptionId,
    TASK_HUB_NAME: uniqueHub('e2e'),
    AUDIT_TABLE: auditTable,
    POLL_INITIAL_SECONDS: '0.2',
    POLL_MAX_SECONDS: '0.5',
    DEVHOST_DURABLE_POLL_MS: '100',
    DEVHOST_LOG_LEVEL: 'error',
    // No sweep on the clock: a quarter-hour tick would meet the test's own operations. Tests that
    // want one run the timer through the admin endpoint.
    AzureWebJobs__healSchedule__Disabled: 'true',
    ...(typeof options.env === 'function' ? options.env(subscriptionId) : options.env),
  };
  let host = await startDevHost({ appRoot: REPO_ROOT, env: hostEnv });
  const audit = new AuditStore(
    TableClient.fromConnectionString(storageConnectionString(), auditTable, {
      allowInsecureConnection: true,
    }),
  );

  const api: AppHarness['api'] = async (pathAndQuery, init = {}) =>
    call(`${host.url}${pathAndQuery}`, {
      method: init.method ?? 'GET',
      ...(init.body === undefined
        ? {}
        : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      headers: { 'content-type': 'application/json', ...init.headers },
    });

  const waitForOperation = async (location: string, timeoutMs = 30_000): Promise<OperationView> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = (await api(location)).json<OperationView>();
      if (['Completed', 'Failed', 'Terminated'].includes(view.runtimeStatus)) return view;
      if (Date.now() > deadline)
        throw new Error(`operation still ${JSON.stringify(view)} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  return {
    subscriptionId,
    get sandbox() {
      return sandbox;
    },
    get host() {
      return host;
    },
    audit,
    registryId,
    api,
    waitForOperation,
    restartHost: async () => {
      const port = host.port;
      await host.kill();
      host = await startDevHost({ appRoot: REPO_ROOT, port, env: hostEnv });
    },
    restartSandbox: async () => {
      const port = sandbox.port;
      await sandbox.close();
      sandbox = await startTestSandbox(seedDocument, { ...sandboxOptions, port });
    },
    stop: async () => {
      await host.stop();
      await sandbox.close();
    },
  };
}
