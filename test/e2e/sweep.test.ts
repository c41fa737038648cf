// The self-healing sweep on the devhost against the ARM sandbox: a fleet with a replica stuck on a
// private-endpoint registry, a slow replica of a very large registry, healthy registries and a Standard
// one. Sweeps run from the schedule (the devhost's admin endpoint runs the timer now) and from
// POST /api/heal; each confirmed suspect goes to the heal orchestration under the replica's instance id.
// Time is the app's own: instead of waiting out the stuck threshold, the test moves the first-seen times
// the sweeps keep in the watch table back by more than the threshold.
import { TableClient } from '@azure/data-tables';

import { SWEEP_INSTANCE_ID, parseRegistryId, parseReplicaId, replicaInstanceId } from '../../src/domain';
import type { SweepSummary } from '../../src/domain';
import { APP_IDENTITY } from '../support/appFleet';
import { CREATE_OWN_ROLE, rbacAdministration } from '../support/rbacAdministration';
import { PATIENCE_MS } from '../support/patience';
import { storageConnectionString, uniqueTableName } from '../support/storage';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const STUCK_AFTER_MINUTES = 60;
const WATCH_TABLE = uniqueTableName('watch');

let app: AppHarness;
let stuck: string;
let slow: string;

interface SweepView {
  operationId: string;
  runtimeStatus: string;
  phase?: string;
  createdTime: string;
  requestedAt?: string;
  result?: SweepSummary;
}

beforeAll(async () => {
  app = await startApp(
    (id, subscriptionId) => [
      {
        id: id('rg-secure', 'crsecure01'),
        location: 'westeurope',
        sku: 'Premium',
        privateEndpoints: [
          `/subscriptions/${subscriptionId}/resourceGroups/rg-network/providers/Microsoft.Network/privateEndpoints/pe-crsecure01`,
        ],
        replicas: [{ location: 'northeurope', creating: { createdBy: APP_IDENTITY.objectId } }],
      },
      {
        // About 50 minutes of wall time at the test sandbox's speed: still creating throughout.
        id: id('rg-big', 'crbig01'),
        location: 'westeurope',
        sku: 'Premium',
        sizeGiB: 1_000_000,
        replicas: [{ location: 'eastus', creating: { createdBy: APP_IDENTITY.objectId } }],
      },
      {
        id: id('rg-app', 'crhealthy03'),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'westus2' }],
      },
      {
        id: id('rg-app', 'crhealthy01'),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'northeurope' }],
      },
      {
        id: id('rg-app', 'crhealthy02'),
        location: 'eastus',
        sku: 'Premium',
        replicas: [{ location: 'westus2' }],
      },
      { id: id('rg-app', 'crstandard01'), location: 'westeurope', sku: 'Standard' },
    ],
    {
      env: {
        ...CREATE_OWN_ROLE,
        STUCK_AFTER_MINUTES: String(STUCK_AFTER_MINUTES),
        HEAL_PARALLELISM: '2',
        WATCH_TABLE,
      },
      // Healing grants the private-link permission, so the app's identity may write roles and assignments.
      seed: rbacAdministration,
    },
  );
  stuck = `${app.registryId('rg-secure', 'crsecure01')}/replications/northeurope`;
  slow = `${app.registryId('rg-big', 'crbig01')}/replications/eastus`;
});

afterAll(async () => {
  await app?.stop();
});

