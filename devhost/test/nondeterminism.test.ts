// An orchestrator that schedules something else on replay than its history records must fail, naming the
// step, instead of silently diverging.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DevHostProcess } from '../startDevHost';
import { startDevHost } from '../startDevHost';
import { DurableApi, eventually, fixtureApp, storageConnectionString, tempDir, uniqueHub } from '../testing';

let host: DevHostProcess;
let api: DurableApi;
const out = tempDir('devhost-nondet');

beforeAll(async () => {
  host = await startDevHost({
    appRoot: fixtureApp('durable'),
    env: {
      AzureWebJobsStorage: storageConnectionString(),
      DEVHOST_TEST_HUB: uniqueHub('Nondet'),
      DEVHOST_TEST_OUT: out,
      DEVHOST_DURABLE_POLL_MS: '50',
      DEVHOST_LOG_LEVEL: 'error',
    },
  });
  api = new DurableApi(host.url);
});

afterAll(async () => {
  await host?.stop();
});

const firstActivityRecorded = (id: string): Promise<true> =>
  eventually(`the first activity of ${id} in history`, async () =>
    (await api.eventTypes(id)).includes('TaskCompleted') ? true : undefined,
  );

test('an orchestrator that schedules a different activity on replay fails with the step and both names', async () => {
  const flagFile = path.join(out, 'flip');
  const id = await api.start('FlipFlop', { flagFile });
  // Once the first activity is in history, change what the orchestrator schedules.
  await firstActivityRecorded(id);
  fs.writeFileSync(flagFile, 'now schedule Double');
  await api.raise(id, 'Next', 'go');

  const status = await api.waitFor(id);
  expect(status.runtimeStatus).toBe('Failed');
  expect(status.output).toBe(
    "Orchestrator function 'FlipFlop' failed: Non-deterministic orchestrator: at step 0 history has CallActivity 'Echo' but the orchestrator scheduled CallActivity 'Double'",
  );
});

test('an unchanged orchestrator replays the same history to completion', async () => {
  const id = await api.start('FlipFlop', { flagFile: path.join(out, 'never-created') });
  await firstActivityRecorded(id);
  await api.raise(id, 'Next', 'done');
  const status = await api.waitFor(id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toBe('done');
});
