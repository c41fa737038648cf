// Healing a replica stuck on a private-endpoint registry, end to end: the real app on the devhost finds it
// with a registry's sweep and heals it (grant, effective, delete, gone, create, Succeeded) against the ARM
// sandbox, 20 ms added to every ARM call. Once at real speed, against the least time ARM's own durations
// allow (delete 10 s, the name held 60 s after it, create 20 s); then several at 100 times speed, for the
// ARM requests each heal sends; and a long create, for the history one execution of a replica operation
// holds (bound: 100 events).
import type { BenchmarkOptions } from './run';
import { EventType } from '@acr-replica-guard/devhost';
import { DEFAULT_TIMINGS } from '@acr-replica-guard/sandbox';
import { parseReplicaId, replicaInstanceId } from '../src/domain';
import { ratio, sleep, startStage } from './support/stage';
import type { Stage } from './support/stage';

export const name = 'heal';

const LATENCY_MS = 20;
/** What the sandbox holds a deleted replica's name for (its default), in virtual seconds. */
const RECREATE_BLOCK_SECONDS = 60;
/** A heal of a stuck replica needs at least these ARM calls (see docs/self-healing.md). */
const MINIMAL_CALLS = 10;

export async function run(options: BenchmarkOptions = { quick: false }): Promise<unknown> {
  const realSpeed = await healAtSpeed(1, 1);
  const accelerated = await healAtSpeed(100, options.quick ? 3 : 5);
  const history = await longOperationHistory();
  return {
    latencyMsPerArmCall: LATENCY_MS,
    realSpeed,
    accelerated,
    history,
    headline: {
      armCallsPerHeal: accelerated.armCallsPerHeal,
      armCallsRatioToBound: ratio(accelerated.armCallsPerHeal, MINIMAL_CALLS),
      realSpeedRatioToMinimal: realSpeed.ratioToMinimal,
      historyEventsRatioToBound: history.ratioToBound,
    },
    at: new Date().toISOString(),
  };
}

/** The least time a heal can take at `speed`: ARM's own durations, and its minimal calls' latency. */
function minimalMs(speed: number): number {
  const { deleteSeconds, createSeconds } = DEFAULT_TIMINGS;
  return (
    ((deleteSeconds + RECREATE_BLOCK_SECONDS + createSeconds) * 1000) / speed + MINIMAL_CALLS * LATENCY_MS
  );
}

async function healAtSpeed(speed: number, stuck: number) {
  // Registries 7, 17, 27, ... are stuck on a private endpoint; none has a failed replica.
  const registries = 10 * stuck;
  const stage = await startStage({
    shape: { registries, stuckEvery: 10, failedEvery: 0 },
    latencyMs: LATENCY_MS,
    sandbox: { speed, pageSize: 100 },
    env: { STUCK_AFTER_MINUTES: '0.05' },
  });
  try {
    // A first sweep starts the watch clock; the second, past the threshold (3 s), heals.
    await sweep(stage, true);
    await sleep(4000);
    await stage.admin('DELETE', '/requests');
    const started = Date.now();
    const summary = await sweep(stage, false);
    const wallMs = Date.now() - started;
    const log = await stage.admin<{ counts: Record<string, number> }>(
      'GET',
      `/requests?subscriptionId=${stage.subscriptionId}`,
    );
    // The sweep's own reads: its registry list, one replica list per registry, one GET per suspect.
    const scan =
      (log.counts['Registries_List 200'] ?? 0) + (log.counts['Replications_List 200'] ?? 0) + stuck;
    const total = Object.entries(log.counts)
      .filter(([operation]) => !operation.startsWith('ManagedIdentity'))
      .reduce((sum, [, n]) => sum + n, 0);
    const heals = await healDurations(stage, registries);
    const healMs = Math.max(...heals);
    return {
      speed,
      heals: stuck,
      summary,
      sweepWallMs: wallMs,
      healMs: heals,
      minimalMs: Math.round(minimalMs(speed)),
      ratioToMinimal: ratio(healMs, minimalMs(speed)),
      armRequests: log.counts,
      armCallsPerHeal: Number(((total - scan) / stuck).toFixed(1)),
    };
  } finally {
    await stage.stop();
  }
}

