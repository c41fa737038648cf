// Orchestration throughput of the devhost against Table Storage: a 10-activity chain and a 100-way fan-out,
// started over the Durable HTTP API. Latency is the host-recorded time from ExecutionStarted to
// ExecutionCompleted. Uses AzureWebJobsStorage when set, otherwise starts an in-memory Azurite.

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HistoryEvent } from '@acr-replica-guard/devhost';
import { EventType } from '@acr-replica-guard/devhost';
import { startDevHost } from '@acr-replica-guard/devhost';
import { fixtureApp } from '@acr-replica-guard/devhost/testing';

export const name = 'devhost';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE_APP = fixtureApp('durable');
const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

interface Scenario {
  scenario: string;
  orchestrator: string;
  input: unknown;
  count: number;
  activitiesPerOrchestration: number;
}

export interface ScenarioResult {
  scenario: string;
  count: number;
  activitiesPerOrchestration: number;
  wallTimeMs: number;
  orchestrationsPerSecond: number;
  activitiesPerSecond: number;
  latencyMs: { p50: number; p95: number; max: number };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`Azurite did not open port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startAzurite(): Promise<{ connectionString: string; process: ChildProcess }> {
  const port = await freePort();
  const main = path.join(REPO_ROOT, 'node_modules', 'azurite', 'dist', 'src', 'table', 'main.js');
  const child = spawn(
    process.execPath,
    [main, '--inMemoryPersistence', '--tableHost', '127.0.0.1', '--tablePort', String(port)].concat([
      '--silent',
      '--disableTelemetry',
      '--skipApiVersionCheck',
    ]),
    { stdio: 'ignore', cwd: os.tmpdir() },
  );
  await waitForPort(port);
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1`;
  return { connectionString, process: child };
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function runScenario(baseUrl: string, scenario: Scenario): Promise<ScenarioResult> {
  const webhook = `${baseUrl}/runtime/webhooks/durabletask`;
  const started = Date.now();
  const ids = await Promise.all(
    Array.from({ length: scenario.count }, async () => {
      const response = await json<{ id: string }>(`${webhook}/orchestrators/${scenario.orchestrator}`, {
        method: 'POST',
        body: JSON.stringify(scenario.input),
        headers: { 'content-type': 'application/json' },
      });
      if (response.status !== 202) {
        throw new Error(`Start answered ${response.status}`);
      }
      return response.body.id;
    }),
  );
  const pending = new Set(ids);
  while (pending.size > 0) {
    for (const id of [...pending]) {
      const status = await json<{ runtimeStatus: string }>(`${webhook}/instances/${id}?showInput=false`);
      if (status.body.runtimeStatus === 'Completed') {
        pending.delete(id);
      } else if (['Failed', 'Terminated'].includes(status.body.runtimeStatus)) {
        throw new Error(`${id} ended ${status.body.runtimeStatus}`);
      }
    }
    if (pending.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const wallTimeMs = Date.now() - started;
  const latencies: number[] = [];
  for (const id of ids) {
    const history = (await json<HistoryEvent[]>(`${baseUrl}/devhost/instances/${id}/history`)).body;
    const start = history.find((e) => e.EventType === EventType.ExecutionStarted);
    const end = history.find((e) => e.EventType === EventType.ExecutionCompleted);
    if (start && end) {
      latencies.push(Date.parse(end.Timestamp) - Date.parse(start.Timestamp));
    }
  }
  latencies.sort((a, b) => a - b);
  const seconds = wallTimeMs / 1000;
  return {
    scenario: scenario.scenario,
    count: scenario.count,
    activitiesPerOrchestration: scenario.activitiesPerOrchestration,
    wallTimeMs,
    orchestrationsPerSecond: Number((scenario.count / seconds).toFixed(2)),
    activitiesPerSecond: Number(
      ((scenario.count * scenario.activitiesPerOrchestration) / seconds).toFixed(1),
    ),
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.at(-1) ?? 0 },
  };
}

export async function run(): Promise<{ machine: Record<string, unknown>; results: ScenarioResult[] }> {
  const azurite = process.env.AzureWebJobsStorage ? undefined : await startAzurite();
  const connectionString = process.env.AzureWebJobsStorage ?? azurite?.connectionString ?? '';
  const host = await startDevHost({
    appRoot: FIXTURE_APP,
    env: {
      AzureWebJobsStorage: connectionString,
      DEVHOST_TEST_HUB: `Bench${randomBytes(4).toString('hex')}`,
      DEVHOST_DURABLE_POLL_MS: '50',
      DEVHOST_LOG_LEVEL: 'error',
    },
  });
  try {
    const results = [
      await runScenario(host.url, {
        scenario: 'chain of 10 activities',
        orchestrator: 'Chain',
        input: 0,
        count: 50,
        activitiesPerOrchestration: 10,
      }),
      await runScenario(host.url, {
        scenario: 'fan-out of 100 activities',
        orchestrator: 'FanOut',
        input: 100,
        count: 10,
        activitiesPerOrchestration: 100,
      }),
    ];
    return {
      machine: {
        node: process.version,
        cpus: os.cpus().length,
        storage: azurite ? 'Azurite (in-memory, started by the benchmark)' : 'AzureWebJobsStorage',
        at: new Date().toISOString(),
      },
      results,
    };
  } finally {
    await host.stop();
    azurite?.process.kill();
  }
}
