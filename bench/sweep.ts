// Sweeps at fleet scale, end to end: the real app on the devhost (Azurite for its state) against an ARM
// sandbox seeded with N Premium registries of five replicas (1 % stuck on a private endpoint, 0.5 %
// failed), 20 ms added to every ARM call, HEAL_PARALLELISM 8, started by POST /api/heal as a user would.
// Each figure is set against its bound: scan time against N × latency ÷ parallelism, or against what
// ARM's token bucket allows when it is on; request counts against one list per registry and one GET per
// suspect; and the same scan schedule run without the devhost, to show the devhost's own share, with
// what the devhost asks of Azurite and the CPU it uses, during a sweep and while it has nothing to do. A
// last stage sweeps two subscriptions while ARM throttles one of them, against the other's scan time alone.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import path from 'node:path';

import type { BenchmarkOptions } from './run';
import type { DirectSettings } from './sweep/direct';
import { BENCH_FLEET, ratio, sleep, startStage } from './support/stage';
import type { Stage } from './support/stage';
import type { RequestKind } from './support/storageCounter';
import { totalOf } from './support/storageCounter';

export const name = 'sweep';

const LATENCY_MS = 20;
const PARALLELISM = 8;
/** ARM's read bucket: what the sandbox throttles with. */
const BURST = 250;
const REFILL_PER_SECOND = 25;
/** The devhost's dry run and the direct schedule each run this often; the best of each is compared. */
const RATIO_RUNS = 3;
/** How long the devhost is watched with nothing to do, once the garbage of the last pass is collected. */
const IDLE_SECONDS = 60;
const IDLE_SETTLE_SECONDS = 30;
/**
 * How often the sweep's status is read while it runs, as a user following it might: the scan time comes
 * from the sweep's history, so reading the status more often would only add load to what is measured.
 */
const STATUS_POLL_MS = 500;
/** The activity that scans a batch (healing.contract's SCAN_REGISTRIES_ACTIVITY). */
const SCAN_ACTIVITY = 'sweepScanRegistries';
/** DTFx history event types (EventType in the devhost's history view). */
const EVENT = { taskScheduled: 4, taskCompleted: 5, taskFailed: 6, orchestratorStarted: 12 } as const;

interface SweepMeasure {
  scanMs: number;
  totalMs: number;
  summary: Record<string, unknown>;
  requests: Record<string, number>;
  throttled429: number;
  generations: number;
  maxHistoryEvents: number;
  maxStatusChars: number;
  finalInputChars: number;
  /** Times a subscription rested for ARM's budget. */
  rests: number;
  /** CPU seconds the devhost and Azurite used during the sweep. */
  cpuSeconds: { devhost: number; azurite: number };
  /** Requests to the task hub's table, by kind. */
  taskHubRequests: Partial<Record<RequestKind, number>>;
}

interface DirectMeasure {
  scanMs: number;
  scanned: number;
  /** CPU seconds of the process running the schedule, and of Azurite meanwhile. */
  cpuSeconds: { direct: number; azurite: number };
}

