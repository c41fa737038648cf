// A registry's desired replica set end to end, on the devhost against the ARM sandbox and Azurite: declare
// three regions on a registry that has only its home replica, plan, apply, and find every replica
// Succeeded; delete one outside the declaration and let the next sweeps report it, then restore it under
// `auto`; change a zone redundancy, see the plan recreate it, and the apply wait for an approval.
import { eventually } from '@acr-replica-guard/devhost/testing';
import type { HttpResult } from '@acr-replica-guard/devhost/testing';
import { SWEEP_INSTANCE_ID, desiredReplicasInstanceId, parseRegistryId } from '../../src/domain';
import type { AuditEntry } from '../../src/domain';
import { startApp } from './appHarness';
import type { AppHarness, OperationView } from './appHarness';

const RG = 'rg-desired';
let app: AppHarness;
let registryId: string;

interface StepView {
  order: number;
  kind: string;
  location?: string;
  needsApproval: boolean;
  estimate?: { minutes: number; basis: string };
  risk?: { level: string; note: string };
}
interface PlanView {
  inSync: boolean;
  declarationVersion: number;
  estimatedMinutes: number;
  sizeGiB?: number;
  steps: StepView[];
  drift: { missing: string[]; extra: unknown[]; misconfigured: unknown[] };
}

beforeAll(async () => {
  app = await startApp(
    (id) => [
      { id: id(RG, 'crdesired01'), location: 'westeurope', sku: 'Premium', sizeGiB: 40 },
      { id: id(RG, 'crstandard02'), location: 'westeurope', sku: 'Standard' },
    ],
    // The tests name their callers through App Service authentication's headers.
    { env: { TRUST_APP_SERVICE_AUTH: 'true' } },
  );
  registryId = app.registryId(RG, 'crdesired01');
});

afterAll(async () => {
  await app?.stop();
});

const base = (registry = 'crdesired01'): string =>
  `/api/registries/${app.subscriptionId}/${RG}/${registry}/desired-replicas`;
const replicasOf = async (): Promise<
  { name: string; provisioningState: string; zoneRedundancy: string; tags: object }[]
> =>
  (await app.api(`/api/registries/${app.subscriptionId}/${RG}/crdesired01/replicas`)).json<{
    value: { name: string; provisioningState: string; zoneRedundancy: string; tags: object }[];
  }>().value;
const plan = async (): Promise<PlanView> => (await app.api(`${base()}/plan`)).json<PlanView>();
const kinds = (view: PlanView): string[] =>
  view.steps.map((s) => `${s.kind} ${s.location ?? ''}${s.needsApproval ? ' (approval)' : ''}`);

async function apply(): Promise<OperationView> {
  const accepted = await app.api(`${base()}/apply`, { method: 'POST' });
  expect(accepted.status).toBe(202);
  return app.waitForOperation(accepted.headers.get('location')!, 60_000);
}

/** Every entry of the registry's partition for `operation`, newest first, across pages. */
async function entriesOf(operation: string): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await app.audit.list(
      { target: registryId, operation },
      { pageSize: 100, continuationToken },
    );
    entries.push(...page.entries);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined);
  return entries;
}

/** Runs the schedule's sweep now and waits until a sweep requested after `previous` has finished. */
async function sweep(previous?: string): Promise<string> {
  const ran = await app.api('/admin/functions/healSchedule', { method: 'POST', body: {} });
  expect(ran.status).toBe(202);
  const done = await eventually(
    'the sweep to finish',
    async () => {
      const view = (await app.api(`/api/operations/${SWEEP_INSTANCE_ID}`)).json<{
        runtimeStatus: string;
        requestedAt?: string;
      }>();
      return view.requestedAt !== undefined &&
        view.requestedAt !== previous &&
        view.runtimeStatus === 'Completed'
        ? view
        : undefined;
    },
    60_000,
  );
  return done.requestedAt!;
}

let etag = '';

