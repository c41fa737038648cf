// ARM throttles (429 with Retry-After) and fails transiently (500, 503) in real life. With the sandbox
// injecting such faults into the calls a replica operation makes, create, update and delete still
// succeed, ARM receives each change once, and the audit trail records each step once, as without faults.
// The sandbox's clock barely moves on its own: ARM's operations end when the test moves it, once the
// orchestration's polls have met every fault meant for them.
import type { FaultRule } from '@acr-replica-guard/sandbox';
import { eventually } from '@acr-replica-guard/devhost/testing';
import { startApp } from './appHarness';
import type { AppHarness, OperationView } from './appHarness';

const RG = 'rg-faults';
type Kind = 'create' | 'update' | 'delete';

/** More than any replica operation here takes (a create of an empty registry takes 20 s). */
const OPERATION_SECONDS = 60;

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id) => [
      { id: id(RG, 'crcalm01'), location: 'westeurope', sku: 'Premium' },
      { id: id(RG, 'crstorm01'), location: 'westeurope', sku: 'Premium' },
    ],
    // A thousand times slower than Azure: no operation ends before the test moves the clock.
    { sandbox: { speed: 0.001 } },
  );
});

afterAll(async () => {
  await app?.stop();
});

const replicas = (registry: string): string =>
  `/api/registries/${app.subscriptionId}/${RG}/${registry}/replicas`;

const REQUESTS: Record<Kind, (registry: string) => { method: string; path: string; body?: unknown }> = {
  create: (registry) => ({
    method: 'POST',
    path: replicas(registry),
    body: { location: 'northeurope', tags: { team: 'platform' } },
  }),
  update: (registry) => ({
    method: 'PATCH',
    path: `${replicas(registry)}/northeurope`,
    body: { regionEndpointEnabled: false, tags: { tier: 'gold' } },
  }),
  delete: (registry) => ({ method: 'DELETE', path: `${replicas(registry)}/northeurope` }),
};

type Fault = Pick<FaultRule, 'kind' | 'status' | 'retryAfterSeconds'>;
const THROTTLE: Fault = { kind: 'throttle', retryAfterSeconds: 1 };
const THROTTLE_NOW: Fault = { kind: 'throttle', retryAfterSeconds: 0 };
const UNAVAILABLE: Fault = { kind: 'error', status: 503, retryAfterSeconds: 0 };
const SERVER_ERROR: Fault = { kind: 'error', status: 500 };

/** The next `count` calls of `operation` in the test's subscription fail with `fault`. */
const nextCalls = (operation: string, count: number, fault: Fault): FaultRule => ({
  ...fault,
  count,
  match: { subscriptionId: app.subscriptionId, operation },
});
/** A share of the calls of `operation` fail with `fault`, at random (for calls the app is not meant to make). */
const someCalls = (operation: string, rate: number, fault: Fault): FaultRule => ({
  ...fault,
  rate,
  match: { subscriptionId: app.subscriptionId, operation },
});

// Faults for the request and the start of ARM's operation. Per call at most three in a row (a 500 first,
// whose backoff is shortest then): the SDK's three retries absorb them even in the HTTP trigger, which
// has no retries of its own.
const NEXT_FAULTS: Record<Kind, () => FaultRule[]> = {
  create: () => [
    nextCalls('Registries_Get', 1, THROTTLE),
    nextCalls('Replications_Get', 2, UNAVAILABLE),
    nextCalls('Subscriptions_ListLocations', 1, SERVER_ERROR),
    nextCalls('Replications_Create', 1, THROTTLE),
    nextCalls('Replications_Create', 1, UNAVAILABLE),
  ],
  update: () => [
    nextCalls('Registries_Get', 1, UNAVAILABLE),
    nextCalls('Replications_Update', 1, SERVER_ERROR),
    nextCalls('Replications_Update', 2, UNAVAILABLE),
  ],
  delete: () => [
    nextCalls('Replications_Get', 2, THROTTLE_NOW),
    nextCalls('Replications_Delete', 1, SERVER_ERROR),
    nextCalls('Replications_Delete', 1, THROTTLE),
  ],
};

// Faults while the orchestration polls: its reads run in activities with Durable retries, which take over
// should the SDK's retries run out. The app watches the replica itself rather than ARM's operation URLs;
// those get faults as well, so a client that starts polling them meets them too.
const POLLING_FAULTS = (): FaultRule[] => [
  nextCalls('Replications_Get', 2, THROTTLE_NOW),
  nextCalls('Replications_Get', 1, UNAVAILABLE),
  someCalls('Replications_GetOperationStatus', 0.5, UNAVAILABLE),
  someCalls('Replications_GetOperationResult', 0.5, SERVER_ERROR),
];

type Installed = Pick<FaultRule, 'id' | 'count'>;

async function installFaults(rules: FaultRule[]): Promise<Installed[]> {
  if (rules.length === 0) return [];
  const answer = await app.sandbox.admin.call<{ rules: Installed[] }>('POST', '/faults', rules);
  expect(answer.status).toBe(201);
  return answer.body.rules;
}

async function removeFaults(rules: Installed[]): Promise<void> {
  for (const rule of rules) await app.sandbox.admin.call('DELETE', `/faults/${rule.id!}`);
}