/** Sweeps the fleet (dry run or for real) and returns its counts once it has finished. */
async function sweep(stage: Stage, dryRun: boolean): Promise<Record<string, unknown>> {
  const before = await stage.api<{ requestedAt?: string }>('GET', '/api/operations/sweep');
  const previous = before.status === 200 ? before.body.requestedAt : undefined;
  const answer = await stage.api('POST', `/api/heal${dryRun ? '?dryRun=true' : ''}`);
  if (answer.status !== 202) throw new Error(`the sweep was not started: ${answer.status}`);
  for (;;) {
    const { body } = await stage.api<{ runtimeStatus?: string; requestedAt?: string; result?: unknown }>(
      'GET',
      '/api/operations/sweep',
    );
    if (
      body.requestedAt !== undefined &&
      body.requestedAt !== previous &&
      body.runtimeStatus === 'Completed'
    ) {
      const { results: _results, failedScans: _failed, ...counts } = body.result as Record<string, unknown>;
      return counts;
    }
    await sleep(200);
  }
}

/** How long each heal ran, from the start of its orchestration to its end, by the host's clock. */
async function healDurations(stage: Stage, registries: number): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 7; i < registries; i += 10) {
    const replicaId = `/subscriptions/${stage.subscriptionId}/resourceGroups/rg-${i % 20}/providers/Microsoft.ContainerRegistry/registries/cr${String(i).padStart(5, '0')}/replications/northeurope`;
    const instanceId = replicaInstanceId(parseReplicaId(replicaId));
    const history = await stage.api<{ EventType: number; Timestamp: string }[]>(
      'GET',
      `/devhost/instances/${encodeURIComponent(instanceId)}/history`,
    );
    const at = (type: number): number | undefined => {
      const event = Array.isArray(history.body) ? history.body.find((e) => e.EventType === type) : undefined;
      return event === undefined ? undefined : Date.parse(event.Timestamp);
    };
    const started = at(EventType.ExecutionStarted);
    const ended = at(EventType.ExecutionCompleted);
    if (started !== undefined && ended !== undefined) durations.push(ended - started);
  }
  return durations;
}

/** A create that takes far longer than the benchmark, polled quickly: the longest history one execution held. */
async function longOperationHistory() {
  const stage = await startStage({
    shape: { registries: 1, stuckEvery: 0, failedEvery: 0 },
    latencyMs: 0,
    sandbox: { speed: 1, pageSize: 100 },
    env: { POLL_INITIAL_SECONDS: '0.05', POLL_MAX_SECONDS: '0.05' },
  });
  try {
    const registry = `/api/registries/${stage.subscriptionId}/rg-long/crlong00001/replicas`;
    await stage.admin('POST', '/seed', {
      registries: [
        {
          id: `/subscriptions/${stage.subscriptionId}/resourceGroups/rg-long/providers/Microsoft.ContainerRegistry/registries/crlong00001`,
          location: 'westeurope',
          sku: 'Premium',
          sizeGiB: 1_000_000,
        },
      ],
    });
    const created = await stage.api('POST', registry, { location: 'northeurope' });
    if (created.status !== 202) throw new Error(`the create was not accepted: ${created.status}`);
    const operationId = (created.body as { operationId: string }).operationId;
    let longest = 0;
    let polls = 0;
    let generation = 0;
    while (polls < 60) {
      const view = await stage.api<{ polls?: number; generation?: number }>(
        'GET',
        `/api/operations/${encodeURIComponent(operationId)}`,
      );
      polls = view.body.polls ?? 0;
      generation = view.body.generation ?? 0;
      const history = await stage.api<unknown[]>(
        'GET',
        `/devhost/instances/${encodeURIComponent(operationId)}/history`,
      );
      if (Array.isArray(history.body)) longest = Math.max(longest, history.body.length);
      await sleep(50);
    }
    return {
      polls,
      generations: generation + 1,
      maxHistoryEventsPerExecution: longest,
      bound: 100,
      ratioToBound: ratio(longest, 100),
    };
  } finally {
    await stage.stop();
  }
}
