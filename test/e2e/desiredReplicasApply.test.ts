// How an apply of a desired replica set ends when not everything goes through, on the devhost against the
// ARM sandbox: a rejected approval changes nothing; a failed create keeps the deletes that depend on it
// from running; a create the registry's policy may not prevent from getting stuck is blocked. And no
// input, however odd, gets a 5xx from the desired-replicas routes.
import { eventually } from '@acr-replica-guard/devhost/testing';
import { startApp } from './appHarness';
import type { AppHarness, OperationView } from './appHarness';

const RG = 'rg-apply';
let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id, subscriptionId) => [
      {
        id: id(RG, 'crreject01'),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'eastus' }],
      },
      // A create here takes three seconds of the sandbox's clock: at least six polls at most 0.5 s apart.
      { id: id(RG, 'crslow01'), location: 'westeurope', sku: 'Premium', sizeGiB: 1000 },
      { id: id(RG, 'crfail01'), location: 'westeurope', sku: 'Premium', replicas: [{ location: 'eastus' }] },
      {
        id: id(RG, 'crsecure02'),
        location: 'westeurope',
        sku: 'Premium',
        tags: { 'replica-heal-policy': 'report' },
        privateEndpoints: [
          `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-secure02`,
        ],
      },
    ],
    // Generations of two polls each: a long apply goes on as new, carrying its plan and progress.
    { env: { POLLS_PER_GENERATION: '2' } },
  );
});

afterAll(async () => {
  await app?.stop();
});

const set = (registry: string): string =>
  `/api/registries/${app.subscriptionId}/${RG}/${registry}/desired-replicas`;
const names = async (registry: string): Promise<string[]> =>
  (await app.api(`/api/registries/${app.subscriptionId}/${RG}/${registry}/replicas`))
    .json<{ value: { name: string }[] }>()
    .value.map((r) => r.name)
    .sort();

async function declare(registry: string, body: unknown): Promise<void> {
  const answer = await app.api(set(registry), { method: 'PUT', body });
  expect(answer.status).toBe(201);
}

type Summary = { outcome: string; steps: { kind: string; outcome: string; reason?: string }[] };

async function applied(registry: string, decide?: boolean): Promise<Summary> {
  const accepted = await app.api(`${set(registry)}/apply`, { method: 'POST' });
  expect(accepted.status).toBe(202);
  const location = accepted.headers.get('location')!;
  if (decide !== undefined) {
    await eventually(
      'the apply to wait for an approval',
      async () =>
        (await app.api(location)).json<{ phase?: string }>().phase === 'awaiting-approval' ? true : undefined,
      60_000,
    );
    const answer = await app.api(`${location}/approval`, { method: 'POST', body: { approved: decide } });
    expect(answer.status).toBe(202);
  }
  const done: OperationView = await app.waitForOperation(location, 60_000);
  expect(done.runtimeStatus).toBe('Completed');
  return done.result as unknown as Summary;
}

test('a rejected approval leaves the replica it would have deleted as it was', async () => {
  await declare('crreject01', { replicas: [{ location: 'westeurope' }] });

  const summary = await applied('crreject01', false);

  expect(summary).toMatchObject({ outcome: 'not-applied', steps: [{ kind: 'delete', outcome: 'rejected' }] });
  expect(summary.steps[0]!.reason).toMatch(/^rejected by function key holder/);
  expect(await names('crreject01')).toEqual(['eastus', 'westeurope']);
});

