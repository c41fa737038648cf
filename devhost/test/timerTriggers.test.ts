// Timer triggers through the devhost: runOnStartup fires once at start, a `%Setting%` schedule fires on
// time, the handler gets the TimerInfo shape the library documents, and the admin endpoint runs a timer
// function on demand.

import * as path from 'node:path';
import type { DevHostProcess } from '../startDevHost';
import { startDevHost } from '../startDevHost';
import { call, eventually, fixtureApp, readLines, tempDir } from '../testing';

interface TimerInfo {
  isPastDue: boolean;
  schedule: { adjustForDST: boolean };
  scheduleStatus: { last: string; next: string; lastUpdated: string };
}

const out = tempDir('devhost-timers');
const ticks = (file: string): TimerInfo[] =>
  readLines(path.join(out, file)).map((l) => JSON.parse(l) as TimerInfo);
let host: DevHostProcess;

beforeAll(async () => {
  host = await startDevHost({
    appRoot: fixtureApp('http'),
    env: { DEVHOST_TEST_OUT: out, DEVHOST_LOG_LEVEL: 'error', DEVHOST_MASTER_KEY: 'master' },
  });
});

afterAll(async () => {
  await host?.stop();
});

test('a runOnStartup timer fires once at start with the TimerInfo payload', async () => {
  const [first] = await eventually('the startup run', () => {
    const runs = ticks('startup.log');
    return runs.length > 0 ? runs : undefined;
  });
  expect(first).toMatchObject({ isPastDue: false, schedule: { adjustForDST: true } });
  expect(first?.scheduleStatus.last).toBe('0001-01-01T00:00:00');
  const next = new Date(first?.scheduleStatus.next ?? '');
  expect([next.getUTCMonth(), next.getUTCDate(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([
    0, 1, 0, 0,
  ]);
  expect(next.getTime()).toBeGreaterThan(Date.now());
});

test('a schedule read from an app setting fires every second', async () => {
  const runs = await eventually('three ticks', () => {
    const seen = ticks('ticks.log');
    return seen.length >= 3 ? seen : undefined;
  });
  // Each run names the next occurrence: the next whole second after it ran, however late it ran.
  for (const run of runs) {
    const next = Date.parse(run.scheduleStatus.next);
    expect(next % 1000).toBe(0);
    expect(next - Date.parse(run.scheduleStatus.lastUpdated)).toBeGreaterThan(0);
    expect(next - Date.parse(run.scheduleStatus.lastUpdated)).toBeLessThanOrEqual(1000);
  }
  // Runs after the first name the occurrence before them: whole seconds, in order. (A run more than a
  // second late skips the occurrences it missed, as the host's schedule does.)
  const scheduled = runs.slice(1).map((run) => Date.parse(run.scheduleStatus.last));
  for (const [i, at] of scheduled.entries()) {
    expect(at % 1000).toBe(0);
    if (i > 0) expect(at).toBeGreaterThan(scheduled[i - 1]!);
  }
});

test('the admin endpoint runs a timer function on demand, with the master key', async () => {
  const before = ticks('startup.log').length;
  expect((await call(`${host.url}/admin/functions/onStartup`, { method: 'POST' })).status).toBe(401);
  const response = await call(`${host.url}/admin/functions/onStartup`, {
    method: 'POST',
    headers: { 'x-functions-key': 'master', 'content-type': 'application/json' },
    body: '{}',
  });
  expect(response.status).toBe(202);
  expect(ticks('startup.log')).toHaveLength(before + 1);
  expect((await call(`${host.url}/admin/functions/nope?code=master`, { method: 'POST' })).status).toBe(404);
});
