// The Durable host's rules as the devhost states them, against synthetic cases (sources in README.md:
// DurableClient.StartNewAsync, MessagePayloadDataConverter.Serialize, ThrowIfFunctionDoesNotExist,
// DurableOrchestrationContext, RetryInterceptor, AzureStorageDurabilityProvider.ValidateDelayTime).

import type { OrchestratorAction } from '../durable/actions';
import { ActionType } from '../durable/actions';
import { customStatusProblem } from '../durable/customStatusLimit';
import type { HistoryEvent } from '../durable/history';
import * as h from '../durable/history';
import { instanceIdProblem, subOrchestrationIdProblem } from '../durable/instanceIdRules';
import { unknownActivityProblem } from '../durable/knownFunctions';
import { nextRetryDelayMs } from '../durable/retryPolicy';
import { replayShim } from '../durable/shimReplay';
import { redactSecrets } from '../logRedaction';

const t0 = new Date('2024-05-01T10:00:00.000Z');
const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);
const limits = { maximumShortTimerMs: 6 * 86_400_000, longRunningTimerIntervalMs: 3 * 86_400_000 };
const functions = { activities: ['Hello', 'Echo'], orchestrators: ['Parent', 'Child'] };
const started: HistoryEvent[] = [
  h.orchestratorStarted(t0),
  h.executionStarted(t0, { InstanceId: 'parent-1', ExecutionId: 'e1' }, 'Parent', null, null),
];
const replay = (history: HistoryEvent[], actions: OrchestratorAction[]) =>
  replayShim({
    history,
    actions,
    executionId: 'e1',
    limits,
    functions,
    instanceId: 'parent-1',
    parentInstanceId: 'grand-1',
  });

describe('instance ids a client may start', () => {
  test.each([['a'], ['replica:0b7c1e4a:rg:reg:rep'], ['x'.repeat(256)], ['with spaces and ünïcode']])(
    '%s is accepted',
    (id) => {
      expect(instanceIdProblem(id)).toBeUndefined();
    },
  );

  test.each([['a/b'], ['a\\b'], ['a#b'], ['a?b'], ['a\u0000b'], ['a\u001fb'], ['a\u007fb'], ['a\u0085b']])(
    '%j is refused for its characters',
    (id) => {
      expect(instanceIdProblem(id)).toBe(
        "instanceId (Parameter 'Orchestration instance ids must not contain /, \\, #, ?, or control characters.')",
      );
    },
  );

  test('257 characters are too many, and an @ may not lead', () => {
    expect(instanceIdProblem('x'.repeat(257))).toBe('Instance ID lengths must not exceed 256 characters.');
    expect(instanceIdProblem('@counter@key')).toContain('must not start with @');
  });
});

describe('custom status size', () => {
  test('16 KB of UTF-16 (8,703 code units of JSON) fits, 17 KB does not', () => {
    expect(customStatusProblem('x'.repeat(8703))).toBeUndefined();
    expect(customStatusProblem('x'.repeat(8704))).toBe(
      'The UTF-16 size of the JSON-serialized payload must not exceed 16 KB. The current payload size is 17 KB.',
    );
    expect(customStatusProblem('x'.repeat(600_000))).toContain('The current payload size is 1,171 KB.');
  });
});

