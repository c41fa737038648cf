// ARM's throttling since 2024 (learn.microsoft.com/azure/azure-resource-manager/management/
// request-limits-and-throttling, "Understand how Azure Resource Manager throttles requests"): a token
// bucket per principal, subscription (or tenant) and region, for reads (250, refilled by 25 a second),
// writes (200, 10 a second) and deletes (200, 10 a second); an empty bucket answers 429 with Retry-After,
// and every answer carries x-ms-ratelimit-remaining-subscription-reads (-writes, -deletes).
import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { startTestSandbox } from '../testing';
import { STILL_CLOCK, advanceClock } from './armFetch';

const SUB_ID = '3f000000-0000-4000-8000-00000000c001';
const OTHER_SUB_ID = '3f000000-0000-4000-8000-00000000c002';
const SUB = `/subscriptions/${SUB_ID}`;
const APP = '3f000000-0000-4000-8000-00000000c0a1';
const USER = '3f000000-0000-4000-8000-00000000c0b1';
const REGISTRY = `${SUB}/resourceGroups/rg-budget/providers/Microsoft.ContainerRegistry/registries/crbudget01`;
const OTHER_REGISTRY = `/subscriptions/${OTHER_SUB_ID}/resourceGroups/rg-budget/providers/Microsoft.ContainerRegistry/registries/crbudget02`;
const V = 'api-version=2025-11-01';

const seed: SeedDocument = {
  principals: [
    { objectId: APP, appId: APP, displayName: 'app' },
    { objectId: USER, appId: USER, displayName: 'user' },
  ],
  subscriptions: [
    { subscriptionId: SUB_ID, locations: ['westeurope', 'eastus', 'northeurope'] },
    { subscriptionId: OTHER_SUB_ID, locations: ['westeurope'] },
  ],
  roleAssignments: [
    { principalId: APP, role: 'Owner', scope: SUB },
    { principalId: APP, role: 'Owner', scope: `/subscriptions/${OTHER_SUB_ID}` },
    { principalId: USER, role: 'Owner', scope: SUB },
  ],
  registries: [
    { id: REGISTRY, location: 'westeurope', sku: 'Premium', replicas: [{ location: 'eastus' }] },
    { id: OTHER_REGISTRY, location: 'westeurope', sku: 'Premium' },
  ],
};

interface ArmBody {
  error?: { code: string; message: string };
}

let sandbox: TestSandbox;
const tokens = new Map<string, string>();

beforeAll(async () => {
  // A still clock: no bucket refills unless the test moves time on.
  sandbox = await startTestSandbox(seed, { speed: STILL_CLOCK });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await sandbox.admin.call('POST', '/reset', {});
  await sandbox.admin.call('POST', '/settings', { throttling: true });
});

async function call(
  principalId: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: ArmBody }> {
  let token = tokens.get(principalId);
  if (token === undefined) {
    token = (await sandbox.admin.call<{ accessToken: string }>('POST', '/token', { objectId: principalId }))
      .body.accessToken;
    tokens.set(principalId, token);
  }
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as ArmBody),
  };
}

const getRegistry = (principalId: string, id = REGISTRY): ReturnType<typeof call> =>
  call(principalId, 'GET', `${id}?${V}`);

/** Sends `count` reads one after another and returns their statuses. */
async function reads(principalId: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) statuses.push((await getRegistry(principalId)).status);
  return statuses;
}

describe('every answer says what the caller may still send', () => {
  test('reads count down from 249 in x-ms-ratelimit-remaining-subscription-reads', async () => {
    const first = await getRegistry(APP);
    const second = await getRegistry(APP);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('249');
    expect(second.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('248');
    expect(first.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toBeNull();
  });

  test('writes and deletes have buckets of their own, with their own headers', async () => {
    await getRegistry(APP);
    const put = await call(APP, 'PUT', `${REGISTRY}/replications/northeurope?${V}`, {
      location: 'northeurope',
    });
    const del = await call(APP, 'DELETE', `${REGISTRY}/replications/eastus?${V}`);
    expect(put.status).toBe(201);
    expect(put.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toBe('199');
    expect(put.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBeNull();
    expect(del.status).toBe(202);
    expect(del.headers.get('x-ms-ratelimit-remaining-subscription-deletes')).toBe('199');
  });

  test('requests without a subscription draw on the tenant budget', async () => {
    const answer = await call(APP, 'GET', '/subscriptions?api-version=2022-12-01');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-ms-ratelimit-remaining-tenant-reads')).toBe('249');
    expect(answer.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBeNull();
  });

  test('a refused or failed request still costs a token; an unauthenticated one does not', async () => {
    const missing = await call(
      APP,
      'GET',
      `${SUB}/resourceGroups/rg-budget/providers/Microsoft.ContainerRegistry/registries/crnothere?${V}`,
    );
    const anonymous = await fetch(`${sandbox.url}${REGISTRY}?${V}`);
    const next = await getRegistry(APP);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('249');
    expect(anonymous.status).toBe(401);
    expect(next.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('248');
  });
});

describe('an empty bucket answers 429 until it refills', () => {
  test('the 251st read in a second is refused with Retry-After and SubscriptionRequestsThrottled', async () => {
    const statuses = await reads(APP, 250);
    const refused = await getRegistry(APP);

    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe('SubscriptionRequestsThrottled');
    expect(refused.body.error?.message).toContain(`subscription '${SUB_ID}'`);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('0');
    const log = await sandbox.admin.requests(SUB_ID);
    expect(log.counts['Registries_Get 429']).toBe(1);
  });

  test('each virtual second brings 25 more reads, never more than the burst', async () => {
    await reads(APP, 250);
    await advanceClock(sandbox, 1);
    const afterOne = await reads(APP, 26);
    await advanceClock(sandbox, 3600);
    const afterAnHour = await reads(APP, 251);

    expect(afterOne.filter((s) => s === 200)).toHaveLength(25);
    expect(afterOne.at(-1)).toBe(429);
    expect(afterAnHour.filter((s) => s === 200)).toHaveLength(250);
    expect(afterAnHour.at(-1)).toBe(429);
  });

  test('the budget is per principal and per subscription, and reads do not spend writes', async () => {
    await reads(APP, 250);
    expect((await getRegistry(APP)).status).toBe(429);

    expect((await getRegistry(USER)).status).toBe(200);
    expect((await getRegistry(APP, OTHER_REGISTRY)).status).toBe(200);
    const put = await call(APP, 'PUT', `${REGISTRY}/replications/northeurope?${V}`, {
      location: 'northeurope',
    });
    expect(put.status).toBe(201);
  });

  test('Retry-After is the wall-clock wait until the next refill, at the clock speed', async () => {
    await reads(APP, 250);
    const refused = await getRegistry(APP);
    // At the still clock's speed (0.001), the virtual second the bucket waits for lasts 1,000 wall seconds.
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(900);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(1000);
  });
});

describe('switching throttling off (unit tests that need unlimited requests)', () => {
  test('no budget headers and no 429s', async () => {
    const settings = await sandbox.admin.call<{ throttling: boolean }>('POST', '/settings', {
      throttling: false,
    });
    const statuses = await reads(APP, 260);
    const last = await getRegistry(APP);

    expect(settings.body.throttling).toBe(false);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(last.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBeNull();
  });
});
