// Orchestrations covering each durable action, run by the devhost against Table Storage: outputs, and the
// history sequences the Durable host records for them (the shapes durable-functions' own test histories
// use: OrchestratorStarted/OrchestratorCompleted around each episode, scheduling events numbered in
// scheduling order, retries as TaskFailed + TimerCreated/TimerFired + the next attempt).

import type { DevHostProcess } from '../startDevHost';
import { startDevHost } from '../startDevHost';
import type { HistoryEvent } from '../durable/history';
import { EventType } from '../durable/history';
import {
  call,
  DurableApi,
  eventually,
  fixtureApp,
  storageConnectionString,
  tempDir,
  uniqueHub,
} from '../testing';

let host: DevHostProcess;
let api: DurableApi;

/** A devhost for the fixture app on a task hub of its own, with `env` on top. */
const startFixtureHost = (env: Record<string, string> = {}): Promise<DevHostProcess> =>
  startDevHost({
    appRoot: fixtureApp('durable'),
    env: {
      AzureWebJobsStorage: storageConnectionString(),
      DEVHOST_TEST_HUB: uniqueHub('Orch'),
      DEVHOST_TEST_OUT: tempDir('devhost-orch'),
      DEVHOST_DURABLE_POLL_MS: '50',
      DEVHOST_LOG_LEVEL: 'warn',
      ...env,
    },
  });

beforeAll(async () => {
  // The provider's timer limits: every timer in these tests is a short one.
  host = await startFixtureHost();
  api = new DurableApi(host.url);
});

afterAll(async () => {
  await host?.stop();
});

const MARKERS = ['OrchestratorStarted', 'OrchestratorCompleted'];
const withoutMarkers = (types: string[]): string[] => types.filter((t) => !MARKERS.includes(t));
const ofType = (history: HistoryEvent[], type: EventType): HistoryEvent[] =>
  history.filter((e) => e.EventType === type);

/** Every episode is framed by OrchestratorStarted ... OrchestratorCompleted. */
function expectEpisodesFramed(types: string[]): void {
  expect(types[0]).toBe('OrchestratorStarted');
  expect(types[types.length - 1]).toBe('OrchestratorCompleted');
  let open = false;
  for (const type of types) {
    if (type === 'OrchestratorStarted') {
      expect(open).toBe(false);
      open = true;
    } else if (type === 'OrchestratorCompleted') {
      expect(open).toBe(true);
      open = false;
    } else {
      expect(open).toBe(true);
    }
  }
}

