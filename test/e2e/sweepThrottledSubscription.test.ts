// A subscription that ARM throttles for a long time never holds the sweep's other subscriptions up: no
// scan waits for a long Retry-After, so the throttled subscription rests (nothing of it is dispatched until
// ARM's Retry-After has passed, then one narrow batch tries again) while the other is scanned to its end.
// Once ARM lets it through again, what it had not scanned is scanned, and every registry is scanned
// exactly once. ARM answers the throttled subscription's requests 429 with a Retry-After longer than a
// sweep's read may wait, for as long as the test keeps the fault: the outcome does not depend on how fast
// the machine is, only on what ARM answers.
import { randomUUID } from 'node:crypto';

import { SWEEP_INSTANCE_ID } from '../../src/domain';
import type { SweepSummary } from '../../src/domain';
import { APP_IDENTITY } from '../support/appFleet';
import { PATIENCE_MS } from '../support/patience';
import { LOCATIONS, replicaListsByRegistry, startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const PER_SUBSCRIPTION = 40;
/** Longer than a sweep's read may wait for ARM's budget (two seconds): the subscription rests instead. */
const RETRY_AFTER_SECONDS = 3;
const throttled = randomUUID();
const name = (n: number): string => `crthr${String(n).padStart(4, '0')}`;
const registriesOf = (subscriptionId: string): { id: string; location: string; sku: 'Premium' }[] =>
  Array.from({ length: PER_SUBSCRIPTION }, (_, n) => ({
    id: `/subscriptions/${subscriptionId}/resourceGroups/rg-thr/providers/Microsoft.ContainerRegistry/registries/${name(n)}`,
    location: 'westeurope',
    sku: 'Premium',
  }));

/**
 * A sweep still under way: running, or between two of its generations (the host shows ContinuedAsNew
 * from one execution's end to the next one's start).
 */
const UNDER_WAY = ['Running', 'ContinuedAsNew'];

let app: AppHarness;

beforeAll(async () => {
  app = await startApp((_id, subscriptionId) => registriesOf(subscriptionId), {
    env: (subscriptionId) => ({ REGISTRY_SCOPE: `${subscriptionId},${throttled}`, HEAL_PARALLELISM: '2' }),
    seed: () => ({
      subscriptions: [{ subscriptionId: throttled, locations: LOCATIONS }],
      roleDefinitions: [
        {
          roleName: `Registry reader ${throttled}`,
          permissions: [{ actions: ['Microsoft.ContainerRegistry/*', '*/read'] }],
          assignableScopes: [`/subscriptions/${throttled}`],
        },
      ],
      roleAssignments: [
        {
          principalId: APP_IDENTITY.objectId,
          role: `Registry reader ${throttled}`,
          scope: `/subscriptions/${throttled}`,
        },
      ],
      registries: registriesOf(throttled),
    }),
  });
});

afterAll(async () => {
  await app?.stop();
});

interface SweepStatus {
  runtimeStatus: string;
  requestedAt?: string;
  phase?: string;
  registries?: number;
  registriesScanned?: number;
  scanFailures?: number;
  lanesResting?: number;
  rests?: number;
  throttled?: number;
  result?: SweepSummary;
}

const sweepStatus = async (): Promise<SweepStatus> =>
  (await app.api(`/api/operations/${SWEEP_INSTANCE_ID}`)).json<SweepStatus>();

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const listsByRegistry = (subscriptionId: string): Promise<Map<string, number>> =>
  replicaListsByRegistry(app, subscriptionId);

const everyRegistryOnce = new Map(Array.from({ length: PER_SUBSCRIPTION }, (_, n) => [name(n), 1]));

/** Starts a dry-run sweep once the previous one (if any) has ended, and returns its request time. */
async function startSweep(): Promise<string | undefined> {
  const before = await sweepStatus();
  expect((await app.api('/api/heal?dryRun=true', { method: 'POST' })).status).toBe(202);
  const started = await until(
    'the sweep to start',
    sweepStatus,
    (s) => s.requestedAt !== undefined && s.requestedAt !== before.requestedAt,
  );
  return started.requestedAt;
}

/**
 * ARM lets the throttled subscription through again (the fault rule goes); the sweep then completes with
 * every registry of both subscriptions scanned and none failed.
 */
async function letThroughAndComplete(ruleId: string): Promise<SweepStatus> {
  expect((await app.sandbox.admin.call('DELETE', `/faults/${ruleId}`)).status).toBe(204);
  const done = await until('the sweep to complete', sweepStatus, (s) => s.runtimeStatus === 'Completed');
  expect(done.result).toMatchObject({
    registries: 2 * PER_SUBSCRIPTION,
    registriesScanned: 2 * PER_SUBSCRIPTION,
    scanFailures: 0,
  });
  return done;
}

test('a subscription ARM throttles from the start rests while the other is scanned to its end, and is scanned once ARM lets it through', async () => {
  const fault = await app.sandbox.admin.call<{ rules: { id: string }[] }>('POST', '/faults', {
    kind: 'throttle',
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    match: { subscriptionId: throttled },
  });
  expect(fault.status).toBe(201);
  await app.sandbox.admin.call('DELETE', '/requests');
  await startSweep();

  // The other subscription is listed and scanned to its end while the throttled one rests.
  const meanwhile = await until(
    'the unthrottled subscription to be scanned while the other rests',
    sweepStatus,
    (s) => s.registriesScanned === PER_SUBSCRIPTION && s.lanesResting === 1,
  );
  expect(meanwhile).toMatchObject({ phase: 'scanning', scanFailures: 0 });
  expect(UNDER_WAY).toContain(meanwhile.runtimeStatus);
  expect(await listsByRegistry(app.subscriptionId)).toEqual(everyRegistryOnce);
  const held = await app.sandbox.admin.requests(throttled);
  expect(held.requests.length).toBeGreaterThan(0);
  expect(held.requests.every((r) => r.status === 429)).toBe(true);
  // Rests, not waits: the throttled subscription was tried again after each Retry-After, not given up.
  await until(
    'a second try of the throttled subscription after its rest',
    async () => (await app.sandbox.admin.requests(throttled)).requests.length,
    (n) => n >= 2,
  );
  expect(UNDER_WAY).toContain((await sweepStatus()).runtimeStatus);

  // ARM lets it through again.
  const done = await letThroughAndComplete(fault.body.rules[0]!.id);
  expect(done.rests).toBeGreaterThanOrEqual(2);
  expect(done.throttled).toBeGreaterThanOrEqual(2);
  expect(done.lanesResting).toBe(0);
  expect(await listsByRegistry(app.subscriptionId)).toEqual(everyRegistryOnce);
  expect(await listsByRegistry(throttled)).toEqual(everyRegistryOnce);
});

test('a batch cut short by a throttled registry puts the rest back: once ARM lets it through, each registry is scanned exactly once', async () => {
  // ARM throttles the replica list of one registry in the middle of the subscription's first batch.
  const cut = name(5);
  const fault = await app.sandbox.admin.call<{ rules: { id: string }[] }>('POST', '/faults', {
    kind: 'throttle',
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    match: { subscriptionId: throttled, operation: 'Replications_List', pathIncludes: `/registries/${cut}/` },
  });
  expect(fault.status).toBe(201);
  await app.sandbox.admin.call('DELETE', '/requests');
  await startSweep();

  const throttledLists = async (): Promise<number> =>
    (await app.sandbox.admin.requests(throttled)).requests.filter((r) => r.status === 429).length;
  // The registry is tried again after a rest (the batch stopped there and put it back), and the other
  // subscription is scanned to its end meanwhile.
  await until('the throttled registry to be tried again after a rest', throttledLists, (n) => n >= 2);
  await until(
    'the unthrottled subscription to be scanned',
    async () => listsByRegistry(app.subscriptionId),
    (lists) => lists.size === PER_SUBSCRIPTION,
  );
  const meanwhile = await sweepStatus();
  expect(UNDER_WAY).toContain(meanwhile.runtimeStatus);
  expect(meanwhile.registriesScanned).toBeLessThan(2 * PER_SUBSCRIPTION);
  // Before the cut, the registries of that batch were scanned once; the cut one not at all.
  const before = await listsByRegistry(throttled);
  expect(before.get(cut)).toBeUndefined();
  for (let n = 0; n < 5; n += 1) expect(before.get(name(n))).toBe(1);

  await letThroughAndComplete(fault.body.rules[0]!.id);
  expect(await listsByRegistry(app.subscriptionId)).toEqual(everyRegistryOnce);
  expect(await listsByRegistry(throttled)).toEqual(everyRegistryOnce);
});
