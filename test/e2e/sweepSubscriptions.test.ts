// ARM's budget is per subscription, so a sweep whose scope holds several subscriptions scans them side by
// side: each has its own window of HEAL_PARALLELISM batches, and each gets one list per registry. A
// subscription the app may not read is tried a few times and reported; it never holds the others up.
import { randomUUID } from 'node:crypto';

import { EventType } from '@acr-replica-guard/devhost';
import type { HistoryEvent } from '@acr-replica-guard/devhost';
import { SWEEP_INSTANCE_ID } from '../../src/domain';
import type { SweepSummary } from '../../src/domain';
import { APP_IDENTITY } from '../support/appFleet';
import { LOCATIONS, startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const PER_SUBSCRIPTION = 40;
const second = randomUUID();
/** In the scope, but the app holds no role there. */
const unreadable = randomUUID();
const registriesOf = (subscriptionId: string): { id: string; location: string; sku: 'Premium' }[] =>
  Array.from({ length: PER_SUBSCRIPTION }, (_, n) => ({
    id: `/subscriptions/${subscriptionId}/resourceGroups/rg-side/providers/Microsoft.ContainerRegistry/registries/crside${String(n).padStart(4, '0')}`,
    location: 'westeurope',
    sku: 'Premium',
  }));

let app: AppHarness;

beforeAll(async () => {
  app = await startApp((_id, subscriptionId) => registriesOf(subscriptionId), {
    env: (subscriptionId) => ({
      REGISTRY_SCOPE: `${subscriptionId},${second},${unreadable}`,
      HEAL_PARALLELISM: '2',
      DEVHOST_KEEP_PAST_EXECUTIONS: 'true',
    }),
    seed: () => ({
      subscriptions: [
        { subscriptionId: second, locations: LOCATIONS },
        { subscriptionId: unreadable, locations: LOCATIONS },
      ],
      roleDefinitions: [
        {
          roleName: `Registry reader ${second}`,
          permissions: [{ actions: ['Microsoft.ContainerRegistry/*', '*/read'] }],
          assignableScopes: [`/subscriptions/${second}`],
        },
      ],
      roleAssignments: [
        {
          principalId: APP_IDENTITY.objectId,
          role: `Registry reader ${second}`,
          scope: `/subscriptions/${second}`,
        },
      ],
      registries: [...registriesOf(second), ...registriesOf(unreadable)],
    }),
  });
});

afterAll(async () => {
  await app?.stop();
});

test('two subscriptions are scanned side by side, each with its own window and one list per registry; a third the app may not read is reported', async () => {
  expect((await app.api('/api/heal?dryRun=true', { method: 'POST' })).status).toBe(202);
  let view: { runtimeStatus: string; result?: SweepSummary };
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    view = (await app.api(`/api/operations/${SWEEP_INSTANCE_ID}`)).json();
  } while (!['Completed', 'Failed', 'Terminated'].includes(view.runtimeStatus));

  expect(view.result).toMatchObject({
    registries: 2 * PER_SUBSCRIPTION,
    registriesScanned: 2 * PER_SUBSCRIPTION,
  });
  for (const subscriptionId of [app.subscriptionId, second]) {
    const log = await app.sandbox.admin.requests(subscriptionId);
    expect(log.counts['Replications_List 200']).toBe(PER_SUBSCRIPTION);
  }

  // Slots of the windows held at once, by subscription: two each (HEAL_PARALLELISM), four together.
  const executions = (await app.api(`/devhost/instances/${SWEEP_INSTANCE_ID}/history?executions=all`)).json<
    HistoryEvent[][]
  >();
  let most = 0;
  for (const history of executions) {
    const running = new Map<number, { subscriptionId: string; slots: number }>();
    const held = (subscriptionId?: string): number =>
      [...running.values()]
        .filter((scan) => subscriptionId === undefined || scan.subscriptionId === subscriptionId)
        .reduce((sum, scan) => sum + scan.slots, 0);
    for (const event of history) {
      if (event.EventType === EventType.TaskScheduled && event.Name === 'sweepScanRegistries') {
        const { subscriptionId, slots = 1 } = JSON.parse(event.Input ?? '{}') as {
          subscriptionId: string;
          slots?: number;
        };
        running.set(event.EventId, { subscriptionId, slots });
        most = Math.max(most, held());
        for (const subscriptionId of [app.subscriptionId, second]) {
          expect(held(subscriptionId)).toBeLessThanOrEqual(2);
        }
      }
      if (event.EventType === EventType.TaskCompleted) running.delete(event.TaskScheduledId);
    }
  }
  expect(most).toBe(4);
});