test('a sequence of activities completes with their results and one episode per activity', async () => {
  const id = await api.start('Sequence', ['Tokyo', 'Seattle']);
  const status = await api.waitFor(id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toEqual(['Hello Tokyo!', 'Hello Seattle!']);
  expect(await api.eventTypes(id)).toEqual([
    'OrchestratorStarted',
    'ExecutionStarted',
    'TaskScheduled',
    'OrchestratorCompleted',
    'OrchestratorStarted',
    'TaskCompleted',
    'TaskScheduled',
    'OrchestratorCompleted',
    'OrchestratorStarted',
    'TaskCompleted',
    'ExecutionCompleted',
    'OrchestratorCompleted',
  ]);
  const history = await api.history(id);
  expect(ofType(history, EventType.TaskScheduled).map((e) => e.EventId)).toEqual([0, 1]);
  const completed = ofType(history, EventType.TaskCompleted).map((e) =>
    e.EventType === EventType.TaskCompleted ? [e.TaskScheduledId, e.Result] : [],
  );
  expect(completed).toEqual([
    [0, '"Hello Tokyo!"'],
    [1, '"Hello Seattle!"'],
  ]);
});

test('a fan-out schedules every activity in one episode and Task.all gathers the results', async () => {
  const id = await api.start('FanOut', 5);
  const status = await api.waitFor(id);
  expect(status.output).toBe(20);
  const types = await api.eventTypes(id);
  expectEpisodesFramed(types);
  expect(types.slice(0, 8)).toEqual([
    'OrchestratorStarted',
    'ExecutionStarted',
    'TaskScheduled',
    'TaskScheduled',
    'TaskScheduled',
    'TaskScheduled',
    'TaskScheduled',
    'OrchestratorCompleted',
  ]);
  expect(withoutMarkers(types).slice(6)).toEqual([
    ...Array<string>(5).fill('TaskCompleted'),
    'ExecutionCompleted',
  ]);
});

test('callActivityWithRetry retries after a timer and numbers attempts and timers like the host', async () => {
  const id = await api.start('Retry', { key: 'retry-ok', failures: 2, maxAttempts: 3 });
  const status = await api.waitFor(id);
  expect(status.output).toBe('succeeded on attempt 3');
  const history = await api.history(id);
  expect(withoutMarkers(history.map((e) => EventType[e.EventType]))).toEqual([
    'ExecutionStarted',
    'TaskScheduled',
    'TaskFailed',
    'TimerCreated',
    'TimerFired',
    'TaskScheduled',
    'TaskFailed',
    'TimerCreated',
    'TimerFired',
    'TaskScheduled',
    'TaskCompleted',
    'ExecutionCompleted',
  ]);
  expect(ofType(history, EventType.TaskScheduled).map((e) => e.EventId)).toEqual([0, 2, 4]);
  expect(ofType(history, EventType.TimerCreated).map((e) => e.EventId)).toEqual([1, 3]);
  const failed = ofType(history, EventType.TaskFailed)[0];
  expect(failed?.EventType === EventType.TaskFailed && failed.Reason).toBe(
    "Activity function 'Flaky' failed: flaky attempt 1 failed",
  );
});

test('callActivityWithRetry gives up after the last attempt and its final retry timer', async () => {
  const id = await api.start('Retry', { key: 'retry-never', failures: 99, maxAttempts: 2 });
  const status = await api.waitFor(id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toBe("gave up: Activity function 'Flaky' failed: flaky attempt 2 failed ");
  expect(withoutMarkers(await api.eventTypes(id))).toEqual([
    'ExecutionStarted',
    'TaskScheduled',
    'TaskFailed',
    'TimerCreated',
    'TimerFired',
    'TaskScheduled',
    'TaskFailed',
    'TimerCreated',
    'TimerFired',
    'ExecutionCompleted',
  ]);
});

test('a durable timer fires no earlier than its due time and moves currentUtcDateTime', async () => {
  const id = await api.start('Timer', 1);
  const status = await api.waitFor(id);
  const output = status.output as { before: string; after: string };
  expect(Date.parse(output.after) - Date.parse(output.before)).toBeGreaterThanOrEqual(1000);
  expect(withoutMarkers(await api.eventTypes(id))).toEqual([
    'ExecutionStarted',
    'TimerCreated',
    'TimerFired',
    'ExecutionCompleted',
  ]);
});

describe('with the longest short timer lowered to 2.5 s', () => {
  let longTimers: DurableApi;
  let longTimerHost: DevHostProcess | undefined;

  beforeAll(async () => {
    longTimerHost = await startFixtureHost({
      DEVHOST_MAX_SHORT_TIMER_MS: '2500',
      DEVHOST_LONG_TIMER_INTERVAL_MS: '1000',
    });
    longTimers = new DurableApi(longTimerHost.url);
  });

  afterAll(async () => {
    await longTimerHost?.stop();
  });

  test('a timer beyond the maximum short timer is carried out as a chain of interval timers', async () => {
    const id = await longTimers.start('Timer', 4);
    const status = await longTimers.waitFor(id);
    const output = status.output as { before: string; after: string };
    const target = Date.parse(output.before) + 4000;
    const history = await longTimers.history(id);
    const created = ofType(history, EventType.TimerCreated);
    expect(created.length).toBeGreaterThanOrEqual(2);
    const last = created[created.length - 1];
    expect(last?.EventType === EventType.TimerCreated && Date.parse(last.FireAt)).toBe(target);
    expect(Date.parse(output.after)).toBeGreaterThanOrEqual(target);
    expect(ofType(history, EventType.TimerFired)).toHaveLength(created.length);
  });
});

test('waitForExternalEvent completes with the raised event data', async () => {
  const id = await api.start('WaitForEvent');
  await api.waitFor(id, ['Running']);
  expect(await api.raise(id, 'Approval', { approved: true })).toBe(202);
  const status = await api.waitFor(id);
  expect(status.output).toEqual({ approval: { approved: true } });
  expect(withoutMarkers(await api.eventTypes(id))).toEqual([
    'ExecutionStarted',
    'EventRaised',
    'ExecutionCompleted',
  ]);
});

test('Task.any returns the timer when no event arrives in time', async () => {
  const id = await api.start('EventOrTimeout', 1);
  const status = await api.waitFor(id);
  expect(status.output).toBe('timed out');
  expect(withoutMarkers(await api.eventTypes(id))).toEqual([
    'ExecutionStarted',
    'TimerCreated',
    'TimerFired',
    'ExecutionCompleted',
  ]);
});

test('Task.any returns the event when it arrives before the timer', async () => {
  // An hour: the event always comes first.
  const id = await api.start('EventOrTimeout', 3600);
  await api.waitFor(id, ['Running']);
  await api.raise(id, 'Go', 'now');
  const status = await api.waitFor(id);
  expect(status.output).toBe('event: now');
  expect(withoutMarkers(await api.eventTypes(id))).toEqual([
    'ExecutionStarted',
    'TimerCreated',
    'EventRaised',
    'ExecutionCompleted',
  ]);
});

test('a Task.any yielded again after its tasks were issued waits for them without issuing them again', async () => {
  const id = await api.start('AnyYieldedAgain');
  const status = await api.waitFor(id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toEqual(['Hello Ann!', 'Hello Bob!']);
  const history = await api.history(id);
  expect(ofType(history, EventType.TaskScheduled)).toHaveLength(2);
  expect(ofType(history, EventType.TaskCompleted)).toHaveLength(2);
  expect(ofType(history, EventType.TimerCreated)).toHaveLength(1);
});

test('sub-orchestrations run as their own instances, named or numbered after the parent execution', async () => {
  const id = await api.start('Parent');
  const status = await api.waitFor(id);
  expect(status.output).toEqual({
    child: ['Hello Ann!', 'Hello Bob!'],
    unnamed: ['Hello Cy!'],
    retried: ['Hello Di!'],
  });
  const history = await api.history(id);
  expect(withoutMarkers(history.map((e) => EventType[e.EventType]))).toEqual([
    'ExecutionStarted',
    'SubOrchestrationInstanceCreated',
    'SubOrchestrationInstanceCompleted',
    'SubOrchestrationInstanceCreated',
    'SubOrchestrationInstanceCompleted',
    'SubOrchestrationInstanceCreated',
    'SubOrchestrationInstanceCompleted',
    'ExecutionCompleted',
  ]);
  const started = history.find((e) => e.EventType === EventType.ExecutionStarted);
  const executionId =
    started?.EventType === EventType.ExecutionStarted ? started.OrchestrationInstance.ExecutionId : '';
  const childIds = ofType(history, EventType.SubOrchestrationInstanceCreated).map((e) =>
    e.EventType === EventType.SubOrchestrationInstanceCreated ? e.InstanceId : '',
  );
  expect(childIds).toEqual([`${id}-child`, `${executionId}:1`, `${executionId}:2`]);
  const child = await api.status(`${id}-child`);
  expect(child?.runtimeStatus).toBe('Completed');
  expect(child?.output).toEqual(['Hello Ann!', 'Hello Bob!']);
});

test('a failing sub-orchestration surfaces as an error the parent can catch', async () => {
  const id = await api.start('ParentOfFailing');
  const status = await api.waitFor(id);
  expect(status.output).toBe("caught: Orchestrator function 'FailingChild' failed: child failed on purpose ");
  expect(withoutMarkers(await api.eventTypes(id))).toEqual([
    'ExecutionStarted',
    'SubOrchestrationInstanceCreated',
    'SubOrchestrationInstanceFailed',
    'ExecutionCompleted',
  ]);
});

test('callSubOrchestratorWithRetry retries a failing child under the same instance id, then gives up', async () => {
  const id = await api.start('RetryFailingChild');
  const status = await api.waitFor(id);
  expect(status.output).toBe(
    "gave up: Orchestrator function 'FailingChild' failed: child failed on purpose ",
  );
  const history = await api.history(id);
  expect(withoutMarkers(history.map((e) => EventType[e.EventType]))).toEqual([
    'ExecutionStarted',
    'SubOrchestrationInstanceCreated',
    'SubOrchestrationInstanceFailed',
    'TimerCreated',
    'TimerFired',
    'SubOrchestrationInstanceCreated',
    'SubOrchestrationInstanceFailed',
    'TimerCreated',
    'TimerFired',
    'ExecutionCompleted',
  ]);
  expect(ofType(history, EventType.SubOrchestrationInstanceCreated).map((e) => e.EventId)).toEqual([0, 2]);
  expect((await api.status(`${id}-c`))?.runtimeStatus).toBe('Failed');
});

test('continueAsNew restarts with the new input and a fresh history', async () => {
  const id = await api.start('Counter', { n: 0, seen: [] });
  const status = await api.waitFor(id);
  expect(status.output).toEqual({ n: 3, seen: [0, 2, 4, 6] });
  expect(status.input).toEqual({ n: 3, seen: [0, 2, 4] });
  expect(withoutMarkers(await api.eventTypes(id))).toEqual([
    'ExecutionStarted',
    'TaskScheduled',
    'TaskCompleted',
    'ExecutionCompleted',
  ]);
});

test('with DEVHOST_KEEP_PAST_EXECUTIONS, the history view shows every execution, oldest first', async () => {
  const keeping = await startFixtureHost({ DEVHOST_KEEP_PAST_EXECUTIONS: 'true' });
  try {
    const kept = new DurableApi(keeping.url);
    const id = await kept.start('Counter', { n: 0, seen: [] });
    expect((await kept.waitFor(id)).output).toEqual({ n: 3, seen: [0, 2, 4, 6] });
    const executions = await kept.executions(id);
    expect(executions.map((history) => withoutMarkers(history.map((e) => EventType[e.EventType])))).toEqual([
      ['ExecutionStarted', 'TaskScheduled', 'TaskCompleted', 'ContinueAsNew'],
      ['ExecutionStarted', 'TaskScheduled', 'TaskCompleted', 'ContinueAsNew'],
      ['ExecutionStarted', 'TaskScheduled', 'TaskCompleted', 'ContinueAsNew'],
      ['ExecutionStarted', 'TaskScheduled', 'TaskCompleted', 'ExecutionCompleted'],
    ]);
    const inputs = executions.map((history) => {
      const started = history.find((e) => e.EventType === EventType.ExecutionStarted);
      return started?.EventType === EventType.ExecutionStarted
        ? (JSON.parse(started.Input ?? 'null') as { n: number }).n
        : undefined;
    });
    expect(inputs).toEqual([0, 1, 2, 3]);
    // The usual view is the current execution's alone.
    expect(await kept.history(id)).toEqual(executions[3]);
  } finally {
    await keeping.stop();
  }
});

test('without it, only the current execution is kept', async () => {
  const id = await api.start('Counter', { n: 0, seen: [] });
  await api.waitFor(id);
  const executions = await api.executions(id);
  expect(executions).toHaveLength(1);
  expect(executions[0]).toEqual(await api.history(id));
});

test('events raised while an orchestration continues as new reach the next executions', async () => {
  const id = await api.start('CounterWithEvents', { round: 0, total: 0 });
  await api.waitFor(id, ['Running']);
  for (const value of [1, 2, 3]) {
    expect(await api.raise(id, 'Add', value)).toBe(202);
  }
  const status = await api.waitFor(id);
  expect(status.output).toBe(6);
});

test('custom status is visible while the orchestration runs and after it completes', async () => {
  const id = await api.start('CustomStatus');
  await eventually('custom status "waiting"', async () => {
    const status = await api.status(id);
    return (status?.customStatus as { step?: string } | undefined)?.step === 'waiting' ? status : undefined;
  });
  await api.raise(id, 'Continue', 42);
  const status = await api.waitFor(id);
  expect(status.output).toBe(42);
  expect(status.customStatus).toEqual({ step: 'done' });
});

test('newGuid and currentUtcDateTime replay to the same values', async () => {
  const id = await api.start('Deterministic');
  const status = await api.waitFor(id);
  const output = status.output as {
    first: string;
    startedAt: string;
    echoed: { first: string; startedAt: string };
    second: string;
  };
  expect(output.echoed).toEqual({ first: output.first, startedAt: output.startedAt });
  expect(output.second).not.toBe(output.first);
  expect(output.first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('an orchestrator that throws fails the instance with the error message', async () => {
  const id = await api.start('Failing');
  const status = await api.waitFor(id);
  expect(status.runtimeStatus).toBe('Failed');
  expect(status.output).toBe("Orchestrator function 'Failing' failed: orchestrator failed on purpose");
  const history = await api.history(id);
  const completed = history.find((e) => e.EventType === EventType.ExecutionCompleted);
  expect(completed?.EventType === EventType.ExecutionCompleted && completed.OrchestrationStatus).toBe(3);
});

test('an uncaught activity failure fails the orchestration with the activity error', async () => {
  const id = await api.start('ActivityFails');
  const status = await api.waitFor(id);
  expect(status.runtimeStatus).toBe('Failed');
  expect(String(status.output)).toContain("Activity function 'Throws' failed: no luck");
  expect(withoutMarkers(await api.eventTypes(id))).toEqual([
    'ExecutionStarted',
    'TaskScheduled',
    'TaskFailed',
    'ExecutionCompleted',
  ]);
});

test('an HTTP starter answers 202 with check-status links under the devhost and the instance completes', async () => {
  const response = await call(`${host.url}/api/orchestrators/Sequence`, { method: 'POST', body: '["Kim"]' });
  expect(response.status).toBe(202);
  const links = response.json<{ id: string; statusQueryGetUri: string; sendEventPostUri: string }>();
  expect(
    links.statusQueryGetUri.startsWith(`${host.url}/runtime/webhooks/durabletask/instances/${links.id}`),
  ).toBe(true);
  expect(response.headers.get('location')).toBe(links.statusQueryGetUri);
  const done = await eventually('the status URL to report completion', async () => {
    const status = await call(links.statusQueryGetUri);
    return status.status === 200 ? status.json<{ runtimeStatus: string; output: unknown }>() : undefined;
  });
  expect(done).toMatchObject({ runtimeStatus: 'Completed', output: ['Hello Kim!'] });
});
