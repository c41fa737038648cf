// The host-side replay: which actions are new, which sequence numbers they take, and when the history and
// the orchestrator disagree. Histories are synthetic, in the shapes of durable-functions' test histories.

import type { OrchestratorAction } from '../durable/actions';
import { ActionType } from '../durable/actions';
import type { HistoryEvent } from '../durable/history';
import * as h from '../durable/history';
import type { ScheduledWork } from '../durable/shimReplay';
import { replayShim } from '../durable/shimReplay';

const t0 = new Date('2024-05-01T10:00:00.000Z');
const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);
const limits = { maximumShortTimerMs: 6 * 86_400_000, longRunningTimerIntervalMs: 3 * 86_400_000 };
const started = (input: unknown = null): HistoryEvent[] => [
  h.orchestratorStarted(t0),
  h.executionStarted(t0, { InstanceId: 'i', ExecutionId: 'e1' }, 'Orch', JSON.stringify(input), null),
];

const activity = (name: string, input?: unknown): OrchestratorAction => ({
  actionType: ActionType.CallActivity,
  functionName: name,
  input,
});
const retry = (name: string, first: number, max: number): OrchestratorAction => ({
  actionType: ActionType.CallActivityWithRetry,
  functionName: name,
  retryOptions: { firstRetryIntervalInMilliseconds: first, maxNumberOfAttempts: max },
});
const timer = (fireAt: Date, isCanceled = false): OrchestratorAction => ({
  actionType: ActionType.CreateTimer,
  fireAt: fireAt.toISOString(),
  isCanceled,
});
const waitFor = (name: string): OrchestratorAction => ({
  actionType: ActionType.WaitForExternalEvent,
  externalEventName: name,
});
const all = (...compoundActions: OrchestratorAction[]): OrchestratorAction => ({
  actionType: ActionType.WhenAll,
  compoundActions,
});
const any = (...compoundActions: OrchestratorAction[]): OrchestratorAction => ({
  actionType: ActionType.WhenAny,
  compoundActions,
});

const replay = (history: HistoryEvent[], actions: OrchestratorAction[]) =>
  replayShim({ history, actions, executionId: 'e1', limits });
const ids = (work: ScheduledWork[]): string[] => work.map((w) => `${w.kind}:${w.id}`);

test('a first episode schedules the first activity as step 0', () => {
  const result = replay(started(), [activity('Hello', '"World"')]);
  expect(result.newWork).toEqual([{ kind: 'activity', id: 0, name: 'Hello', input: '"\\"World\\""' }]);
  expect(result.nondeterminism).toBeUndefined();
});

test('a completed activity lets the next one through with the next sequence number', () => {
  const history = [
    ...started(),
    h.taskScheduled(t0, 0, 'A', null),
    h.orchestratorCompleted(t0),
    h.orchestratorStarted(at(1)),
    h.taskCompleted(at(1), 0, '1'),
  ];
  const result = replay(history, [activity('A'), activity('B')]);
  expect(ids(result.newWork)).toEqual(['activity:1']);
});

test('an activity still running blocks the actions after it', () => {
  const history = [
    ...started(),
    h.taskScheduled(t0, 0, 'A', null),
    h.orchestratorCompleted(t0),
    h.orchestratorStarted(at(1)),
  ];
  expect(replay(history, [activity('A'), activity('B')]).newWork).toEqual([]);
});

test('Task.all issues its children together, in order', () => {
  const result = replay(started(), [all(activity('A'), activity('B'), activity('C'))]);
  expect(ids(result.newWork)).toEqual(['activity:0', 'activity:1', 'activity:2']);
});

test('Task.all waits for every child, even after one has failed, as the extension awaits Task.WhenAll', () => {
  const history = [
    ...started(),
    h.taskScheduled(t0, 0, 'A', null),
    h.taskScheduled(t0, 1, 'B', null),
    h.orchestratorCompleted(t0),
    h.orchestratorStarted(at(1)),
    h.taskFailed(at(1), 0, 'A failed', ''),
  ];
  expect(replay(history, [all(activity('A'), activity('B')), activity('C')]).newWork).toEqual([]);
});

