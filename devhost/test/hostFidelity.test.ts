// The Durable host's rules the devhost must keep, end to end on the durable fixture app: what the
// extension (Azure/azure-functions-durable-extension v2.13.7, as extension bundle [4.*, 5.0.0) ships it)
// and DurableTask.AzureStorage 1.17.5 / DurableTask.Core 2.17.1 do. Each test names the source it follows.

import type { DevHostProcess } from '../startDevHost';
import { startDevHost } from '../startDevHost';
import type { HistoryEvent } from '../durable/history';
import { EventType } from '../durable/history';
import type { HttpResult } from '../testing';
import { call, fixtureApp, storageConnectionString, tempDir, uniqueHub } from '../testing';
import { DurableApi } from '../testing';

let host: DevHostProcess;
let api: DurableApi;

beforeAll(async () => {
  host = await startDevHost({
    appRoot: fixtureApp('durable'),
    env: {
      AzureWebJobsStorage: storageConnectionString(),
      DEVHOST_TEST_HUB: uniqueHub('Fidelity'),
      DEVHOST_TEST_OUT: tempDir('devhost-fidelity'),
      DEVHOST_DURABLE_POLL_MS: '50',
      DEVHOST_LOG_LEVEL: 'error',
    },
  });
  api = new DurableApi(host.url);
});

afterAll(async () => {
  await host?.stop();
});

interface HostError {
  Message: string;
  ExceptionMessage?: string;
  ExceptionType?: string;
}

/** Starts through the app's own DurableClient (the fixture's client function); its error when refused. */
async function startThroughClient(instanceId: string, name: string, input?: unknown): Promise<HttpResult> {
  return call(`${host.url}/api/client/start/${encodeURIComponent(instanceId)}`, {
    method: 'POST',
    body: JSON.stringify({ name, input }),
  });
}

const ofType = (history: HistoryEvent[], type: EventType): HistoryEvent[] =>
  history.filter((e) => e.EventType === type);

describe('sub-orchestrations (DurableTask.AzureStorage OrchestrationSessionManager: only top-level starts are de-duplicated)', () => {
  test('a sub-orchestration under the id of a running instance replaces it instead of being refused', async () => {
    const childId = `running-${Date.now()}`;
    await api.start('WaitForEvent', null, childId);
    await api.waitFor(childId, ['Running']);

    const parent = await api.start('CallChild', { name: 'Sequence', childId, input: ['Replacer'] });
    const done = await api.waitFor(parent);
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: ['Hello Replacer!'] });
    const child = await api.status(childId);
    expect(child).toMatchObject({
      name: 'Sequence',
      runtimeStatus: 'Completed',
      output: ['Hello Replacer!'],
    });
    // The replaced execution is gone: its event has nowhere to go.
    expect(await api.raise(childId, 'Approval', 'late')).toBe(410);
  });

  test("the parent of a replaced sub-orchestration never hears from it: the old one's result never arrives", async () => {
    const childId = `shared-child-${Date.now()}`;
    const first = await api.start('CallChild', { name: 'WaitForEvent', childId, input: null });
    await api.waitFor(childId, ['Running']);
    const second = await api.start('CallChild', { name: 'Sequence', childId, input: ['Second'] });
    expect((await api.waitFor(second)).output).toEqual(['Hello Second!']);
    expect((await api.status(first))?.runtimeStatus).toBe('Running');
    expect(await api.raise(childId, 'Approval', 'for the first')).toBe(410);
    expect((await api.status(first))?.runtimeStatus).toBe('Running');
  });

  test('a sub-orchestration under its own instance id fails the orchestration (DurableOrchestrationContext)', async () => {
    const id = await api.start('CallsItself');
    const status = await api.waitFor(id);
    expect(status).toMatchObject({
      runtimeStatus: 'Failed',
      output:
        "Orchestrator function 'CallsItself' failed: The instance ID of a sub-orchestration must be different than the instance ID of a parent orchestration.",
    });
  });
});

describe('custom status (DurableOrchestrationContext.SetCustomStatus: 16 KB of UTF-16 JSON)', () => {
  test('a custom status whose JSON is 8,703 UTF-16 code units (16 KB) is kept', async () => {
    const id = await api.start('BigStatus', 8701);
    const status = await api.waitFor(id);
    expect(status.runtimeStatus).toBe('Completed');
    expect(String(status.customStatus)).toHaveLength(8701);
  });

  test('a custom status whose JSON reaches 17 KB fails the orchestration with the extension message', async () => {
    const id = await api.start('BigStatus', 8702);
    const status = await api.waitFor(id);
    expect(status).toMatchObject({
      runtimeStatus: 'Failed',
      output:
        "Orchestrator function 'BigStatus' failed: The UTF-16 size of the JSON-serialized payload must not exceed 16 KB. The current payload size is 17 KB.",
    });
    expect(ofType(await api.history(id), EventType.TaskScheduled)).toEqual([]);
  });
});

