// A sweep at ARM's real budget (the sandbox throttles as ARM does, here at real speed: 250 reads, then 25
// a second): it paces its reads on what ARM's answers say is left, so ARM's bucket never answers it 429,
// and it keeps a reserve for the app's other operations: a user's create during the sweep is never
// throttled (ARM holds one registry's list back until the create is under way, so the sweep is still
// scanning then). It starts the heal of a suspect while its scan of the rest of the fleet goes on, and its
// scans slide: new batches go out while earlier ones still run (one registry in the first batch answers
// slowly, so that batch still runs when the second ends), up to HEAL_PARALLELISM slots at once.
import { EventType } from '@acr-replica-guard/devhost';
import type { HistoryEvent } from '@acr-replica-guard/devhost';
import { SWEEP_INSTANCE_ID } from '../../src/domain';
import type { SweepSummary } from '../../src/domain';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

/** Enough to need about ten seconds of the bucket's refill after its burst. */
const REGISTRIES = 400;
const RG = 'rg-budget';
/**
 * In the first of the first two batches (positions 0 to 51 of ARM's first page of 100, four slots each):
 * ARM takes seconds to list its replicas, while a whole batch of other registries takes a fraction of that.
 */
const SLOW = 'crfleet0019';
const SLOW_MS = 5_000;
/** Near the end of the listing: ARM throttles its replica list until the test lets it through. */
const HELD = 'crfleet0397';

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id) => [
      // First in the listing (ARM's lists are ordered by name here): its failed replica is found first.
      {
        id: id(RG, 'craaa00000'),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'northeurope', failed: true }],
      },
      ...Array.from({ length: REGISTRIES - 1 }, (_, n) => ({
        id: id(RG, `crfleet${String(n).padStart(4, '0')}`),
        location: 'westeurope',
        sku: 'Premium' as const,
        replicas: [{ location: 'northeurope' }],
      })),
    ],
    {
      sandbox: { speed: 1, pageSize: 100 },
      // Every execution's history stays readable, for the window's shape across generations.
      env: { HEAL_PARALLELISM: '8', DEVHOST_KEEP_PAST_EXECUTIONS: 'true' },
    },
  );
  const slow = await app.sandbox.admin.call('POST', '/faults', {
    kind: 'latency',
    latencyMs: SLOW_MS,
    match: { subscriptionId: app.subscriptionId, operation: 'Replications_List', pathIncludes: `/${SLOW}/` },
  });
  expect(slow.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

interface SweepStatus {
  runtimeStatus: string;
  phase?: string;
  registries?: number;
  registriesScanned?: number;
  healsRunning?: number;
  reported?: number;
  throttled?: number;
  readsRemaining?: number;
  secondsLeft?: number;
  result?: SweepSummary;
}

const sweepStatus = async (): Promise<SweepStatus> =>
  (await app.api(`/api/operations/${SWEEP_INSTANCE_ID}`)).json<SweepStatus>();

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("a dry-run sweep of 400 registries meets no 429 of ARM's bucket, heals while it scans, and leaves a user create unthrottled", async () => {
  await app.sandbox.admin.call('DELETE', '/requests');
  const held = await app.sandbox.admin.call<{ rules: { id: string }[] }>('POST', '/faults', {
    kind: 'throttle',
    retryAfterSeconds: 3,
    match: { subscriptionId: app.subscriptionId, operation: 'Replications_List', pathIncludes: `/${HELD}/` },
  });
  expect(held.status).toBe(201);
  expect((await app.api('/api/heal?dryRun=true', { method: 'POST' })).status).toBe(202);

  // The first registry's failed replica goes to its heal while most of the fleet is still to scan.
  const healing = await until(sweepStatus, (s) => (s.healsRunning ?? 0) + (s.reported ?? 0) > 0);
  expect(healing.phase).toBe('scanning');
  expect(healing.registriesScanned).toBeLessThan(REGISTRIES);

  // A user's create while the sweep scans: its reads find the reserve the sweep keeps.
  const created = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crfleet0398/replicas`, {
    method: 'POST',
    body: { location: 'eastus' },
  });
  expect(created.status).toBe(202);
  const location = created.headers.get('location')!;
  await until(
    async () => (await app.api(location)).json<{ phase?: string }>(),
    (op) => op.phase === 'provisioning',
  );
  // The sweep cannot end before ARM lets the held registry's list through.
  await until(
    async () => (await app.sandbox.admin.requests(app.subscriptionId)).requests,
    (requests) => requests.some((r) => r.status === 429 && r.path.includes(`/${HELD}/`)),
  );
  expect((await sweepStatus()).phase).toBe('scanning');
  expect((await app.sandbox.admin.call('DELETE', `/faults/${held.body.rules[0]!.id}`)).status).toBe(204);
  const done = await until(sweepStatus, (s) => s.runtimeStatus === 'Completed');
  expect(done.result).toMatchObject({
    registries: REGISTRIES,
    registriesScanned: REGISTRIES,
    scanFailures: 0,
    suspects: 1,
    reported: 1,
  });
  const log = await app.sandbox.admin.requests(app.subscriptionId);
  // The only 429s are those of the held registry's list: none from ARM's bucket, the create's included.
  const throttled = log.requests.filter((r) => r.status === 429);
  expect(throttled.length).toBeGreaterThan(0);
  expect(throttled.every((r) => r.fault === 'throttle' && r.path.includes(`/${HELD}/`))).toBe(true);
  expect(done.throttled).toBe(throttled.length);
  // One list per registry, and ARM's list of registries read once, page by page.
  expect(log.counts['Replications_List 200']).toBe(REGISTRIES);
  expect(log.counts['Registries_List 200']).toBe(REGISTRIES / 100);
}, 180_000);

test('the scans of that sweep ran in a sliding window: up to eight slots at once, new scans issued beside running ones', async () => {
  const answer = await app.api(`/devhost/instances/${SWEEP_INSTANCE_ID}/history?executions=all`);
  expect(answer.status).toBe(200);
  const executions = answer.json<HistoryEvent[][]>();
  let most = 0;
  let widest = 0;
  let besideEarlier = 0;
  for (const history of executions) {
    // Each scan's episode and the slots of the window it holds (registries in flight at once).
    const running = new Map<number, { episode: number; slots: number }>();
    let episode = 0;
    for (const event of history) {
      if (event.EventType === EventType.OrchestratorStarted) episode += 1;
      if (event.EventType === EventType.TaskScheduled && event.Name === 'sweepScanRegistries') {
        if ([...running.values()].some((scan) => scan.episode < episode)) besideEarlier += 1;
        const { slots = 1 } = JSON.parse(event.Input ?? '{}') as { slots?: number };
        running.set(event.EventId, { episode, slots });
        widest = Math.max(widest, slots);
        most = Math.max(
          most,
          [...running.values()].reduce((sum, scan) => sum + scan.slots, 0),
        );
      }
      if (event.EventType === EventType.TaskCompleted) running.delete(event.TaskScheduledId);
    }
    // No generation ends with a scan under way: the next starts from positions alone.
    expect(running.size).toBe(0);
  }
  expect(most).toBe(8);
  // Scans of four slots: two fill the window, and one is refilled while the other runs.
  expect(widest).toBe(4);
  // At least the first batch's successor went out while the slow second batch still ran.
  expect(besideEarlier).toBeGreaterThan(0);
});
