// A create that outlives its deadline: a very large registry is still syncing to the new replica. The
// operation gives up at its deadline as `stuck`, with the evidence an operator needs, and leaves the
// replica where it is. (The private-endpoint cause of stuck replicas is prevented before the PUT: see
// prevention.test.ts.)
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-large';
const DEADLINE_MINUTES = 0.03;

let app: AppHarness;

beforeAll(async () => {
  // Provisioning time grows with size: at the test sandbox's speed this one takes most of an hour.
  app = await startApp(
    (id) => [{ id: id(RG, 'crlarge01'), location: 'westeurope', sku: 'Premium', sizeGiB: 1_000_000 }],
    { env: { REPLICA_DEADLINE_MINUTES: String(DEADLINE_MINUTES) } },
  );
});

afterAll(async () => {
  await app?.stop();
});

describe('a create that never finishes provisioning', () => {
  test('ends stuck at the deadline with evidence and an audit entry, and leaves the replica in place', async () => {
    const accepted = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crlarge01/replicas`, {
      method: 'POST',
      body: { location: 'northeurope' },
    });
    expect(accepted.status).toBe(202);

    const done = await app.waitForOperation(accepted.headers.get('location')!);

    expect(done).toMatchObject({
      runtimeStatus: 'Completed',
      phase: 'stuck',
      provisioningState: 'Creating',
      result: {
        outcome: 'stuck',
        phase: 'stuck',
        provisioningState: 'Creating',
        evidence: {
          exists: true,
          provisioningState: 'Creating',
          displayStatus: 'Provisioning',
          deadlineMinutes: DEADLINE_MINUTES,
        },
      },
    });
    const evidence = done.result!.evidence!;
    const armStartedAt = Date.parse(String(evidence.armStartedAt));
    expect(Number.isNaN(armStartedAt)).toBe(false);
    expect(evidence.polls).toEqual(expect.any(Number));
    expect(done.result!.reason).toMatch(/Creating/);

    const registry = app.registryId(RG, 'crlarge01');
    const trail = await app.audit.listByInstance(registry, done.operationId);
    expect(trail.map((e) => `${e.step}:${e.outcome}`)).toEqual([
      'received:progress',
      'requested:accepted',
      'preflight:succeeded',
      'arm-started:started',
      'state-Creating:progress',
      'completed:failed',
    ]);
    expect(trail.at(-1)!.detail).toMatchObject({
      stuck: true,
      provisioningState: 'Creating',
      displayStatus: 'Provisioning',
      armStartedAt: evidence.armStartedAt,
      deadlineMinutes: DEADLINE_MINUTES,
    });
    // It gave up only once the deadline had passed, by the orchestration's own clock.
    expect(Date.parse(trail.at(-1)!.time) - armStartedAt).toBeGreaterThan(DEADLINE_MINUTES * 60_000);
    expect((await app.audit.verify(registry)).intact).toBe(true);

    // Healing is not this operation's job: nothing was deleted and the replica is still provisioning.
    const log = await app.sandbox.admin.requests(app.subscriptionId);
    expect(log.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    const list = (await app.api(`/api/registries/${app.subscriptionId}/${RG}/crlarge01/replicas`)).json<{
      value: { name: string; provisioningState: string }[];
    }>();
    expect(list.value.find((r) => r.name === 'northeurope')).toMatchObject({ provisioningState: 'Creating' });
  });
});