/** Waits until every counted rule has been used up (the sandbox then drops it). */
async function usedUp(rules: Installed[]): Promise<void> {
  const counted = new Set(rules.filter((rule) => rule.count !== undefined).map((rule) => rule.id));
  await eventually('the injected faults to be met', async () => {
    const { body } = await app.sandbox.admin.call<{ rules: Installed[] }>('GET', '/faults');
    return body.rules.some((rule) => counted.has(rule.id)) ? undefined : true;
  });
}

/** What the sandbox logs when it accepts a write of each kind. */
const ACCEPTED: Record<Kind, string> = {
  create: 'Replications_Create 201',
  update: 'Replications_Update 201',
  delete: 'Replications_Delete 202',
};

async function acceptedWrites(kind: Kind): Promise<number> {
  return (await app.sandbox.admin.requests(app.subscriptionId)).counts[ACCEPTED[kind]] ?? 0;
}

interface Outcome {
  done: OperationView;
  steps: string[];
}

async function runOperation(
  kind: Kind,
  registry: string,
  faults: { next: FaultRule[]; polling: FaultRule[] },
): Promise<Outcome> {
  await installFaults(faults.next);
  const writesBefore = await acceptedWrites(kind);
  const { method, path, body } = REQUESTS[kind](registry);
  const accepted = await app.api(path, { method, ...(body === undefined ? {} : { body }) });
  expect(accepted.status).toBe(202);
  // ARM has the operation now, and it will not end until the clock moves: every poll fault is met.
  await eventually(`ARM to accept the ${kind}`, async () =>
    (await acceptedWrites(kind)) > writesBefore ? true : undefined,
  );
  const polling = await installFaults(faults.polling);
  try {
    await usedUp(polling);
    const moved = await app.sandbox.admin.call('POST', '/clock', { advanceSeconds: OPERATION_SECONDS });
    expect(moved.status).toBe(200);
    const done = await app.waitForOperation(accepted.headers.get('location')!);
    const trail = await app.audit.listByInstance(app.registryId(RG, registry), done.operationId);
    // One instance id serves every operation on the replica; this operation's entries are the latest run.
    const requestedAt = trail.filter((e) => e.step === 'requested').at(-1)!.time;
    const steps = trail.filter((e) => e.time >= requestedAt).map((e) => `${e.step}:${e.outcome}`);
    return { done, steps };
  } finally {
    await removeFaults(polling);
  }
}

/** Steps every run of an operation records; state-* entries depend on what each poll happened to see. */
const skeleton = (steps: string[]): string[] => steps.filter((step) => !step.startsWith('state-'));
const duplicates = (steps: string[]): string[] => steps.filter((step, i) => steps.indexOf(step) !== i);

const calm = new Map<Kind, string[]>();
const KINDS: Kind[] = ['create', 'update', 'delete'];

describe('without faults', () => {
  test.each(KINDS)('%s succeeds', async (kind) => {
    const { done, steps } = await runOperation(kind, 'crcalm01', { next: [], polling: [] });

    expect(done).toMatchObject({ runtimeStatus: 'Completed', result: { outcome: 'succeeded' } });
    expect(duplicates(steps)).toEqual([]);
    calm.set(kind, skeleton(steps));
  });
});

describe('with ARM throttling and failing now and then', () => {
  test.each(KINDS)('%s still succeeds, with the audit trail of a calm run', async (kind) => {
    const { done, steps } = await runOperation(kind, 'crstorm01', {
      next: NEXT_FAULTS[kind](),
      polling: POLLING_FAULTS(),
    });

    expect(done).toMatchObject({
      runtimeStatus: 'Completed',
      phase: 'succeeded',
      result: { outcome: 'succeeded' },
    });
    expect(duplicates(steps)).toEqual([]);
    expect(skeleton(steps)).toEqual(calm.get(kind));
    expect((await app.audit.verify(app.registryId(RG, 'crstorm01'))).intact).toBe(true);
  });

  test('after the delete only the home replica is left', async () => {
    const list = (await app.api(replicas('crstorm01'))).json<{ value: { name: string }[] }>();
    expect(list.value.map((r) => r.name)).toEqual(['westeurope']);
  });

  test('the faults were injected, and each change reached ARM exactly once', async () => {
    const { counts } = await app.sandbox.admin.requests(app.subscriptionId);

    // Reads: two before the create and two before the delete, then three while each operation polled.
    expect(counts).toMatchObject({
      'Replications_Get 429': 2 + 3 * 2,
      'Replications_Get 503': 2 + 3 * 1,
      'Registries_Get 429': 1,
      'Subscriptions_ListLocations 500': 1,
      'Replications_Create 429': 1,
      'Replications_Create 503': 1,
      'Registries_Get 503': 1,
      'Replications_Update 500': 1,
      'Replications_Update 503': 2,
      'Replications_Delete 500': 1,
      'Replications_Delete 429': 1,
    });
    // Two accepted writes of each kind: one by the calm run, one by the faulted one.
    expect(counts['Replications_Create 201']).toBe(2);
    expect(counts['Replications_Update 201']).toBe(2);
    expect(counts['Replications_Delete 202']).toBe(2);
  });
});