export async function run(options: BenchmarkOptions = { quick: false }): Promise<unknown> {
  const sizes = options.sizes ?? (options.quick ? [1000] : [1000, 3000, 10_000]);
  // The machine may be shared: the load around the run says how far to trust its times.
  const atStart = os.loadavg().map((n) => Number(n.toFixed(2)));
  const results: Record<string, unknown>[] = [];
  for (const [i, registries] of sizes.entries()) {
    results.push(...(await runSize(registries, i === 0)));
  }
  const dry = results.find((r) => r.registries === sizes[0] && r.pass === 'dry run');
  results.push(await runMixed(sizes[0] ?? 1000, Number(dry?.scanMs ?? 0)));
  const healing = results.find((r) => r.pass === 'healing');
  const drySizes = results.filter((r) => r.pass === 'dry run');
  const idle = results.filter((r) => r.pass === 'idle');
  return {
    fleet: {
      ...BENCH_FLEET,
      replicasPerRegistry: 5,
      latencyMsPerArmCall: LATENCY_MS,
      parallelism: PARALLELISM,
    },
    passes: results,
    headline: {
      scanRatioToIdeal: dry?.scanRatioToBound,
      scanWithHealsRatioToDryScan:
        dry !== undefined && healing !== undefined
          ? ratio(Number(healing.scanMs), Number(dry.scanMs))
          : undefined,
      devhostRatioToDirect: Object.fromEntries(
        drySizes.map((r): [string, unknown] => [String(r.registries), r.devhostRatioToDirect]),
      ),
      devhostIdle: Object.fromEntries(
        idle.map((r): [string, unknown] => [
          String(r.registries),
          {
            taskHubRequestsPerMinute: r.taskHubRequestsPerMinute,
            devhostCpuSecondsPerMinute: r.devhostCpuSecondsPerMinute,
            azuriteCpuSecondsPerMinute: r.azuriteCpuSecondsPerMinute,
            azuriteTablesCpuSecondsPerMinute: r.azuriteTablesCpuSecondsPerMinute,
          },
        ]),
      ),
      msPerRegistry: Object.fromEntries(
        results
          .filter((r) => r.pass === 'dry run')
          .map((r): [string, unknown] => [String(r.registries), r.msPerRegistry]),
      ),
    },
    loadAverage: { atStart, atEnd: os.loadavg().map((n) => Number(n.toFixed(2))) },
    cpus: os.cpus().length,
    at: new Date().toISOString(),
  };
}

/**
 * One fleet, swept several times: a first pass starts the watch clock (suspects are confirmed only once
 * seen in their state for the threshold), then a dry run without ARM's throttling, a dry run with it, and
 * for the first size the same scan schedule without the devhost and a sweep that heals for real.
 */
