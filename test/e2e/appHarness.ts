// Runs the real app on the devhost against an ARM sandbox of the test's own (fast clock) and Azurite,
// with the app's production credential going through the sandbox's managed-identity endpoint.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startDevHost } from '@acr-replica-guard/devhost';
import type { DevHostProcess } from '@acr-replica-guard/devhost';
import { call, storageConnectionString, uniqueHub } from '@acr-replica-guard/devhost/testing';
import type { HttpResult } from '@acr-replica-guard/devhost/testing';
import type { SandboxOptions, SeedDocument, SeedRegistry } from '@acr-replica-guard/sandbox';
import { startTestSandbox } from '@acr-replica-guard/sandbox/testing';
import type { TestSandbox } from '@acr-replica-guard/sandbox/testing';
import { AuditStore } from '../../src/azure/auditStore';
import { auditSigningKey } from '../../src/config/settings';
import { APP_IDENTITY } from '../support/appFleet';
import { PATIENCE_MS } from '../support/patience';
import { REPO_ROOT } from '../support/repoRoot';
import { uniqueTableName } from '../support/storage';

export const LOCATIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2', 'swedencentral'];

export interface AppHarness {
  subscriptionId: string;
  sandbox: TestSandbox;
  host: DevHostProcess;
  audit: AuditStore;
  /** The audit trail's table, for tests that reach into storage as someone with write access would. */
  auditTable: string;
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
  /** Stops the devhost and starts it again on the same port and task hub, with these settings changed. */
  restartWith(settings: Record<string, string>): Promise<void>;
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

/** ARM writes (anything but GET) the sandbox answered for a resource or anything below it. */
export async function armWritesTo(
  app: AppHarness,
  resourceId: string,
): Promise<{ at: string; method: string; operation: string; status: number }[]> {
  const { requests } = await app.sandbox.admin.requests(app.subscriptionId);
  const id = resourceId.toLowerCase();
  return requests.filter((r) => r.method !== 'GET' && r.path.toLowerCase().startsWith(id));
}

/** How many times ARM listed each registry's replicas (200 answers) in a subscription, by registry name. */
export async function replicaListsByRegistry(
  app: AppHarness,
  subscriptionId = app.subscriptionId,
): Promise<Map<string, number>> {
  const { requests } = await app.sandbox.admin.requests(subscriptionId);
  const lists = new Map<string, number>();
  for (const r of requests) {
    if (r.operation !== 'Replications_List' || r.status !== 200) continue;
    const registry = /\/registries\/([^/]+)\//i.exec(r.path)?.[1] ?? '';
    lists.set(registry, (lists.get(registry) ?? 0) + 1);
  }
  return lists;
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
    /** More to seed: principals, subscriptions, role definitions and assignments, registries (a function gets the subscription id). */
    seed?: SeedDocument | ((subscriptionId: string) => SeedDocument);
    /**
     * Whether the app gets the harness's broad role over the subscription (registries, and every read);
     * false when the seed grants exactly the access under test.
     */
    broadAppRole?: boolean;
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
  const broad = options.broadAppRole ?? true;
  const seedDocument: SeedDocument = {
    principals: [APP_IDENTITY, ...(extra.principals ?? [])],
    subscriptions: [{ subscriptionId, locations: LOCATIONS }, ...(extra.subscriptions ?? [])],
    roleDefinitions: [
      ...(broad
        ? [
            {
              roleName: role,
              permissions: [{ actions: ['Microsoft.ContainerRegistry/*', '*/read'] }],
              assignableScopes: [`/subscriptions/${subscriptionId}`],
            },
          ]
        : []),
      ...(extra.roleDefinitions ?? []),
    ],
    roleAssignments: [
      ...(broad
        ? [{ principalId: APP_IDENTITY.objectId, role, scope: `/subscriptions/${subscriptionId}` }]
        : []),
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
    // local.settings.json names the demo fleet's private-link role; each test says which role, if any,
    // the app may assign (an empty value keeps the file's from applying).
    HEAL_ROLE_DEFINITION_ID: '',
    ...(typeof options.env === 'function' ? options.env(subscriptionId) : options.env),
  };
  let host = await startDevHost({ appRoot: REPO_ROOT, env: hostEnv });
  let settings: Record<string, string> = hostEnv;
  // The app's own view of its trail: the same table, anchors' container and key (the launcher's, unless
  // the test sets another).
  const signingKey = auditSigningKey({ ...process.env, ...hostEnv });
  const audit = AuditStore.fromConnectionString(storageConnectionString(), auditTable, {
    ...(signingKey === undefined ? {} : { signingKey }),
  });

  const api: AppHarness['api'] = async (pathAndQuery, init = {}) =>
    call(`${host.url}${pathAndQuery}`, {
      method: init.method ?? 'GET',
      ...(init.body === undefined
        ? {}
        : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      headers: { 'content-type': 'application/json', ...init.headers },
    });

  const waitForOperation = async (location: string, timeoutMs = PATIENCE_MS): Promise<OperationView> => {
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
    auditTable,
    registryId,
    api,
    waitForOperation,
    restartHost: async () => {
      const port = host.port;
      await host.kill();
      host = await startDevHost({ appRoot: REPO_ROOT, port, env: settings });
    },
    restartWith: async (changed) => {
      const port = host.port;
      await host.stop();
      settings = { ...settings, ...changed };
      host = await startDevHost({ appRoot: REPO_ROOT, port, env: settings });
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