describe('instance ids at start (DurableClient.StartNewAsync; HttpApiHandler answers 400)', () => {
  const refused: [string, string, string][] = [
    ['longer than 256 characters', 'x'.repeat(257), 'Instance ID lengths must not exceed 256 characters.'],
    ['with a slash', 'a%2Fb', 'must not contain /, \\, #, ?, or control characters'],
    ['with a backslash', 'a%5Cb', 'must not contain'],
    ['with a hash', 'a%23b', 'must not contain'],
    ['with a question mark', 'a%3Fb', 'must not contain'],
    ['with a control character', 'a%01b', 'must not contain'],
    ['starting with @', '%40entity', 'must not start with @'],
  ];

  test.each(refused)('an id %s is refused with 400', async (_what, encoded, message) => {
    const response = await call(`${api.webhook}/orchestrators/Sequence/${encoded}`, {
      method: 'POST',
      body: '["x"]',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.json<HostError>()).toMatchObject({
      Message: 'One or more of the arguments submitted is incorrect',
      ExceptionType: 'System.ArgumentException',
    });
    expect(response.json<HostError>().ExceptionMessage).toContain(message);
  });

  test('an id of exactly 256 characters is accepted', async () => {
    const id = await api.start('Sequence', ['Long'], 'y'.repeat(256));
    expect((await api.waitFor(id)).output).toEqual(['Hello Long!']);
  });

  test('the durable client inside the app throws on a refused id', async () => {
    const refusedStart = await startThroughClient('z'.repeat(300), 'Sequence', ['x']);
    expect(refusedStart.status).toBe(409);
    expect(refusedStart.json<{ error: string }>().error).toContain('status code: 400');
  });
});

describe('starting a running instance id (OverridableStates.NonRunningStates; OrchestrationAlreadyExistsException)', () => {
  test('is an error the HTTP API answers with 500, through the webhook and through the client', async () => {
    const id = `busy-${Date.now()}`;
    await api.start('WaitForEvent', null, id);
    await api.waitFor(id, ['Running']);

    const raw = await api.startRaw('WaitForEvent', null, id);
    expect(raw.status).toBe(500);
    expect(raw.json<HostError>()).toMatchObject({
      Message: 'Something went wrong while processing your request',
      ExceptionMessage: 'An Orchestration instance with the status Running already exists.',
      ExceptionType: 'DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException',
    });
    const viaClient = await startThroughClient(id, 'WaitForEvent');
    expect(viaClient.json<{ error: string }>().error).toContain('status code: 500');
    const restart = await call(`${api.webhook}/instances/${id}/restart?restartWithNewInstanceId=false`, {
      method: 'POST',
    });
    expect(restart.status).toBe(500);
  });
});

describe('callActivityWithRetry (DurableTask.Core RetryInterceptor)', () => {
  test('after the last failed attempt the timer fires at once: no back-off wait', async () => {
    const id = await api.start('Retry', { key: `no-wait-${Date.now()}`, failures: 99, maxAttempts: 2 });
    await api.waitFor(id);
    const history = await api.history(id);
    // Each timer against the start of the episode that saw the failure before it.
    let episode = 0;
    const due: { fireAt: number; episode: number }[] = [];
    let failedIn = 0;
    for (const event of history) {
      if (event.EventType === EventType.OrchestratorStarted) episode = Date.parse(event.Timestamp);
      if (event.EventType === EventType.TaskFailed) failedIn = episode;
      if (event.EventType === EventType.TimerCreated) {
        due.push({ fireAt: Date.parse(event.FireAt), episode: failedIn });
      }
    }
    expect(due).toHaveLength(2);
    // The first retry waits its 200 ms interval; the timer after the last attempt is due at once.
    expect(due[0]!.fireAt - due[0]!.episode).toBe(200);
    expect(due[1]!.fireAt - due[1]!.episode).toBe(0);
  });
});

describe('unknown function names (DurableTaskExtension.ThrowIfFunctionDoesNotExist)', () => {
  test('scheduling an activity that is not registered fails the orchestration when it is reached', async () => {
    const id = await api.start('CallsUnknownActivity');
    const status = await api.waitFor(id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(
      /^Orchestrator function 'CallsUnknownActivity' failed: The function 'NoSuchActivity' doesn't exist, is disabled, or is not an activity function\. Additional info: The following are the known activity functions: '.*'Echo'.*'\.$/,
    );
    const scheduled = ofType(await api.history(id), EventType.TaskScheduled);
    expect(scheduled.map((e) => (e.EventType === EventType.TaskScheduled ? e.Name : ''))).toEqual(['Echo']);
  });

  test('calling a sub-orchestrator that is not registered fails the orchestration at once', async () => {
    const id = await api.start('CallsUnknownOrchestrator');
    const status = await api.waitFor(id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toContain(
      "The function 'NoSuchOrchestrator' doesn't exist, is disabled, or is not an orchestrator function.",
    );
    expect(ofType(await api.history(id), EventType.SubOrchestrationInstanceCreated)).toEqual([]);
  });

  test('starting an orchestrator that is not registered is a 400 with the same message', async () => {
    const response = await api.startRaw('NoSuchOrchestrator', {});
    expect(response.status).toBe(400);
    expect(response.json<HostError>().ExceptionMessage).toContain(
      "The function 'NoSuchOrchestrator' doesn't exist, is disabled, or is not an orchestrator function.",
    );
  });
});