async function runSize(registries: number, first: boolean): Promise<Record<string, unknown>[]> {
  const stage = await startStage({
    shape: { ...BENCH_FLEET, registries },
    latencyMs: LATENCY_MS,
    sandbox: { speed: 1, pageSize: 100, throttling: false },
    env: { STUCK_AFTER_MINUTES: '0.01' },
  });
  const suspects = Math.floor((registries + 92) / 100) + Math.floor((registries + 186) / 200);
  const describe = (pass: string, measured: SweepMeasure, throttling: boolean, speed: number) => {
    const idealMs = (registries * LATENCY_MS) / PARALLELISM;
    const budgetMs = throttling
      ? (Math.max(0, registries + 1 - BURST) / REFILL_PER_SECOND / speed) * 1000
      : 0;
    const boundMs = Math.max(idealMs, budgetMs);
    const lists = measured.requests['Replications_List 200'] ?? 0;
    const gets = measured.requests['Replications_Get 200'] ?? 0;
    return {
      registries,
      pass,
      throttling,
      speed,
      scanMs: measured.scanMs,
      totalMs: measured.totalMs,
      boundMs: Math.round(boundMs),
      bound: budgetMs > idealMs ? "ARM's read budget" : 'N × latency ÷ parallelism',
      scanRatioToBound: ratio(measured.scanMs, boundMs),
      msPerRegistry: Number((measured.scanMs / registries).toFixed(2)),
      listsPerRegistry: Number((lists / registries).toFixed(3)),
      suspectsSeeded: suspects,
      // The scan's confirmation, and the (dry-run) heal's own read of the replica.
      replicaGetsPerSuspect:
        pass === 'healing' ? undefined : Number((gets / Math.max(1, suspects)).toFixed(2)),
      throttled429: measured.throttled429,
      generations: measured.generations,
      maxHistoryEventsPerExecution: measured.maxHistoryEvents,
      maxStatusChars: measured.maxStatusChars,
      statusRatioToLimit: ratio(measured.maxStatusChars, 8192),
      finalInputChars: measured.finalInputChars,
      rests: measured.rests,
      cpuSeconds: measured.cpuSeconds,
      taskHubRequests: measured.taskHubRequests,
      taskHubRequestsPerRegistry: Number((totalOf(measured.taskHubRequests) / registries).toFixed(2)),
      summary: measured.summary,
    };
  };
  try {
    const passes: Record<string, unknown>[] = [];
    await sweepOnDevhost(stage, true);
    await sleep(1000);
    // Turn about, so that whatever else the machine does weighs on both; the best of each is compared.
    const onDevhost: SweepMeasure[] = [];
    const direct: DirectMeasure[] = [];
    for (let run = 0; run < RATIO_RUNS; run++) {
      onDevhost.push(await sweepOnDevhost(stage, true));
      direct.push(await directSchedule(stage));
    }
    const bestOnDevhost = onDevhost.reduce((a, b) => (b.scanMs < a.scanMs ? b : a));
    const bestDirect = direct.reduce((a, b) => (b.scanMs < a.scanMs ? b : a));
    passes.push({
      ...describe('dry run', bestOnDevhost, false, 1),
      scanMsRuns: onDevhost.map((m) => m.scanMs),
      directScanMs: bestDirect.scanMs,
      directScanMsRuns: direct.map((m) => m.scanMs),
      directCpuSeconds: bestDirect.cpuSeconds,
      devhostRatioToDirect: ratio(bestOnDevhost.scanMs, bestDirect.scanMs),
      devhostCpuRatioToDirect: ratio(
        bestOnDevhost.cpuSeconds.devhost + bestOnDevhost.cpuSeconds.azurite,
        bestDirect.cpuSeconds.direct + bestDirect.cpuSeconds.azurite,
      ),
    });
    // At speed s ARM's bucket refills s times faster: larger fleets stay within tens of seconds.
    const speed = Math.max(1, Math.round(registries / 1000));
    await stage.admin('POST', '/clock', { speed });
    await stage.admin('POST', '/settings', { throttling: true });
    passes.push(describe('dry run, ARM throttling', await sweepOnDevhost(stage, true), true, speed));
    if (first) {
      await stage.admin('POST', '/settings', { throttling: false });
      // At 60 times speed a heal (delete, ARM's hold on the name, create) takes a couple of seconds.
      await stage.admin('POST', '/clock', { speed: 60 });
      passes.push(describe('healing', await sweepOnDevhost(stage, false), false, 60));
    }
    passes.push({ registries, pass: 'idle', ...(await idleCost(stage)) });
    const memory = stage.peakMemoryMiB();
    return passes.map((p) => ({ ...p, peakMemoryMiB: memory }));
  } finally {
    await stage.stop();
  }
}

/**
 * The sweep as GET /api/operations/sweep shows it (the custom status's fields, the runtime status, the
 * result), read from the devhost's Durable HTTP API: the probe then weighs on the devhost as little as it
 * can (one read of the instance row, no app function and no durable client in between).
 */
async function sweepView(stage: Stage): Promise<Record<string, unknown>> {
  const { status, body } = await stage.api<Record<string, unknown>>(
    'GET',
    '/runtime/webhooks/durabletask/instances/sweep?showInput=false',
  );
  if (status === 404) return {};
  const { runtimeStatus, customStatus, output, createdTime, lastUpdatedTime } = body;
  return {
    operationId: 'sweep',
    runtimeStatus,
    ...(typeof customStatus === 'object' && customStatus !== null ? customStatus : {}),
    createdTime,
    lastUpdatedTime,
    ...(output === undefined || output === null ? {} : { result: output }),
  };
}