test('when a create fails, deletes the declaration allows are skipped rather than leave the registry short', async () => {
  await declare('crfail01', {
    replicas: [{ location: 'westeurope' }, { location: 'northeurope' }],
    allowDeletes: true,
  });
  const fault = await app.sandbox.admin.call('POST', '/faults', {
    kind: 'replicationFailure',
    registryId: app.registryId(RG, 'crfail01'),
    location: 'northeurope',
    count: 1,
    errorMessage: 'capacity exhausted in region',
  });
  expect(fault.status).toBe(201);

  const summary = await applied('crfail01');

  expect(summary.outcome).toBe('not-applied');
  expect(summary.steps.map((s) => `${s.kind}:${s.outcome}`)).toEqual(['create:failed', 'delete:skipped']);
  expect(summary.steps[1]!.reason).toMatch(/deletes never go before the replicas meant to take over/);
  expect(await names('crfail01')).toContain('eastus');
});

test('a create the registry’s policy may not keep from getting stuck is blocked, and nothing is written', async () => {
  await declare('crsecure02', { replicas: [{ location: 'westeurope' }, { location: 'eastus' }] });
  const plan = (await app.api(`${set('crsecure02')}/plan`)).json<{
    steps: { kind: string; blocked?: string }[];
  }>();
  expect(plan.steps[0]).toMatchObject({ kind: 'create' });
  expect(plan.steps[0]!.blocked).toMatch(/heal policy \(report\) does not let the app grant it/);
  await app.sandbox.admin.call('DELETE', '/requests');

  const summary = await applied('crsecure02');

  expect(summary).toMatchObject({ outcome: 'not-applied', steps: [{ kind: 'create', outcome: 'blocked' }] });
  const log = await app.sandbox.admin.requests(app.subscriptionId);
  expect(log.requests.filter((r) => r.method !== 'GET' && r.method !== 'POST')).toEqual([]);
  expect(await names('crsecure02')).toEqual(['westeurope']);
});

test('an apply that outlasts a generation goes on as new and still ends with every step accounted for', async () => {
  await declare('crslow01', { replicas: [{ location: 'westeurope' }, { location: 'eastus' }] });

  const accepted = await app.api(`${set('crslow01')}/apply`, { method: 'POST' });
  const done = await app.waitForOperation(accepted.headers.get('location')!, 60_000);

  expect(done).toMatchObject({ runtimeStatus: 'Completed', result: { outcome: 'applied' } });
  expect((done as unknown as { generation: number }).generation).toBeGreaterThanOrEqual(1);
  expect(await names('crslow01')).toEqual(['eastus', 'westeurope']);
});

test.each<[string, string, string, unknown, Record<string, string>]>([
  ['a JSON null', 'PUT', '', 'null', {}],
  ['a list', 'PUT', '', '[]', {}],
  ['a string', 'PUT', '', '"westeurope"', {}],
  ['a number past float range', 'PUT', '', '{"replicas": 1e999}', {}],
  ['deep nesting', 'PUT', '', `{"replicas": ${'['.repeat(500)}${']'.repeat(500)}}`, {}],
  ['a prototype-polluting field', 'PUT', '', '{"__proto__": {"admin": true}, "replicas": []}', {}],
  ['tags that are not strings', 'PUT', '', { replicas: [{ location: 'eastus', tags: { a: 1 } }] }, {}],
  ['a region full of control characters', 'PUT', '', { replicas: [{ location: 'east\u0000us' }] }, {}],
  ['a malformed If-Match', 'PUT', '', { replicas: [] }, { 'if-match': '\u00ff"' }],
  ['If-None-Match with a tag', 'DELETE', '', undefined, { 'if-none-match': '"v1"' }],
  ['a repeated dryRun', 'POST', '/apply?dryRun=true&dryRun=false', undefined, {}],
  ['an unknown parameter on a read', 'GET', '?expand=all', undefined, {}],
  ['an import with a declaration in it', 'POST', '/import', { replicas: [] }, {}],
  ['an import with a body that is not JSON', 'POST', '/import', '{', {}],
])('no 5xx for %s, and a problem that says why', async (_name, method, suffix, body, headers) => {
  const answer = await app.api(`${set('crreject01')}${suffix}`, {
    method,
    ...(body === undefined ? {} : { body }),
    headers,
  });
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
});
