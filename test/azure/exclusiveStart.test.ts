// Starting under an instance id only when nothing runs there, judged by what runs there afterwards: a
// start the host refuses for another reason is a failure, never "already running". Against the durable
// fixture app on the devhost, through a real durable-functions client.
import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { EventType, durableClientBindingData, startDevHost } from '@acr-replica-guard/devhost';
import type { DevHostProcess } from '@acr-replica-guard/devhost';
import {
  DurableApi,
  eventually,
  fixtureApp,
  storageConnectionString,
  tempDir,
  uniqueHub,
} from '@acr-replica-guard/devhost/testing';

import { startExclusive } from '../../src/azure/exclusiveStart';

let host: DevHostProcess;
let client: DurableClient;
let api: DurableApi;

beforeAll(async () => {
  const hub = uniqueHub('Exclusive');
  host = await startDevHost({
    appRoot: fixtureApp('durable'),
    env: {
      AzureWebJobsStorage: storageConnectionString(),
      DEVHOST_TEST_HUB: hub,
      DEVHOST_TEST_OUT: tempDir('exclusive-start'),
      DEVHOST_DURABLE_POLL_MS: '50',
      DEVHOST_LOG_LEVEL: 'error',
    },
  });
  const input = df.input.durableClient();
  const context = new InvocationContext({ options: { extraInputs: [input] } });
  context.extraInputs.set(input, durableClientBindingData(host.url, host.url, hub));
  client = df.getClient(context);
  api = new DurableApi(host.url);
});

afterAll(async () => {
  await host?.stop();
});

test('a free id starts, and starting the same input again finds it started', async () => {
  expect(await startExclusive(client, 'WaitForEvent', 'free-1', { n: 1 })).toEqual({ outcome: 'started' });
  await api.waitFor('free-1', ['Running']);
  expect(await startExclusive(client, 'WaitForEvent', 'free-1', { n: 1 })).toEqual({ outcome: 'started' });
});

test('an id another input runs under is busy, naming what runs there', async () => {
  await api.start('WaitForEvent', { other: true }, 'held-1');
  await api.waitFor('held-1', ['Running']);
  expect(await startExclusive(client, 'WaitForEvent', 'held-1', { mine: true })).toEqual({
    outcome: 'busy',
    name: 'WaitForEvent',
    runtimeStatus: 'Running',
  });
});

test('an id the host refuses is a failed start, not a busy one', async () => {
  const start = await startExclusive(client, 'Sequence', 'x'.repeat(300), ['long']);
  expect(start.outcome).toBe('failed');
  expect(start.outcome === 'failed' && start.reason).toContain('status code: 400');
});

test('an orchestrator the host does not know is a failed start', async () => {
  const start = await startExclusive(client, 'NoSuchOrchestrator', 'unknown-1', null);
  expect(start.outcome).toBe('failed');
});

test('a finished run of the same input is not started again', async () => {
  const execution = async (): Promise<string> => {
    const started = (await api.history('once-1')).find((e) => e.EventType === EventType.ExecutionStarted);
    return started?.EventType === EventType.ExecutionStarted ? started.OrchestrationInstance.ExecutionId : '';
  };
  expect(await startExclusive(client, 'Sequence', 'once-1', ['once'])).toEqual({ outcome: 'started' });
  await api.waitFor('once-1');
  const first = await execution();
  expect(await startExclusive(client, 'Sequence', 'once-1', ['once'])).toEqual({ outcome: 'started' });
  expect(await execution()).toBe(first);
});

test('a finished instance under the id is replaced by the new start', async () => {
  await api.start('Sequence', ['old'], 'finished-1');
  await api.waitFor('finished-1');
  expect(await startExclusive(client, 'Sequence', 'finished-1', ['new'])).toEqual({ outcome: 'started' });
  const done = await eventually('the new run to complete', async () => {
    const status = await api.status('finished-1');
    return status?.runtimeStatus === 'Completed' && Array.isArray(status.input) && status.input[0] === 'new'
      ? status
      : undefined;
  });
  expect(done.output).toEqual(['Hello new!']);
});