/** The sweep requested after `previous` (its request time), once it has finished. */
async function finishedSweep(previous: string | undefined, timeoutMs = PATIENCE_MS): Promise<SweepView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await app.api(`/api/operations/${SWEEP_INSTANCE_ID}`);
    if (answer.status === 200) {
      const view = answer.json<SweepView>();
      const fresh = view.requestedAt !== undefined && view.requestedAt !== previous;
      if (fresh && ['Completed', 'Failed', 'Terminated'].includes(view.runtimeStatus)) return view;
    }
    if (Date.now() > deadline) throw new Error(`no finished sweep after ${timeoutMs} ms: ${answer.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Makes every watched replica look as if the sweeps had first seen it in its state twice the threshold ago. */
async function watchedSinceLongAgo(): Promise<void> {
  const table = TableClient.fromConnectionString(storageConnectionString(), WATCH_TABLE, {
    allowInsecureConnection: true,
  });
  const since = new Date(Date.now() - 2 * STUCK_AFTER_MINUTES * 60_000).toISOString();
  let rows = 0;
  for await (const row of table.listEntities()) {
    // The sweeps' listings share the table; only watched replicas have a first-seen time.
    if (row.partitionKey?.startsWith('sweep~') === true) continue;
    await table.updateEntity(
      { partitionKey: row.partitionKey!, rowKey: row.rowKey!, firstSeenAt: since },
      'Merge',
    );
    rows += 1;
  }
  // The stuck and the slow replica.
  expect(rows).toBe(2);
}

async function runScheduleNow(): Promise<void> {
  const ran = await app.api('/admin/functions/healSchedule', { method: 'POST', body: {} });
  expect(ran.status).toBe(202);
}

const sum = (s: SweepSummary): number =>
  s.healed + s.skipped + s.reported + s.failed + s.escalated + s.rejected + s.healthy;

let firstSweep: SweepView;

describe('the scheduled sweep', () => {
  test('scans each Premium registry with one list and starts watching provisioning replicas, suspecting none yet', async () => {
    await runScheduleNow();
    firstSweep = await finishedSweep(undefined);

    expect(firstSweep).toMatchObject({ runtimeStatus: 'Completed', phase: 'completed' });
    const summary = firstSweep.result!;
    // Stuck and slow replicas were only just seen in their state: their clock starts now.
    expect(summary).toMatchObject({ registries: 5, registriesScanned: 5, scanFailures: 0, suspects: 0 });
    expect(summary.results).toEqual([]);
    expect(sum(summary)).toBe(0);

    const log = await app.sandbox.admin.requests(app.subscriptionId);
    expect(log.counts['Replications_List 200']).toBe(5);

    const trail = await app.audit.listByInstance(SWEEP_INSTANCE_ID, SWEEP_INSTANCE_ID);
    expect(trail.map((e) => `${e.step}:${e.outcome}:${e.channel}:${e.actor.id}`)).toEqual([
      'sweep-started:started:schedule:schedule',
      'sweep-completed:succeeded:schedule:schedule',
    ]);
    expect(trail.at(-1)!.detail).toMatchObject({ registriesScanned: 5, suspects: 0 });
  });

  test('a second sweep while one runs is refused over the API and skipped (and audited) on the schedule', async () => {
    // ARM throttles every replica list until the rule goes, so the sweep started here cannot finish
    // before the test has asked for the second one (its retries outlast the test's timeout).
    const heldLists = await app.sandbox.admin.call<{ rules: { id: string }[] }>('POST', '/faults', {
      kind: 'throttle',
      retryAfterSeconds: 1,
      match: { subscriptionId: app.subscriptionId, operation: 'Replications_List' },
    });
    expect(heldLists.status).toBe(201);
    try {
      const started = await app.api('/api/heal', { method: 'POST' });
      expect(started.status).toBe(202);
      expect(started.headers.get('location')).toBe('/api/operations/sweep');

      const refused = await app.api('/api/heal?dryRun=true', { method: 'POST' });
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.json()).toMatchObject({
        type: 'urn:acr-replica-guard:problem:sweep-in-progress',
        operationLocation: '/api/operations/sweep',
      });
      await runScheduleNow();
    } finally {
      for (const rule of heldLists.body.rules) await app.sandbox.admin.call('DELETE', `/faults/${rule.id}`);
    }
    const done = await finishedSweep(firstSweep.requestedAt);
    expect(done.runtimeStatus).toBe('Completed');
    firstSweep = done;

    const trail = await app.audit.listByInstance(SWEEP_INSTANCE_ID, SWEEP_INSTANCE_ID);
    const steps = trail.map((e) => `${e.step}:${e.outcome}:${e.channel}`);
    expect(steps).toEqual(expect.arrayContaining(['requested:refused:api', 'requested:skipped:schedule']));
    expect(steps.filter((s) => s.startsWith('sweep-started'))).toEqual([
      'sweep-started:started:schedule',
      'sweep-started:started:api',
    ]);
  });

  test('past the threshold, GET-confirmed suspects each go to one heal under their replica instance id, with the dry run passed on', async () => {
    await watchedSinceLongAgo();
    await app.sandbox.admin.call('DELETE', '/requests');

    const started = await app.api('/api/heal?dryRun=true', { method: 'POST' });
    expect(started.status).toBe(202);
    expect(started.json()).toMatchObject({ operationId: 'sweep', dryRun: true });

    const status = async (): Promise<Record<string, unknown>> =>
      (await app.api(`/api/operations/${SWEEP_INSTANCE_ID}`)).json<Record<string, unknown>>();
    for (let s = await status(); ; s = await status()) {
      if (s.requestedAt !== firstSweep.requestedAt && s.registriesScanned === 5) {
        expect(s).toMatchObject({ dryRun: true, suspects: 2 });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const replicaId of [stuck, slow]) {
      const instance = `/api/operations/${replicaInstanceId(parseReplicaId(replicaId))}`;
      let heal = await app.api(instance);
      while (heal.status === 404 || heal.json<{ operation?: string }>().operation === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        heal = await app.api(instance);
      }
      expect(heal.json()).toMatchObject({ operation: 'heal', target: replicaId });
    }

    // One list per Premium registry and one GET per suspect to confirm it (the heals read on their own).
    const log = await app.sandbox.admin.requests(app.subscriptionId);
    expect(log.counts['Replications_List 200']).toBe(5);
    expect(log.requests.filter((r) => r.method === 'PUT' || r.method === 'DELETE')).toEqual([]);
  });

  test('the dry-run sweep reports the stuck replica and leaves the slow one alone', async () => {
    const done = await finishedSweep(firstSweep.requestedAt);
    firstSweep = done;

    const outcomes = Object.fromEntries(done.result!.results.map((r) => [r.replicaId, r.outcome]));
    expect(outcomes).toEqual({ [stuck]: 'reported', [slow]: 'skipped' });
    expect(done.result).toMatchObject({ suspects: 2, reported: 1, skipped: 1, healed: 0 });
  });

  test('the scheduled sweep heals the stuck replica with one grant, recreates a failed one, and never touches the slow one', async () => {
    const broken = app.registryId('rg-app', 'crbroken01');
    const seeded = await app.sandbox.admin.call('POST', '/seed', {
      registries: [
        {
          id: broken,
          location: 'westeurope',
          sku: 'Premium',
          replicas: [{ location: 'eastus', failed: true }],
        },
      ],
    });
    expect(seeded.status).toBeLessThan(300);
    await app.sandbox.admin.call('DELETE', '/requests');

    await runScheduleNow();
    const done = await finishedSweep(firstSweep.requestedAt);
    firstSweep = done;

    const outcomes = Object.fromEntries(done.result!.results.map((r) => [r.replicaId, r.outcome]));
    expect(outcomes).toEqual({
      [stuck]: 'healed',
      [slow]: 'skipped',
      [`${broken}/replications/eastus`]: 'healed',
    });
    const replicas = async (registry: string): Promise<{ name: string; provisioningState: string }[]> => {
      const { subscriptionId, resourceGroup, registryName } = parseRegistryId(registry);
      const answer = await app.api(
        `/api/registries/${subscriptionId}/${resourceGroup}/${registryName}/replicas`,
      );
      return answer.json<{ value: { name: string; provisioningState: string }[] }>().value;
    };
    expect(
      (await replicas(app.registryId('rg-secure', 'crsecure01'))).find((r) => r.name === 'northeurope'),
    ).toMatchObject({
      provisioningState: 'Succeeded',
    });
    expect((await replicas(broken)).find((r) => r.name === 'eastus')).toMatchObject({
      provisioningState: 'Succeeded',
    });
    expect(
      (await replicas(app.registryId('rg-big', 'crbig01'))).find((r) => r.name === 'eastus'),
    ).toMatchObject({
      provisioningState: 'Creating',
    });
    const log = await app.sandbox.admin.requests(app.subscriptionId);
    expect(log.counts['RoleAssignments_Create 201']).toBe(1);
    expect(
      log.requests.filter((r) => r.method === 'DELETE' && r.operation === 'Replications_Delete'),
    ).toHaveLength(2);
  });

  test('a sweep after healing changes nothing', async () => {
    await app.sandbox.admin.call('DELETE', '/requests');

    await runScheduleNow();
    const done = await finishedSweep(firstSweep.requestedAt);
    firstSweep = done;

    expect(done.result).toMatchObject({ healed: 0, suspects: 1, skipped: 1 });
    const log = await app.sandbox.admin.requests(app.subscriptionId);
    expect(log.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('healing one registry on demand', () => {
  test('POST .../heal sweeps just that registry under its own operation id', async () => {
    const registry = app.registryId('rg-big', 'crbig01');
    const started = await app.api(`/api/registries/${app.subscriptionId}/rg-big/crbig01/heal`, {
      method: 'POST',
    });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    expect(location).toMatch(/^\/api\/operations\/sweep%3A/);

    let view = (await app.api(location)).json<SweepView>();
    while (!['Completed', 'Failed'].includes(view.runtimeStatus)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = (await app.api(location)).json<SweepView>();
    }

    expect(view.result).toMatchObject({ registries: 1, registriesScanned: 1, suspects: 1, skipped: 1 });
    expect(view.result!.results.map((r) => r.replicaId)).toEqual([`${registry}/replications/eastus`]);
  });

  test('a registry that is not Premium or does not exist is refused', async () => {
    expect(
      (await app.api(`/api/registries/${app.subscriptionId}/rg-app/crstandard01/heal`, { method: 'POST' }))
        .status,
    ).toBe(422);
    expect(
      (await app.api(`/api/registries/${app.subscriptionId}/rg-app/crnothere01/heal`, { method: 'POST' }))
        .status,
    ).toBe(404);
  });
});