describe('retries, numbered like durable-functions expects (TaskFailed, timer, next attempt)', () => {
  const failOnce: HistoryEvent[] = [
    ...started(),
    h.taskScheduled(t0, 0, 'Hello', null),
    h.orchestratorCompleted(t0),
    h.orchestratorStarted(at(1)),
    h.taskFailed(at(1), 0, "Activity function 'Hello' failed: Result: Failure", 'Big stack trace here'),
  ];

  test('a failed attempt schedules a retry timer at the failure time plus the interval', () => {
    const result = replay(failOnce, [retry('Hello', 10_000, 2)]);
    expect(result.newWork).toEqual([{ kind: 'timer', id: 1, fireAt: at(11) }]);
  });

  test('the fired retry timer schedules the next attempt', () => {
    const history = [...failOnce, h.timerCreated(at(1), 1, at(11)), h.orchestratorCompleted(at(1))];
    history.push(h.orchestratorStarted(at(11)), h.timerFired(at(11), 1, at(11).toISOString()));
    expect(ids(replay(history, [retry('Hello', 10_000, 2)]).newWork)).toEqual(['activity:2']);
  });

  test('the backoff coefficient grows the interval and the maximum caps it', () => {
    const action = retry('Hello', 1000, 5);
    action.retryOptions = {
      ...action.retryOptions!,
      backoffCoefficient: 3,
      maxRetryIntervalInMilliseconds: 2500,
    };
    const history = [...failOnce, h.timerCreated(at(1), 1, at(2)), h.orchestratorCompleted(at(1))];
    history.push(h.orchestratorStarted(at(2)), h.timerFired(at(2), 1, at(2).toISOString()));
    history.push(h.taskScheduled(at(2), 2, 'Hello', null), h.orchestratorCompleted(at(2)));
    history.push(h.orchestratorStarted(at(3)), h.taskFailed(at(3), 2, 'again', ''));
    expect(replay(history, [action]).newWork).toEqual([
      { kind: 'timer', id: 3, fireAt: new Date(at(3).getTime() + 2500) },
    ]);
  });

  test('after the last attempt and its timer nothing more is scheduled', () => {
    const history = [...failOnce, h.timerCreated(at(1), 1, at(11)), h.orchestratorCompleted(at(1))];
    history.push(h.orchestratorStarted(at(11)), h.timerFired(at(11), 1, at(11).toISOString()));
    history.push(h.taskScheduled(at(11), 2, 'Hello', null), h.orchestratorCompleted(at(11)));
    history.push(h.orchestratorStarted(at(12)), h.taskFailed(at(12), 2, 'again', ''));
    history.push(h.timerCreated(at(12), 3, at(22)), h.orchestratorCompleted(at(12)));
    history.push(h.orchestratorStarted(at(22)), h.timerFired(at(22), 3, at(22).toISOString()));
    const result = replay(history, [retry('Hello', 10_000, 2), activity('Next')]);
    expect(ids(result.newWork)).toEqual(['activity:4']);
  });
});

test('a timer beyond the maximum short timer starts with one interval, then continues from when it fired', () => {
  const fireAt = new Date(t0.getTime() + 10 * 86_400_000);
  const first = replay(started(), [timer(fireAt)]);
  expect(first.newWork).toEqual([{ kind: 'timer', id: 0, fireAt: new Date(t0.getTime() + 3 * 86_400_000) }]);
  const day = (n: number): Date => new Date(t0.getTime() + n * 86_400_000);
  const history = [...started(), h.timerCreated(t0, 0, day(3)), h.orchestratorCompleted(t0)];
  history.push(h.orchestratorStarted(day(3)), h.timerFired(day(3), 0, day(3).toISOString()));
  // Seven days left: still more than six, so another interval.
  expect(replay(history, [timer(fireAt)]).newWork).toEqual([{ kind: 'timer', id: 1, fireAt: day(6) }]);
  history.push(h.timerCreated(day(3), 1, day(6)), h.orchestratorCompleted(day(3)));
  history.push(h.orchestratorStarted(day(6)), h.timerFired(day(6), 1, day(6).toISOString()));
  expect(replay(history, [timer(fireAt)]).newWork).toEqual([{ kind: 'timer', id: 2, fireAt }]);
});