async function sweepOnDevhost(stage: Stage, dryRun: boolean): Promise<SweepMeasure> {
  await stage.admin('DELETE', '/requests');
  const previous = (await sweepView(stage)).requestedAt;
  stage.storage.reset();
  const cpuBefore = stage.cpuSeconds();
  const started = Date.now();
  const answer = await stage.api('POST', `/api/heal${dryRun ? '?dryRun=true' : ''}`);
  if (answer.status !== 202) throw new Error(`the sweep was not started: ${answer.status}`);
  let scanMs: number | undefined;
  let maxHistoryEvents = 0;
  let maxStatusChars = 0;
  let generations = 0;
  let lastHistoryAt = 0;
  for (;;) {
    const view = await sweepView(stage);
    if (view.requestedAt === undefined || view.requestedAt === previous) {
      await sleep(50);
      continue;
    }
    const { result, ...status } = view;
    maxStatusChars = Math.max(maxStatusChars, JSON.stringify(status).length);
    generations = Math.max(generations, Number(status.generation ?? 0) + 1);
    if (
      scanMs === undefined &&
      status.listingDone === true &&
      Number(status.registriesScanned) >= Number(status.registries)
    ) {
      // Seen late by up to a poll: the history says when (see scanEndFromHistory).
      scanMs = Date.now() - started;
    }
    if (Date.now() - lastHistoryAt > 2000) {
      lastHistoryAt = Date.now();
      const history = await stage.api<unknown[]>('GET', '/devhost/instances/sweep/history');
      if (Array.isArray(history.body)) maxHistoryEvents = Math.max(maxHistoryEvents, history.body.length);
    }
    if (['Completed', 'Failed', 'Terminated'].includes(String(view.runtimeStatus))) {
      if (view.runtimeStatus !== 'Completed') throw new Error(`the sweep ended ${JSON.stringify(view)}`);
      const totalMs = Date.now() - started;
      const executions = await executionsOf(stage);
      maxHistoryEvents = Math.max(maxHistoryEvents, ...executions.map((events) => events.length));
      const scanEnd = scanEndFromHistory(executions, started);
      if (scanEnd !== undefined) scanMs = scanEnd - started;
      const cpuAfter = stage.cpuSeconds();
      const storage = stage.storage.counts();
      const log = await stage.admin<{ counts: Record<string, number>; requests: { status: number }[] }>(
        'GET',
        `/requests?subscriptionId=${stage.subscriptionId}`,
      );
      const instance = await stage.api<{ input: unknown }>(
        'GET',
        '/runtime/webhooks/durabletask/instances/sweep?showInput=true',
      );
      return {
        scanMs: scanMs ?? totalMs,
        totalMs,
        summary: countsOf(result),
        requests: log.counts,
        throttled429: log.requests.filter((r) => r.status === 429).length,
        generations,
        maxHistoryEvents,
        maxStatusChars,
        finalInputChars: JSON.stringify(instance.body.input).length,
        rests: Number(view.rests ?? 0),
        cpuSeconds: {
          devhost: Number((cpuAfter.devhost - cpuBefore.devhost).toFixed(2)),
          azurite: Number((cpuAfter.azurite - cpuBefore.azurite).toFixed(2)),
        },
        taskHubRequests: storage.taskHub,
      };
    }
    await sleep(STATUS_POLL_MS);
  }
}

/** The most history events one execution of the sweep held (every execution is kept on the stage). */
interface HistoryEvent {
  EventType: number;
  EventId: number;
  Timestamp: string;
  Name?: string;
  Input?: string | null;
  TaskScheduledId?: number;
}

function scanSubscription(event: HistoryEvent): string | undefined {
  const input = JSON.parse(event.Input ?? 'null') as { subscriptionId?: string } | null;
  return input?.subscriptionId?.toLowerCase();
}

/** Every execution's history of the sweep (the devhost keeps past executions in the benchmark). */
async function executionsOf(stage: Stage): Promise<HistoryEvent[][]> {
  const { body } = await stage.api<unknown[]>('GET', '/devhost/instances/sweep/history?executions=all');
  if (!Array.isArray(body)) return [];
  // A devhost that keeps no executions answers the current one's events alone.
  return (body.every(Array.isArray) ? body : [body]) as HistoryEvent[][];
}

/**
 * When the sweep knew every registry (of `subscriptionId`, if given) was scanned: the episode that took
 * in the last scan's completion, from the host's own timestamps in the history of the executions since
 * `started` (ms).
 */