describe('declaring', () => {
  test('bad declarations are refused with every bad field named, and the refusal is audited', async () => {
    const answer = await app.api(base(), {
      method: 'PUT',
      body: {
        replicas: [{ location: 'eastus', colour: 'blue' }, { location: 'East US' }],
        drift: 'sometimes',
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
      'replicas[0].colour',
      'replicas[1].location',
      'drift',
    ]);
    const trail = await entriesOf('desired-replicas');
    expect(trail.find((e) => e.step === 'put' && e.outcome === 'refused')?.detail).toMatchObject({
      status: 400,
    });
  });

  test('the home region may be listed, but not given settings; regions must be offered', async () => {
    const home = await app.api(base(), {
      method: 'PUT',
      body: { replicas: [{ location: 'westeurope', zoneRedundancy: 'Enabled' }] },
    });
    expect([home.status, home.json<{ type: string }>().type]).toEqual([
      422,
      'urn:acr-replica-guard:problem:home-region',
    ]);
    const nowhere = await app.api(base(), {
      method: 'PUT',
      body: { replicas: [{ location: 'australiaeast' }] },
    });
    expect([nowhere.status, nowhere.json<{ regions: string[] }>().regions]).toEqual([422, ['australiaeast']]);
    const standard = await app.api(base('crstandard02'), { method: 'PUT', body: { replicas: [] } });
    expect(standard.status).toBe(422);
  });

  test('three regions on a registry that has only its home replica: 201 with an ETag, then GET gives it back', async () => {
    const created = await app.api(base(), {
      method: 'PUT',
      body: {
        defaults: { tags: { team: 'platform' } },
        replicas: [
          { location: 'West Europe' },
          { location: 'northeurope' },
          { location: 'eastus' },
          { location: 'swedencentral' },
        ],
      },
      headers: { 'x-ms-client-principal-id': 'oid-alice', 'x-ms-client-principal-name': 'alice@contoso.com' },
    });
    expect(created.status).toBe(201);
    etag = created.headers.get('etag')!;
    expect(etag).toBe('"v1"');
    const read = await app.api(base());
    expect([read.status, read.headers.get('etag')]).toEqual([200, '"v1"']);
    expect(read.json()).toMatchObject({
      version: 1,
      homeRegion: 'westeurope',
      replicas: [
        { location: 'eastus' },
        { location: 'northeurope' },
        { location: 'swedencentral' },
        { location: 'westeurope' },
      ],
      drift: 'report',
      allowDeletes: false,
      changedBy: { id: 'oid-alice', name: 'alice@contoso.com' },
    });
  });

  test('a second PUT without If-Match is refused (412), as is a stale ETag; a delete needs If-Match (428)', async () => {
    const again = await app.api(base(), { method: 'PUT', body: { replicas: [] } });
    expect([again.status, again.json<{ etag?: string }>().etag]).toEqual([412, '"v1"']);
    const stale = await app.api(base(), {
      method: 'PUT',
      body: { replicas: [] },
      headers: { 'if-match': '"v0"' },
    });
    expect([stale.status, stale.json<{ type: string }>().type]).toEqual([
      412,
      'urn:acr-replica-guard:problem:precondition-failed',
    ]);
    const unconditional = await app.api(base(), { method: 'DELETE' });
    expect(unconditional.status).toBe(428);
    expect((await app.api(base())).headers.get('etag')).toBe('"v1"');
  });
});

describe('plan and apply', () => {
  test('the plan creates the three missing replicas, estimated from the registry’s size, and leaves the home region alone', async () => {
    const view = await plan();
    expect(kinds(view)).toEqual([
      'create eastus',
      'create northeurope',
      'create swedencentral',
      'none westeurope',
    ]);
    expect(view).toMatchObject({
      inSync: false,
      sizeGiB: 40,
      drift: { missing: ['eastus', 'northeurope', 'swedencentral'] },
    });
    expect(view.steps[0]!.estimate!.minutes).toBe(62);
    expect(view.estimatedMinutes).toBe(62);
  });

  test('apply runs the plan as replica operations and every replica ends Succeeded, with the audit trail to prove it', async () => {
    const done = await apply();
    expect(done.runtimeStatus).toBe('Completed');
    expect(done.result).toMatchObject({ outcome: 'applied', counts: { succeeded: 3 } });

    const replicas = await replicasOf();
    expect(replicas.map((r) => `${r.name}:${r.provisioningState}`).sort()).toEqual([
      'eastus:Succeeded',
      'northeurope:Succeeded',
      'swedencentral:Succeeded',
      'westeurope:Succeeded',
    ]);
    expect(replicas.find((r) => r.name === 'eastus')!.tags).toEqual({ team: 'platform' });
    expect((await plan()).inSync).toBe(true);

    const applyId = desiredReplicasInstanceId(parseRegistryId(registryId));
    const steps = (await app.audit.listByInstance(registryId, applyId)).map((e) => `${e.step}:${e.outcome}`);
    expect(steps.slice(0, 2)).toEqual(['requested:accepted', 'planned:succeeded']);
    expect(steps.filter((s) => s === 'step-ended:succeeded')).toHaveLength(3);
    expect(steps.at(-1)).toBe('completed:succeeded');
    // Each replica operation ran under its own id, requested by the apply, through the same steps as REST.
    const creates = await entriesOf('create');
    expect(creates.filter((e) => e.step === 'requested').map((e) => e.detail)).toEqual([
      { apply: applyId },
      { apply: applyId },
      { apply: applyId },
    ]);
    expect(creates.filter((e) => e.step === 'completed' && e.outcome === 'succeeded')).toHaveLength(3);
    expect((await app.audit.verify(registryId)).intact).toBe(true);
  });
});

describe('drift', () => {
  let lastSweep: string | undefined;

  test('a replica deleted outside the declaration is reported by the next sweep, once, and nothing is restored under report', async () => {
    const removed = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crdesired01/replicas/eastus`, {
      method: 'DELETE',
    });
    await app.waitForOperation(removed.headers.get('location')!, 60_000);
    await app.sandbox.admin.call('DELETE', '/requests');

    lastSweep = await sweep(lastSweep);
    const reports = await entriesOf('desired-replicas-drift');
    expect(reports.map((e) => e.step)).toEqual(['drift-detected']);
    expect(reports[0]!.detail).toMatchObject({
      policy: 'report',
      missing: ['eastus'],
      extra: [],
      misconfigured: [],
    });
    // Drift came from the sweep's own list: one list per Premium registry and no other read of it.
    const log = await app.sandbox.admin.requests(app.subscriptionId);
    expect(log.counts['Replications_List 200']).toBe(1);
    expect(
      log.requests.filter((r) => r.method !== 'GET' || r.operation.startsWith('Replications_Get')),
    ).toEqual([]);

    lastSweep = await sweep(lastSweep);
    const again = await entriesOf('desired-replicas-drift');
    expect(again).toHaveLength(1);
    expect((await replicasOf()).map((r) => r.name)).not.toContain('eastus');
  });

  test('under auto, the next sweep starts an apply that restores it', async () => {
    const changed = await app.api(base(), {
      method: 'PUT',
      headers: { 'if-match': etag },
      body: {
        defaults: { tags: { team: 'platform' } },
        replicas: [
          { location: 'westeurope' },
          { location: 'northeurope' },
          { location: 'eastus' },
          { location: 'swedencentral' },
        ],
        drift: 'auto',
      },
    });
    expect([changed.status, changed.headers.get('etag')]).toEqual([200, '"v2"']);
    etag = changed.headers.get('etag')!;

    lastSweep = await sweep(lastSweep);
    const applyId = desiredReplicasInstanceId(parseRegistryId(registryId));
    const done = await app.waitForOperation(`/api/operations/${encodeURIComponent(applyId)}`, 60_000);
    expect(done).toMatchObject({
      runtimeStatus: 'Completed',
      result: { outcome: 'applied', trigger: 'drift' },
    });
    expect((await replicasOf()).find((r) => r.name === 'eastus')).toMatchObject({
      provisioningState: 'Succeeded',
    });

    lastSweep = await sweep(lastSweep);
    const steps = (await entriesOf('desired-replicas-drift')).map((e) => e.step);
    expect(steps[0]).toBe('in-sync');
  });
});

describe('a zone redundancy change', () => {
  test('plans a recreate, and the apply waits for an approval before it deletes anything', async () => {
    const changed = await app.api(base(), {
      method: 'PUT',
      headers: { 'if-match': etag },
      body: {
        defaults: { tags: { team: 'platform' } },
        replicas: [
          { location: 'westeurope' },
          { location: 'northeurope', zoneRedundancy: 'Enabled' },
          { location: 'eastus' },
          { location: 'swedencentral' },
        ],
        drift: 'auto',
      },
    });
    expect(changed.status).toBe(200);
    const view = await plan();
    expect(kinds(view).filter((k) => !k.startsWith('none'))).toEqual(['recreate northeurope (approval)']);
    expect(view.steps[0]!.risk!.level).toBe('medium');

    const accepted = await app.api(`${base()}/apply`, { method: 'POST' });
    const location = accepted.headers.get('location')!;
    await eventually(
      'the apply to wait for an approval',
      async () =>
        (await app.api(location)).json<{ phase?: string }>().phase === 'awaiting-approval' ? true : undefined,
      60_000,
    );
    expect((await replicasOf()).find((r) => r.name === 'northeurope')).toMatchObject({
      zoneRedundancy: 'Disabled',
    });
    const busy = await app.api(`${base()}/apply`, { method: 'POST' });
    expect([busy.status, busy.json<{ type: string }>().type]).toEqual([
      409,
      'urn:acr-replica-guard:problem:apply-in-progress',
    ]);

    const approved: HttpResult = await app.api(`${location}/approval`, {
      method: 'POST',
      body: { approved: true },
      headers: { 'x-ms-client-principal-id': 'oid-bob' },
    });
    expect(approved.status).toBe(202);
    const done = await app.waitForOperation(location, 60_000);
    expect(done.result).toMatchObject({ outcome: 'applied', counts: { succeeded: 1 } });
    expect((await replicasOf()).find((r) => r.name === 'northeurope')).toMatchObject({
      provisioningState: 'Succeeded',
      zoneRedundancy: 'Enabled',
    });
  });

  test('the history keeps every version with who changed what', async () => {
    const history = (await app.api(`${base()}/history`)).json<{
      value: { version: number; change: string; changedBy: { id: string }; diff: object }[];
    }>();
    expect(history.value.map((v) => `${v.version}:${v.change}`)).toEqual(['3:put', '2:put', '1:put']);
    expect(history.value[0]!.diff).toEqual({
      added: [],
      removed: [],
      changed: [{ location: 'northeurope', settings: { zoneRedundancy: { to: 'Enabled' } } }],
      defaults: {},
    });
  });
});
