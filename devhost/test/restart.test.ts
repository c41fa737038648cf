// Killing the devhost (SIGKILL) mid-orchestration loses nothing: a second devhost on the same task hub
// resumes every instance. Activities that had finished are not run again; an activity cut off mid-run
// runs again (at least once, as in Azure), and its result is applied once. The slow activity runs until
// the test opens its gate, after the restart; the timer is started last, just before the kill.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventType } from '../durable/history';
import type { DevHostProcess } from '../startDevHost';
import { startDevHost } from '../startDevHost';
import {
  DurableApi,
  eventually,
  fixtureApp,
  readLines,
  storageConnectionString,
  tempDir,
  uniqueHub,
} from '../testing';

const out = tempDir('devhost-restart');
const env = {
  AzureWebJobsStorage: storageConnectionString(),
  DEVHOST_TEST_HUB: uniqueHub('Restart'),
  DEVHOST_TEST_OUT: out,
  DEVHOST_DURABLE_POLL_MS: '50',
  DEVHOST_LOG_LEVEL: 'error',
};
const log = (key: string): string[] => readLines(path.join(out, `${key}.log`));

let second: DevHostProcess | undefined;

afterAll(async () => {
  await second?.stop();
});

test('instances waiting on a timer, a slow activity and an event all complete after a SIGKILL and restart', async () => {
  const first = await startDevHost({ appRoot: fixtureApp('durable'), env });
  let api = new DurableApi(first.url);

  const slowId = await api.start('SlowActivity', { key: 'slow' });
  const eventId = await api.start('AwaitEvent', { key: 'event' });
  await eventually('the slow activity to start', () => (log('slow').includes('started') ? true : undefined));
  await eventually('the event waiter to record its first activity', async () =>
    (await api.eventTypes(eventId)).includes('TaskCompleted') ? true : undefined,
  );
  // Seconds away, against the few milliseconds between seeing it scheduled and the kill.
  const timerId = await api.start('AfterTimer', { key: 'timer', seconds: 5 });
  await eventually('the timer to be scheduled', async () =>
    (await api.eventTypes(timerId)).includes('TimerCreated') ? true : undefined,
  );
  expect((await api.status(timerId))?.runtimeStatus).toBe('Running');

  await first.kill();
  expect(log('slow')).toEqual(['started']);

  second = await startDevHost({ appRoot: fixtureApp('durable'), env });
  api = new DurableApi(second.url);
  expect(await api.raise(eventId, 'Proceed', { approved: 'after restart' })).toBe(202);
  await eventually('the slow activity to start again', () => (log('slow').length === 2 ? true : undefined));
  fs.writeFileSync(path.join(out, 'slow.open'), '');

  const [timer, slow, event] = await Promise.all([timerId, slowId, eventId].map((id) => api.waitFor(id)));
  expect(timer).toMatchObject({ runtimeStatus: 'Completed', output: 'timer done' });
  expect(slow).toMatchObject({ runtimeStatus: 'Completed', output: ['before', 'slow done'] });
  expect(event).toMatchObject({
    runtimeStatus: 'Completed',
    output: ['before', { approved: 'after restart' }],
  });

  // Finished activities ran once; the one cut off ran again, and finished once.
  expect(log('timer')).toEqual(['ran timer done']);
  expect(log('slow-before')).toEqual(['ran before']);
  expect(log('event-before')).toEqual(['ran before']);
  expect(log('slow')).toEqual(['started', 'started', 'finished']);

  // Each result entered the history exactly once.
  for (const id of [timerId, slowId, eventId]) {
    const history = await api.history(id);
    const completions = history.filter((e) => e.EventType === EventType.TaskCompleted);
    const ids = completions.map((e) => (e.EventType === EventType.TaskCompleted ? e.TaskScheduledId : -1));
    expect(new Set(ids).size).toBe(ids.length);
  }
  expect((await api.history(slowId)).filter((e) => e.EventType === EventType.TaskCompleted)).toHaveLength(2);
});
