// A sweep over a thousand registries whose scans all fail: the Durable host caps a custom status at
// 16 KB, so the sweep's status carries counts only, its output counts and names a bounded sample, and
// every registry whose scan failed goes, in bounded entries, to the audit trail. (Listing their ids in
// the custom status made it outgrow the cap past about fifty registries, which failed the sweep.)
import { SWEEP_INSTANCE_ID, SWEEP_SAMPLE_SIZE } from '../../src/domain';
import type { SweepSummary } from '../../src/domain';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const REGISTRIES = 1000;
const RG = 'rg-many';

let app: AppHarness;
let ids: string[];

beforeAll(async () => {
  app = await startApp(
    (id) =>
      Array.from({ length: REGISTRIES }, (_, n) => ({
        id: id(RG, `crscan${String(n).padStart(4, '0')}`),
        location: 'westeurope',
        sku: 'Premium',
      })),
    { env: { HEAL_PARALLELISM: '100' }, sandbox: { pageSize: 100 } },
  );
  ids = Array.from({ length: REGISTRIES }, (_, n) =>
    app.registryId(RG, `crscan${String(n).padStart(4, '0')}`),
  );
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

interface SweepView {
  runtimeStatus: string;
  generation?: number;
  phase?: string;
  scanFailures?: unknown;
  registriesScanned?: number;
  result?: SweepSummary | string;
}

test('a thousand failed scans leave the sweep completed, counted in its status and output, sampled in its output and all listed in its audit trail', async () => {
  // Every replica list in the subscription is throttled: each scan fails once the ARM client gives up.
  const faults = await app.sandbox.admin.call('POST', '/faults', {
    kind: 'throttle',
    retryAfterSeconds: 0,
    match: { subscriptionId: app.subscriptionId, operation: 'Replications_List' },
  });
  expect(faults.status).toBe(201);

  expect((await app.api('/api/heal', { method: 'POST' })).status).toBe(202);
  const statuses: unknown[] = [];
  let largestStatus = 0;
  let view: SweepView;
  for (;;) {
    view = (await app.api(`/api/operations/${SWEEP_INSTANCE_ID}`)).json<SweepView>();
    if (view.scanFailures !== undefined) statuses.push(view.scanFailures);
    const { result: _result, ...status } = view;
    largestStatus = Math.max(largestStatus, JSON.stringify(status).length);
    if (['Completed', 'Failed', 'Terminated'].includes(view.runtimeStatus)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  expect(view).toMatchObject({ runtimeStatus: 'Completed', phase: 'completed', scanFailures: REGISTRIES });
  expect(statuses.every((count) => typeof count === 'number')).toBe(true);
  // Counts and a few words: far under the host's 16 KB, and the same size for any fleet.
  expect(largestStatus).toBeLessThan(1_000);
  const summary = view.result as SweepSummary;
  expect(summary).toMatchObject({
    registries: REGISTRIES,
    registriesScanned: REGISTRIES,
    scanFailures: REGISTRIES,
    suspects: 0,
  });
  expect(summary.failedScans).toHaveLength(SWEEP_SAMPLE_SIZE);
  expect(ids).toEqual(expect.arrayContaining(summary.failedScans));
  expect(JSON.stringify(summary).length).toBeLessThan(16_000);
  // A hundred scans at a time make several generations, each started with positions and counts only.
  expect(view.generation).toBeGreaterThan(0);
  const instance = (
    await app.api(`/runtime/webhooks/durabletask/instances/${SWEEP_INSTANCE_ID}?showInput=true`)
  ).json<{ input: unknown }>();
  expect(JSON.stringify(instance.input).length).toBeLessThan(8_000);

  const trail = await app.audit.listByInstance(SWEEP_INSTANCE_ID, SWEEP_INSTANCE_ID);
  const failed = trail.filter((e) => e.step === 'scan-failed');
  expect(failed.every((e) => e.outcome === 'failed' && e.detail?.truncated === undefined)).toBe(true);
  const audited = failed.flatMap(
    (e) => (e.detail?.registries as { registryId: string; reason: string }[]) ?? [],
  );
  expect(audited.map((r) => r.registryId).sort()).toEqual([...ids].sort());
  expect(audited.every((r) => r.reason.length > 0)).toBe(true);
  expect(trail.find((e) => e.step === 'sweep-completed')?.detail).toMatchObject({ scanFailures: REGISTRIES });
}, 600_000);
