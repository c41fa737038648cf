// Work nobody announced to the devhost (here an instance another process starts on its task hub) is found
// by the fallback poll, which backs off while it finds nothing new up to host.json's
// `storageProvider.maxQueuePollingInterval`, as the Azure Storage provider polls its queues
// (BackoffPollingHelper, AzureStorageOptions.MaxQueuePollingInterval). The fixture app sets two seconds.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTimeSpan, readHostConfig } from '../config/hostJson';
import { OrchestrationStore } from '../durable/store';
import type { WorkSignals } from '../durable/workQueue';
import { WorkQueue } from '../durable/workQueue';
import { startDevHost } from '../startDevHost';
import { DurableApi, fixtureApp, storageConnectionString, tempDir, uniqueHub } from '../testing';

const nobodyListens: WorkSignals = {
  instanceReady: () => undefined,
  workItemsReady: () => undefined,
  wakeAt: () => undefined,
};

test.each([
  ['00:00:30', 30_000],
  ['00:00:02', 2000],
  ['00:00:00.25', 250],
  ['1.02:00:00', 26 * 3600 * 1000],
  ['00:05', 5 * 60 * 1000],
  ['2', 2 * 24 * 3600 * 1000],
])('the TimeSpan %s is %i ms', (text, ms) => {
  expect(parseTimeSpan(text)).toBe(ms);
});

test.each([['00:00:00'], ['-00:00:05'], ['soon']])(
  'a maxQueuePollingInterval of "%s" is refused',
  (value) => {
    const appRoot = tempDir('devhost-polling');
    fs.writeFileSync(
      path.join(appRoot, 'host.json'),
      JSON.stringify({
        version: '2.0',
        extensions: { durableTask: { storageProvider: { maxQueuePollingInterval: value } } },
      }),
    );
    expect(() => readHostConfig(appRoot, {})).toThrow(
      `host.json extensions.durableTask.storageProvider.maxQueuePollingInterval must be a positive TimeSpan such as "00:00:30", not "${value}"`,
    );
  },
);

test('the fixture app sets the longest poll interval', () => {
  expect(
    readHostConfig(fixtureApp('durable'), { DEVHOST_TEST_HUB: 'Fixture' }).maxQueuePollingIntervalMs,
  ).toBe(2000);
});

test('an instance another process starts on the task hub is found by the poll and runs', async () => {
  const hub = uniqueHub('Fallback');
  const host = await startDevHost({
    appRoot: fixtureApp('durable'),
    env: {
      AzureWebJobsStorage: storageConnectionString(),
      DEVHOST_TEST_HUB: hub,
      DEVHOST_TEST_OUT: tempDir('devhost-fallback'),
      DEVHOST_DURABLE_POLL_MS: '50',
      DEVHOST_LOG_LEVEL: 'error',
    },
  });
  try {
    const api = new DurableApi(host.url);
    const elsewhere = new WorkQueue(
      await OrchestrationStore.open(storageConnectionString(), hub),
      nobodyListens,
    );
    const start = { instanceId: 'started-elsewhere', name: 'Sequence', input: '["Oslo"]', parent: null };
    expect((await elsewhere.startInstance(start)).outcome).toBe('started');
    expect(await api.waitFor('started-elsewhere')).toMatchObject({
      runtimeStatus: 'Completed',
      output: ['Hello Oslo!'],
    });
  } finally {
    await host.stop();
  }
});