describe('what the extension checks as the orchestrator issues an action', () => {
  test('an activity that is not registered fails the orchestration, naming the known ones', () => {
    const result = replay(started, [{ actionType: ActionType.CallActivity, functionName: 'Missing' }]);
    expect(result.newWork).toEqual([]);
    expect(result.failure).toBe(unknownActivityProblem(functions, 'Missing'));
    expect(result.failure).toBe(
      "The function 'Missing' doesn't exist, is disabled, or is not an activity function. Additional info: The following are the known activity functions: 'Hello', 'Echo'.",
    );
  });

  test('function names compare case-insensitively', () => {
    const result = replay(started, [{ actionType: ActionType.CallActivity, functionName: 'hello' }]);
    expect(result.failure).toBeUndefined();
    expect(result.newWork).toHaveLength(1);
  });

  test.each([['parent-1'], ['PARENT-1'], ['grand-1']])(
    'a sub-orchestration may not take the id of its own or its parent instance (%s)',
    (instanceId) => {
      const result = replay(started, [
        { actionType: ActionType.CallSubOrchestrator, functionName: 'Child', instanceId },
      ]);
      expect(result.failure).toBe(
        'The instance ID of a sub-orchestration must be different than the instance ID of a parent orchestration.',
      );
    },
  );

  test('a sub-orchestration id the HTTP API could not address is refused too (stricter than the host)', () => {
    expect(subOrchestrationIdProblem('a/b', 'p', null)).toContain('must not contain');
    expect(subOrchestrationIdProblem('x'.repeat(300), 'p', null)).toContain('must not exceed 256');
  });

  test("retry intervals beyond the provider's six days fail the orchestration", () => {
    const result = replay(started, [
      {
        actionType: ActionType.CallActivityWithRetry,
        functionName: 'Hello',
        retryOptions: { firstRetryIntervalInMilliseconds: 7 * 86_400_000, maxNumberOfAttempts: 2 },
      },
    ]);
    expect(result.failure).toBe(
      'The Azure Storage provider supports a maximum of 6 days for time-based delays',
    );
  });
});

describe('retries', () => {
  const retry: OrchestratorAction = {
    actionType: ActionType.CallActivityWithRetry,
    functionName: 'Hello',
    retryOptions: { firstRetryIntervalInMilliseconds: 10_000, maxNumberOfAttempts: 2 },
  };

  test('after the last failed attempt the back-compat timer is due at once', () => {
    const history = [
      ...started,
      h.taskScheduled(t0, 0, 'Hello', null),
      h.orchestratorCompleted(t0),
      h.orchestratorStarted(at(1)),
      h.taskFailed(at(1), 0, 'first', ''),
      h.timerCreated(at(1), 1, at(11)),
      h.orchestratorCompleted(at(1)),
      h.orchestratorStarted(at(11)),
      h.timerFired(at(11), 1, at(11).toISOString()),
      h.taskScheduled(at(11), 2, 'Hello', null),
      h.orchestratorCompleted(at(11)),
      h.orchestratorStarted(at(15)),
      h.taskFailed(at(15), 2, 'second', ''),
    ];
    expect(replay(history, [retry]).newWork).toEqual([{ kind: 'timer', id: 3, fireAt: at(15) }]);
  });

  test('without a maximum interval, delays stop growing at six days', () => {
    const options = {
      firstRetryIntervalInMilliseconds: 86_400_000,
      maxNumberOfAttempts: 10,
      backoffCoefficient: 2,
    };
    expect(nextRetryDelayMs(options, 2, t0, t0)).toBe(4 * 86_400_000);
    expect(nextRetryDelayMs(options, 3, t0, t0)).toBe(6 * 86_400_000);
  });
});

describe('redaction of what the devhost logs', () => {
  test('code parameters, x-functions-key headers, storage secrets and known keys are replaced', () => {
    expect(redactSecrets('GET /api/x?a=1&code=abc123&b=2 failed')).toBe(
      'GET /api/x?a=1&code=[redacted]&b=2 failed',
    );
    expect(redactSecrets('GET /api/x?code=abc123')).toBe('GET /api/x?code=[redacted]');
    expect(redactSecrets('{"x-functions-key":"abc123","accept":"*/*"}')).toBe(
      '{"x-functions-key":"[redacted]","accept":"*/*"}',
    );
    expect(redactSecrets('x-functions-key: abc123')).toBe('x-functions-key: [redacted]');
    expect(redactSecrets('AccountName=a;AccountKey=c2VjcmV0==;TableEndpoint=x')).toBe(
      'AccountName=a;AccountKey=[redacted];TableEndpoint=x',
    );
    expect(redactSecrets('https://a.table.core.windows.net/t?sv=2020&sig=abc%2Bdef&se=1')).toBe(
      'https://a.table.core.windows.net/t?sv=2020&sig=[redacted]&se=1',
    );
    expect(redactSecrets('the key s3cr3t/+= leaked, encoded s3cr3t%2F%2B%3D too', ['s3cr3t/+='])).toBe(
      'the key [redacted] leaked, encoded [redacted] too',
    );
  });
});