test('Task.any completes with the first event, so the actions after it follow', () => {
  const history = [...started(), h.timerCreated(t0, 0, at(60)), h.orchestratorCompleted(t0)];
  history.push(h.orchestratorStarted(at(5)), h.eventRaised(at(5), 'Go', '"now"'));
  const result = replay(history, [any(timer(at(60), true), waitFor('Go')), activity('After')]);
  expect(ids(result.newWork)).toEqual(['activity:1']);
});

test('an event raised before anyone waits for it is buffered for the wait', () => {
  const history = [...started(), h.taskScheduled(t0, 0, 'A', null), h.orchestratorCompleted(t0)];
  history.push(
    h.orchestratorStarted(at(1)),
    h.eventRaised(at(1), 'Early', 'true'),
    h.taskCompleted(at(1), 0, '1'),
  );
  expect(ids(replay(history, [activity('A'), waitFor('Early'), activity('B')]).newWork)).toEqual([
    'activity:1',
  ]);
});

test('unnamed sub-orchestrations are named after the execution and the task id', () => {
  const result = replay(started(), [
    { actionType: ActionType.CallSubOrchestrator, functionName: 'Child', input: { x: 1 } },
    { actionType: ActionType.CallSubOrchestrator, functionName: 'Child', instanceId: 'given' },
  ]);
  expect(result.newWork).toEqual([
    { kind: 'subOrchestration', id: 0, name: 'Child', instanceId: 'e1:0', input: '{"x":1}' },
  ]);
});

test('continueAsNew carries over the events that arrived after it', () => {
  const history = [...started(), h.orchestratorCompleted(t0), h.orchestratorStarted(at(1))];
  history.push(
    h.eventRaised(at(1), 'Add', '1'),
    h.eventRaised(at(1), 'Add', '2'),
    h.eventRaised(at(1), 'Add', '3'),
  );
  const result = replay(history, [
    waitFor('Add'),
    { actionType: ActionType.ContinueAsNew, input: { total: 1 } },
  ]);
  expect(result.continueAsNew?.input).toEqual({ total: 1 });
  expect(
    result.continueAsNew?.carryOver.map((e) => (e.EventType === h.EventType.EventRaised ? e.Input : '')),
  ).toEqual(['2', '3']);
});

test('a different activity at a recorded step is non-deterministic, naming the step and both activities', () => {
  const history = [...started(), h.taskScheduled(t0, 0, 'A', null), h.orchestratorCompleted(t0)];
  expect(replay(history, [activity('B')]).nondeterminism).toBe(
    "Non-deterministic orchestrator: at step 0 history has CallActivity 'A' but the orchestrator scheduled CallActivity 'B'",
  );
});

test('a timer where history has an activity is non-deterministic', () => {
  const history = [...started(), h.taskScheduled(t0, 0, 'A', null), h.orchestratorCompleted(t0)];
  expect(replay(history, [timer(at(5))]).nondeterminism).toBe(
    "Non-deterministic orchestrator: at step 0 history has CallActivity 'A' but the orchestrator scheduled CreateTimer",
  );
});

test('a recorded step the orchestrator no longer schedules is non-deterministic', () => {
  const history = [...started(), h.taskScheduled(t0, 0, 'A', null), h.orchestratorCompleted(t0)];
  history.push(
    h.orchestratorStarted(at(1)),
    h.taskCompleted(at(1), 0, '1'),
    h.taskScheduled(at(1), 1, 'B', null),
  );
  expect(replay(history, [activity('A')]).nondeterminism).toBe(
    "Non-deterministic orchestrator: at step 1 history has CallActivity 'B' but the orchestrator scheduled nothing at that step",
  );
});

test('callHttp is reported as unsupported', () => {
  expect(replay(started(), [{ actionType: ActionType.CallHttp }]).unsupported).toBe(
    'callHttp is not supported by the devhost',
  );
});
