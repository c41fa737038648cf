// Every episode of an orchestration replays its whole history, so a sweep, like a replica operation, keeps
// each execution's history within a hundred events: a generation ends (its tasks end, then it continues as
// new with positions and counts) before its history would pass that, however large the fleet. The
// devhost keeps every execution's history here, so the test reads what each one held.
import { EventType } from '@acr-replica-guard/devhost';
import type { HistoryEvent } from '@acr-replica-guard/devhost';
import { SWEEP_INSTANCE_ID } from '../../src/domain';
import type { SweepSummary } from '../../src/domain';
import { PATIENCE_MS } from '../support/patience';
import { replicaListsByRegistry, startApp } from './appHarness';
import type { AppHarness } from './appHarness';

/**
 * Several generations' worth of scans, listings, heals and audit entries: twelve scan tasks of a hundred
 * registries at the least, the listing calls and the timers that issue scans beside running ones pass
 * what one execution may hold.
 */
const REGISTRIES = 1200;
/** Every this-many-th registry has a failed replica: a suspect, reported by its (dry-run) heal. */
const FAILED_EVERY = 100;
const EVENTS_PER_EXECUTION_BOUND = 100;
const RG = 'rg-generations';
const name = (n: number): string => `crgen${String(n).padStart(4, '0')}`;

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id) =>
      Array.from({ length: REGISTRIES }, (_, n) => ({
        id: id(RG, name(n)),
        location: 'westeurope',
        sku: 'Premium' as const,
        replicas: [{ location: 'northeurope', ...(n % FAILED_EVERY === 3 ? { failed: true } : {}) }],
      })),
    {
      sandbox: { pageSize: 100 },
      env: { HEAL_PARALLELISM: '8', DEVHOST_KEEP_PAST_EXECUTIONS: 'true' },
    },
  );
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

interface SweepStatus {
  runtimeStatus: string;
  generation?: number;
  result?: SweepSummary;
}

test('a sweep of 1,200 registries takes several generations, none of whose histories passes a hundred events, and scans each registry once', async () => {
  expect((await app.api('/api/heal?dryRun=true', { method: 'POST' })).status).toBe(202);
  const deadline = Date.now() + PATIENCE_MS;
  let view: SweepStatus;
  for (;;) {
    view = (await app.api(`/api/operations/${SWEEP_INSTANCE_ID}`)).json<SweepStatus>();
    if (['Completed', 'Failed', 'Terminated'].includes(view.runtimeStatus)) break;
    if (Date.now() > deadline) throw new Error(`the sweep is still ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const suspects = REGISTRIES / FAILED_EVERY;
  expect(view.runtimeStatus).toBe('Completed');
  expect(view.result).toMatchObject({
    registries: REGISTRIES,
    registriesScanned: REGISTRIES,
    scanFailures: 0,
    suspects,
    reported: suspects,
  });

  const answer = await app.api(`/devhost/instances/${SWEEP_INSTANCE_ID}/history?executions=all`);
  expect(answer.status).toBe(200);
  const executions = answer.json<HistoryEvent[][]>();
  expect(executions.length).toBeGreaterThanOrEqual(2);
  expect(view.generation).toBe(executions.length - 1);
  for (const history of executions) {
    expect(history.length).toBeLessThanOrEqual(EVENTS_PER_EXECUTION_BOUND);
  }
  // Each but the last continued as new; the last completed.
  const ends = executions.map((history) =>
    history.some((e) => e.EventType === EventType.ContinueAsNew) ? 'continued' : 'other',
  );
  expect(ends).toEqual([...Array<string>(executions.length - 1).fill('continued'), 'other']);
  expect(executions.at(-1)?.some((e) => e.EventType === EventType.ExecutionCompleted)).toBe(true);

  // Each registry's replicas listed once, whatever the generation that scanned it.
  const lists = await replicaListsByRegistry(app);
  expect(lists).toEqual(new Map(Array.from({ length: REGISTRIES }, (_, n) => [name(n), 1])));
}, 180_000);