function scanEndFromHistory(
  executions: HistoryEvent[][],
  started: number,
  subscriptionId?: string,
): number | undefined {
  let end: number | undefined;
  for (const events of executions) {
    const at = (event: HistoryEvent): number => Date.parse(event.Timestamp);
    const mine = events.filter((event) => at(event) >= started);
    const scans = new Set(
      mine
        .filter(
          (event) =>
            event.EventType === EVENT.taskScheduled &&
            event.Name === SCAN_ACTIVITY &&
            (subscriptionId === undefined || scanSubscription(event) === subscriptionId.toLowerCase()),
        )
        .map((event) => event.EventId),
    );
    const lastScan = Math.max(
      ...mine
        .filter(
          (event) =>
            (event.EventType === EVENT.taskCompleted || event.EventType === EVENT.taskFailed) &&
            scans.has(event.TaskScheduledId ?? -1),
        )
        .map(at),
    );
    if (!Number.isFinite(lastScan)) continue;
    const takenIn = mine
      .filter((event) => event.EventType === EVENT.orchestratorStarted && at(event) >= lastScan)
      .map(at);
    const known = takenIn.length === 0 ? lastScan : Math.min(...takenIn);
    end = Math.max(end ?? 0, known);
  }
  return end;
}

/**
 * Two subscriptions of N registries each, ARM answering every request of the second with 429 and a
 * Retry-After of RETRY_AFTER_SECONDS until the first has been scanned: the first's scan time against its
 * bound and against a sweep of it alone; then ARM lets the second through and the sweep completes.
 */
async function runMixed(registries: number, aloneScanMs: number): Promise<Record<string, unknown>> {
  const RETRY_AFTER_SECONDS = 10;
  const shape = { ...BENCH_FLEET, registries };
  const stage = await startStage({
    shape,
    second: shape,
    latencyMs: LATENCY_MS,
    sandbox: { speed: 1, pageSize: 100, throttling: false },
    env: { STUCK_AFTER_MINUTES: '0.01' },
  });
  const throttled = stage.secondSubscriptionId ?? '';
  try {
    const { rules } = await stage.admin<{ rules: { id: string }[] }>('POST', '/faults', {
      kind: 'throttle',
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      match: { subscriptionId: throttled },
    });
    const started = Date.now();
    const answer = await stage.api('POST', '/api/heal?dryRun=true');
    if (answer.status !== 202) throw new Error(`the sweep was not started: ${answer.status}`);
    let otherScanMs: number | undefined;
    let view: Record<string, unknown>;
    for (;;) {
      ({ body: view } = await stage.api<Record<string, unknown>>('GET', '/api/operations/sweep'));
      if (otherScanMs === undefined && Number(view.registriesScanned ?? 0) >= registries) {
        otherScanMs = Date.now() - started;
        await stage.admin('DELETE', `/faults/${rules[0]?.id ?? ''}`);
      }
      if (['Completed', 'Failed', 'Terminated'].includes(String(view.runtimeStatus))) break;
      await sleep(100);
    }
    const totalMs = Date.now() - started;
    const executions = await executionsOf(stage);
    const otherScanEnd = scanEndFromHistory(executions, started, stage.subscriptionId);
    if (otherScanEnd !== undefined) otherScanMs = otherScanEnd - started;
    const lists = async (subscriptionId: string): Promise<number> =>
      (
        await stage.admin<{ counts: Record<string, number> }>(
          'GET',
          `/requests?subscriptionId=${subscriptionId}`,
        )
      ).counts['Replications_List 200'] ?? 0;
    const boundMs = (registries * LATENCY_MS) / PARALLELISM;
    const scanMs = otherScanMs ?? totalMs;
    return {
      registries,
      pass: 'two subscriptions, one throttled',
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      scanMs,
      totalMs,
      boundMs,
      scanRatioToBound: ratio(scanMs, boundMs),
      scanRatioToAlone: aloneScanMs > 0 ? ratio(scanMs, aloneScanMs) : undefined,
      listsPerRegistry: {
        other: Number(((await lists(stage.subscriptionId)) / registries).toFixed(3)),
        throttled: Number(((await lists(throttled)) / registries).toFixed(3)),
      },
      rests: view.rests,
      maxHistoryEventsPerExecution: Math.max(0, ...executions.map((events) => events.length)),
      summary: countsOf(view.result),
    };
  } finally {
    await stage.stop();
  }
}

