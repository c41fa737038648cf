import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

let app: AppHarness;
const RG = 'rg-life';

beforeAll(async () => {
  app = await startApp(
    (id) => [
      { id: id(RG, 'crlife01'), location: 'westeurope', sku: 'Premium', replicas: [{ location: 'eastus' }] },
      { id: id(RG, 'crbasic01'), location: 'westeurope', sku: 'Standard' },
      // Provisioning takes long here, so an operation on it is still running when a second request comes.
      { id: id(RG, 'crhuge01'), location: 'westeurope', sku: 'Premium', sizeGiB: 1_000_000 },
    ],
    // As behind App Service authentication: the principal headers name the caller.
    { env: { TRUST_APP_SERVICE_AUTH: 'true' } },
  );
});

afterAll(async () => {
  await app?.stop();
});

const replicas = (registry: string): string =>
  `/api/registries/${app.subscriptionId}/${RG}/${registry}/replicas`;

describe('replica lifecycle through the REST API', () => {
  test('create answers 202 with a status link, and the replica reaches Succeeded with the audit trail to prove it', async () => {
    const accepted = await app.api(replicas('crlife01'), {
      method: 'POST',
      body: { location: 'North Europe', tags: { team: 'platform' } },
      headers: { 'x-ms-client-principal-id': 'oid-alice', 'x-ms-client-principal-name': 'alice@contoso.com' },
    });
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('location')!;
    expect(location).toMatch(/^\/api\/operations\//);

    const done = await app.waitForOperation(location);

    expect(done).toMatchObject({
      runtimeStatus: 'Completed',
      phase: 'succeeded',
      result: { outcome: 'succeeded' },
    });
    const list = (await app.api(replicas('crlife01'))).json<{
      value: { name: string; provisioningState: string; tags: object }[];
    }>();
    expect(list.value.find((r) => r.name === 'northeurope')).toMatchObject({
      provisioningState: 'Succeeded',
      tags: { team: 'platform' },
    });
    const trail = await app.audit.listByInstance(app.registryId(RG, 'crlife01'), done.operationId);
    expect(trail.map((e) => `${e.step}:${e.outcome}`)).toEqual([
      'received:progress',
      'requested:accepted',
      'preflight:succeeded',
      'arm-started:started',
      ...trail.slice(4, -1).map((e) => `${e.step}:${e.outcome}`),
      'completed:succeeded',
    ]);
    expect(trail.every((e) => e.actor.id === 'oid-alice' && e.channel === 'api')).toBe(true);
    expect((await app.audit.verify(app.registryId(RG, 'crlife01'))).intact).toBe(true);
  });

  test('update changes tags and the endpoint flag', async () => {
    const accepted = await app.api(`${replicas('crlife01')}/eastus`, {
      method: 'PATCH',
      body: { regionEndpointEnabled: false, tags: { tier: 'gold' } },
    });
    expect(accepted.status).toBe(202);

    const done = await app.waitForOperation(accepted.headers.get('location')!);

    expect(done.result).toMatchObject({ outcome: 'succeeded' });
    const list = (await app.api(replicas('crlife01'))).json<{ value: { name: string }[] }>();
    expect(list.value.find((r) => r.name === 'eastus')).toMatchObject({
      regionEndpointEnabled: false,
      tags: { tier: 'gold' },
    });
  });

  test('delete waits until the replica is consistently gone', async () => {
    const accepted = await app.api(`${replicas('crlife01')}/eastus`, { method: 'DELETE' });
    expect(accepted.status).toBe(202);

    const done = await app.waitForOperation(accepted.headers.get('location')!);

    expect(done).toMatchObject({ runtimeStatus: 'Completed', result: { outcome: 'succeeded' } });
    const list = (await app.api(replicas('crlife01'))).json<{ value: { name: string }[] }>();
    expect(list.value.map((r) => r.name).sort()).toEqual(['northeurope', 'westeurope']);
  });

  test('a zone redundancy change deletes and recreates the replica, keeping its other settings', async () => {
    const path = `${replicas('crlife01')}/northeurope`;
    const body = { zoneRedundancy: 'Enabled', recreate: true };
    const plan = (await app.api(`${path}?dryRun=true`, { method: 'PATCH', body })).json<{ plan: string[] }>()
      .plan;
    expect(plan.filter((line) => /^(DELETE|PUT)/.test(line))).toEqual([
      'DELETE the replication',
      expect.stringMatching(/^PUT the replication in northeurope \(zone redundancy Enabled/),
    ]);

    const accepted = await app.api(path, { method: 'PATCH', body });
    const done = await app.waitForOperation(accepted.headers.get('location')!);

    expect(done.result).toMatchObject({ outcome: 'succeeded' });
    const list = (await app.api(replicas('crlife01'))).json<{ value: { name: string }[] }>();
    expect(list.value.find((r) => r.name === 'northeurope')).toMatchObject({
      zoneRedundancy: 'Enabled',
      provisioningState: 'Succeeded',
      tags: { team: 'platform' },
    });
    const trail = await app.audit.listByInstance(app.registryId(RG, 'crlife01'), done.operationId);
    // The instance id is the replica's, so earlier operations on it share it: keep this request's entries.
    const steps = trail.filter((e) => e.entryId.includes(`|${done.requestedAt!}|`));
    expect(steps.filter((e) => e.step === 'arm-started').map((e) => e.detail?.action)).toEqual([
      'delete',
      'create',
    ]);
    expect(steps.map((e) => e.step)).toContain('step-completed');
  });

  test('a dry run answers the plan and calls no ARM write', async () => {
    const writes = async (): Promise<number> => {
      const log = await app.sandbox.admin.requests(app.subscriptionId);
      return log.requests.filter((r) => r.method !== 'GET').length;
    };
    const before = await writes();

    const answer = await app.api(`${replicas('crlife01')}?dryRun=true`, {
      method: 'POST',
      body: { location: 'eastus2' },
    });

    expect(answer.status).toBe(200);
    const plan = answer.json<{ dryRun: boolean; operation: string; plan: string[] }>();
    expect(plan).toMatchObject({ dryRun: true, operation: 'create' });
    expect(plan.plan.length).toBeGreaterThan(0);
    expect(await writes()).toBe(before);
    const names = (await app.api(replicas('crlife01')))
      .json<{ value: { name: string }[] }>()
      .value.map((r) => r.name);
    expect(names).not.toContain('eastus2');
  });

  test('a second operation on a replica whose operation still runs is refused with 409 and a link to it', async () => {
    const first = await app.api(replicas('crhuge01'), {
      method: 'POST',
      body: { location: 'swedencentral' },
    });
    expect(first.status).toBe(202);

    const second = await app.api(`${replicas('crhuge01')}/swedencentral`, { method: 'DELETE' });

    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.json()).toMatchObject({ operationLocation: first.headers.get('location') });
  });
});

describe('refusals are problem details', () => {
  test.each([
    ['a body that is not JSON', 'crlife01', '{', 400],
    ['an unknown field', 'crlife01', { location: 'eastus2', colour: 'blue' }, 400],
    ['a registry that does not exist', 'crnothere01', { location: 'eastus2' }, 404],
    ['the home region', 'crlife01', { location: 'westeurope' }, 422],
    ['a registry that is not Premium', 'crbasic01', { location: 'eastus2' }, 422],
    ['a region the subscription is not offered', 'crlife01', { location: 'australiaeast' }, 422],
  ])('%s', async (_name, registry, body, status) => {
    const answer = await app.api(replicas(registry), { method: 'POST', body });
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const problem = answer.json<{ status: number; type: string }>();
    expect(problem.status).toBe(status);
    expect(problem.type).toMatch(/^urn:acr-replica-guard:problem:/);
  });

  test('refused requests are in the audit trail too, with the caller and the reason', async () => {
    const answer = await app.api(replicas('crlife01'), {
      method: 'POST',
      body: { location: 'westeurope', colour: 'blue' },
      headers: { 'x-ms-client-principal-id': 'oid-mallory' },
    });
    expect(answer.status).toBe(400);

    const entries = (await app.audit.list({ target: app.registryId(RG, 'crlife01'), actor: 'oid-mallory' }))
      .entries;

    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ step: 'requested', outcome: 'refused', detail: { status: 400 } });
  });

  test('deleting the home replica is refused', async () => {
    const answer = await app.api(`${replicas('crlife01')}/westeurope`, { method: 'DELETE' });
    expect(answer.status).toBe(422);
  });

  test('an unknown operation id is a 404 problem', async () => {
    const answer = await app.api('/api/operations/replica%3Anothing');
    expect(answer.status).toBe(404);
  });
});
