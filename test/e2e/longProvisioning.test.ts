// A replica of a large registry takes many polls to provision. The orchestration starts a new generation
// (continue-as-new) every POLLS_PER_GENERATION polls, or sooner, before its history reaches a hundred
// events, so however long provisioning takes, the history the engine replays stays bounded. The sandbox's clock runs at Azure's pace, so the create cannot finish on
// its own while the test watches; the test moves the clock past its end once it has seen enough polls.
import { EventType } from '@acr-replica-guard/devhost';
import type { HistoryEvent } from '@acr-replica-guard/devhost';
import { startApp } from './appHarness';
import type { AppHarness, OperationView } from './appHarness';

const RG = 'rg-large';
/** Polls one generation makes at most (POLLS_PER_GENERATION's default); the event bound ends it sooner. */
const POLLS_PER_GENERATION = 10;
/** The most history events one execution of a replica operation may hold. */
const EVENTS_PER_GENERATION_BOUND = 100;
/** A poll awaits a timer and a read, four events each (scheduled, completed, and the episode after). */
const EVENTS_PER_POLL = 8;
/** Long enough that one history for the whole wait would have outgrown the bound several times over. */
const POLLS_BEFORE_FINISHING = 6 * POLLS_PER_GENERATION;
const CREATE_SECONDS = 20 + 3 * 2_000;

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id) => [
      // A create of 2 000 GiB takes 20 s + 3 s/GiB × 2 000, well over an hour at speed 1.
      { id: id(RG, 'crlarge01'), location: 'westeurope', sku: 'Premium', sizeGiB: 2_000 },
    ],
    {
      sandbox: { speed: 1 },
      env: { POLL_INITIAL_SECONDS: '0.1', POLL_MAX_SECONDS: '0.1' },
    },
  );
});

afterAll(async () => {
  await app?.stop();
});

interface StatusView extends OperationView {
  polls: number;
  generation: number;
}

describe('a create that needs many polls', () => {
  test('completes Succeeded across several generations, each with a bounded history', async () => {
    const accepted = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crlarge01/replicas`, {
      method: 'POST',
      body: { location: 'northeurope' },
    });
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('location')!;

    const historyOf = async (id: string): Promise<HistoryEvent[]> => {
      const answer = await app.api(`/devhost/instances/${encodeURIComponent(id)}/history`);
      expect(answer.status).toBe(200);
      return answer.json<HistoryEvent[]>();
    };

    const generationsSeen = new Set<number>();
    let longestHistory = 0;
    let finishing = false;
    let done: StatusView;
    for (;;) {
      const view = (await app.api(location)).json<StatusView>();
      if (typeof view.generation === 'number') generationsSeen.add(view.generation);
      longestHistory = Math.max(longestHistory, (await historyOf(view.operationId)).length);
      if (['Completed', 'Failed', 'Terminated'].includes(view.runtimeStatus)) {
        done = view;
        break;
      }
      // Still provisioning, however long this took: only the clock ends it, once the orchestration has
      // polled through several generations and the test has seen a few of them.
      if (!finishing && view.polls >= POLLS_BEFORE_FINISHING && generationsSeen.size > 2) {
        const moved = await app.sandbox.admin.call('POST', '/clock', { advanceSeconds: CREATE_SECONDS });
        expect(moved.status).toBe(200);
        finishing = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(done).toMatchObject({
      runtimeStatus: 'Completed',
      phase: 'succeeded',
      provisioningState: 'Succeeded',
      result: { outcome: 'succeeded' },
    });
    expect(finishing).toBe(true);
    expect(done.polls).toBeGreaterThan(POLLS_BEFORE_FINISHING);
    expect(done.generation).toBeGreaterThanOrEqual(Math.floor((done.polls - 1) / POLLS_PER_GENERATION));
    expect(generationsSeen.size).toBeGreaterThan(2);
    expect([...generationsSeen].some((generation) => generation > 0)).toBe(true);

    // Every generation seen while waiting, and the final one, stayed within one generation's worth.
    const final = await historyOf(done.operationId);
    expect(final.length).toBeLessThanOrEqual(EVENTS_PER_GENERATION_BOUND);
    expect(longestHistory).toBeLessThanOrEqual(EVENTS_PER_GENERATION_BOUND);
    expect(longestHistory).toBeLessThan(EVENTS_PER_POLL * done.polls);
    expect(final.filter((e) => e.EventType === EventType.TimerFired).length).toBeLessThanOrEqual(
      POLLS_PER_GENERATION,
    );
    expect(final.filter((e) => e.EventType === EventType.TimerFired).length).toBeGreaterThan(0);

    const trail = await app.audit.listByInstance(app.registryId(RG, 'crlarge01'), done.operationId);
    expect(trail.map((e) => `${e.step}:${e.outcome}`)).toEqual([
      'received:progress',
      'requested:accepted',
      'preflight:succeeded',
      'arm-started:started',
      'state-Creating:progress',
      'completed:succeeded',
    ]);
    expect((await app.audit.verify(app.registryId(RG, 'crlarge01'))).intact).toBe(true);
  });
});
