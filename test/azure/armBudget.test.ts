// The budget's bound on waiting, against the launcher's ARM sandbox with the app's own clients: work that
// may wait only so long is told to rest, without a request, when ARM's Retry-After (or the bucket) would
// keep it longer, while a short Retry-After is still waited out by the client's own retries.
import { ArmBudget, BudgetRestNeeded } from '../../src/azure/armBudget';
import { ArmClients, armClients } from '../../src/azure/armClients';
import { ReplicaGateway } from '../../src/azure/replicas';
import { SWEEP_READ_RESERVE, SWEEP_READ_WAIT_MS, parseRegistryId } from '../../src/domain';
import { launcherSandbox, seedFleet } from '../support/appFleet';

async function fleetWithOneRegistry(): Promise<{ subscriptionId: string; registryId: string }> {
  let registryId = '';
  const fleet = await seedFleet((f) => {
    registryId = f.registryId('rg-budget', 'crbudget01');
    return [{ id: registryId, location: 'westeurope', sku: 'Premium' }];
  });
  return { subscriptionId: fleet.subscriptionId, registryId };
}

/** Every request ARM answers for the subscription from now on is a 429 with this Retry-After. */
async function throttleAll(subscriptionId: string, retryAfterSeconds: number): Promise<void> {
  const answer = await launcherSandbox().call('POST', '/faults', {
    kind: 'throttle',
    retryAfterSeconds,
    match: { subscriptionId },
  });
  expect(answer.status).toBe(201);
}

const requestsTo = async (subscriptionId: string): Promise<number[]> =>
  (await launcherSandbox().requests(subscriptionId)).requests.map((r) => r.status);

function gatewayWith(budget: ArmBudget): ReplicaGateway {
  const shared = armClients();
  return new ReplicaGateway(new ArmClients(shared.credential, shared.endpoint, budget));
}

test('a 429 asking for longer than the work may wait stops the work at once, and later reads rest without a request', async () => {
  const { subscriptionId, registryId } = await fleetWithOneRegistry();
  await throttleAll(subscriptionId, 3);
  const budget = new ArmBudget();
  const gateway = gatewayWith(budget);
  const read = (): Promise<unknown> =>
    budget.paced(
      subscriptionId,
      SWEEP_READ_RESERVE,
      () => gateway.listReplicas(parseRegistryId(registryId)),
      SWEEP_READ_WAIT_MS,
    );

  const first = budget.measure(subscriptionId, read, SWEEP_READ_WAIT_MS);
  await expect(first).rejects.toBeInstanceOf(BudgetRestNeeded);
  await expect(first).rejects.toMatchObject({ restMs: 3000 });
  // One request: the client did not wait the Retry-After out.
  expect(await requestsTo(subscriptionId)).toEqual([429]);

  // The next read of the subscription rests for what is left of the Retry-After, and sends nothing.
  const second = budget.measure(subscriptionId, read, SWEEP_READ_WAIT_MS);
  await expect(second).rejects.toBeInstanceOf(BudgetRestNeeded);
  const rest = await second.catch((error: unknown) => (error as BudgetRestNeeded).restMs);
  expect(rest).toBeGreaterThan(SWEEP_READ_WAIT_MS);
  expect(rest).toBeLessThanOrEqual(3000);
  expect(await requestsTo(subscriptionId)).toEqual([429]);
});

test("a short Retry-After is still waited out by the client's own retries", async () => {
  const { subscriptionId, registryId } = await fleetWithOneRegistry();
  const answer = await launcherSandbox().call('POST', '/faults', {
    kind: 'throttle',
    retryAfterSeconds: 0,
    count: 2,
    match: { subscriptionId },
  });
  expect(answer.status).toBe(201);
  const budget = new ArmBudget();
  const gateway = gatewayWith(budget);

  const { value, budget: report } = await budget.measure(
    subscriptionId,
    () => gateway.listReplicas(parseRegistryId(registryId)),
    SWEEP_READ_WAIT_MS,
  );
  expect(value.map((r) => r.location)).toEqual(['westeurope']);
  expect(report.throttled).toBe(2);
  expect(await requestsTo(subscriptionId)).toEqual([429, 429, 200]);
});

test('a read that would wait longer than allowed for the bucket to refill rests instead', async () => {
  const { subscriptionId, registryId } = await fleetWithOneRegistry();
  let now = Date.now();
  const budget = new ArmBudget(() => now);
  const gateway = gatewayWith(budget);
  const list = (): Promise<unknown> => gateway.listReplicas(parseRegistryId(registryId));
  // The app's own reads (unpaced) take the bucket down until ARM says fewer than 40 are left.
  const reserve = 100;
  let remaining = Number.POSITIVE_INFINITY;
  while (remaining >= 40) {
    const { budget: report } = await budget.measure(subscriptionId, () =>
      Promise.all(Array.from({ length: 10 }, list)),
    );
    remaining = report.remainingReads ?? remaining;
  }
  const sent = (await requestsTo(subscriptionId)).length;

  // Keeping 100 in the bucket would take more than two seconds of ARM's refill of 25 a second.
  const read = budget.paced(subscriptionId, reserve, list, SWEEP_READ_WAIT_MS);
  await expect(read).rejects.toBeInstanceOf(BudgetRestNeeded);
  await expect(read).rejects.toMatchObject({ restMs: Math.ceil(((reserve + 1 - remaining) * 1000) / 25) });
  expect(await requestsTo(subscriptionId)).toHaveLength(sent);

  // Once the refill can be expected to have made up the difference, the read goes without a wait.
  now += 3000;
  await budget.paced(subscriptionId, reserve, list, SWEEP_READ_WAIT_MS);
  expect(await requestsTo(subscriptionId)).toHaveLength(sent + 1);
});