function countsOf(result: unknown): Record<string, unknown> {
  if (typeof result !== 'object' || result === null) return {};
  const { results: _results, failedScans: _failedScans, ...counts } = result as Record<string, unknown>;
  return counts;
}

/**
 * What the devhost costs with nothing to do: once no instance is left running (and half a minute more),
 * the requests it sends to Azurite and the CPU it and Azurite use over a minute.
 */
async function idleCost(stage: Stage): Promise<Record<string, unknown>> {
  const busy =
    '/runtime/webhooks/durabletask/instances?runtimeStatus=Pending,Running,ContinuedAsNew,Suspended';
  for (let waited = 0; ; waited += 1) {
    const { body } = await stage.api<unknown[]>('GET', busy);
    if (Array.isArray(body) && body.length === 0) break;
    if (waited > 600) throw new Error(`instances still running after 10 minutes: ${JSON.stringify(body)}`);
    await sleep(1000);
  }
  // Node collects the garbage of a busy spell for a while after it: that is not the cost of resting.
  await sleep(IDLE_SETTLE_SECONDS * 1000);
  stage.storage.reset();
  const cpuBefore = stage.cpuSeconds();
  const started = Date.now();
  await sleep(IDLE_SECONDS * 1000);
  const minutes = (Date.now() - started) / 60_000;
  const cpuAfter = stage.cpuSeconds();
  const counts = stage.storage.counts();
  const perMinute = (n: number): number => Number((n / minutes).toFixed(2));
  return {
    idleSeconds: IDLE_SECONDS,
    taskHubRequests: counts.taskHub,
    taskHubRequestsPerMinute: perMinute(totalOf(counts.taskHub)),
    devhostCpuSecondsPerMinute: perMinute(cpuAfter.devhost - cpuBefore.devhost),
    azuriteCpuSecondsPerMinute: perMinute(cpuAfter.azurite - cpuBefore.azurite),
    // The Table service is what the devhost asks; the Blob service serves only the app.
    azuriteTablesCpuSecondsPerMinute: perMinute(cpuAfter.azuriteTables - cpuBefore.azuriteTables),
  };
}

/** The same scan schedule, without the devhost, in a process that trusts the sandbox's CA. */
async function directSchedule(stage: Stage): Promise<DirectMeasure> {
  const azuriteBefore = stage.cpuSeconds().azurite;
  const settings: DirectSettings = {
    armEndpoint: stage.sandbox.url,
    subscriptionId: stage.subscriptionId,
    connectionString: stage.azurite.connectionString,
    tableName: `direct${randomBytes(4).toString('hex')}`,
    parallelism: PARALLELISM,
  };
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(__dirname, 'sweep', 'direct.js')],
      {
        env: {
          ...process.env,
          BENCH_DIRECT: JSON.stringify(settings),
          NODE_EXTRA_CA_CERTS: stage.sandbox.caPath,
          IDENTITY_ENDPOINT: stage.sandbox.identityEndpoint,
          IDENTITY_HEADER: stage.sandbox.identityHeader,
        },
        maxBuffer: 1024 * 1024,
      },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
  const measured = JSON.parse(output) as { scanMs: number; scanned: number; cpuSeconds: number };
  return {
    scanMs: measured.scanMs,
    scanned: measured.scanned,
    cpuSeconds: {
      direct: measured.cpuSeconds,
      azurite: Number((stage.cpuSeconds().azurite - azuriteBefore).toFixed(2)),
    },
  };
}
