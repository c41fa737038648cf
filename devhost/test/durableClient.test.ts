// The Durable HTTP API as durable-functions' DurableClient uses it (through the fixture's client function,
// over the binding's rpcBaseUrl) and as operators use it (webhook URLs): start, status, list, events,
// terminate, suspend/resume, purge.

import type { DevHostProcess } from '../startDevHost';
import { startDevHost } from '../startDevHost';
import type { HttpResult, InstanceStatus } from '../testing';
import { call, DurableApi, fixtureApp, storageConnectionString, tempDir, uniqueHub } from '../testing';

let host: DevHostProcess;
let api: DurableApi;

beforeAll(async () => {
  host = await startDevHost({
    appRoot: fixtureApp('durable'),
    env: {
      AzureWebJobsStorage: storageConnectionString(),
      DEVHOST_TEST_HUB: uniqueHub('Client'),
      DEVHOST_TEST_OUT: tempDir('devhost-client'),
      DEVHOST_DURABLE_POLL_MS: '50',
      DEVHOST_LOG_LEVEL: 'error',
    },
  });
  api = new DurableApi(host.url);
});

afterAll(async () => {
  await host?.stop();
});

/** Calls the fixture function that drives the real DurableClient. */
function client(
  operation: string,
  instanceId: string,
  body: unknown = {},
  method = 'POST',
): Promise<HttpResult> {
  return call(`${host.url}/api/client/${operation}/${instanceId}`, { method, body: JSON.stringify(body) });
}

test('an instance id longer than 256 characters is refused with 400, as the host refuses it', async () => {
  expect((await api.startRaw('WaitForEvent', null, 'x'.repeat(257))).status).toBe(400);
  const longest = 'y'.repeat(256);
  expect((await api.startRaw('WaitForEvent', null, longest)).status).toBe(202);
  await api.waitFor(longest, ['Running']);
  expect((await client('raise', longest, { name: 'Approval', data: 'done' })).status).toBe(202);
  await api.waitFor(longest);
});

test('startNew with an instance id refuses a running instance and replaces a finished one', async () => {
  const first = await client('start', 'singleton-1', { name: 'WaitForEvent' });
  expect(first.json()).toEqual({ id: 'singleton-1' });
  await api.waitFor('singleton-1', ['Running']);

  // As the host does: the start fails with an internal error, not a conflict the caller could tell apart.
  const again = await client('start', 'singleton-1', { name: 'WaitForEvent' });
  expect(again.status).toBe(409);
  expect(again.json<{ error: string }>().error).toContain('status code: 500');
  const raw = await api.startRaw('WaitForEvent', null, 'singleton-1');
  expect(raw.status).toBe(500);

  expect((await client('raise', 'singleton-1', { name: 'Approval', data: 'first' })).status).toBe(202);
  const done = await api.waitFor('singleton-1');
  expect(done.output).toEqual({ approval: 'first' });

  expect((await client('start', 'singleton-1', { name: 'Sequence', input: ['Zed'] })).json()).toEqual({
    id: 'singleton-1',
  });
  const replaced = await api.waitFor('singleton-1');
  expect(replaced).toMatchObject({ name: 'Sequence', output: ['Hello Zed!'], runtimeStatus: 'Completed' });
});

test('getStatus reports input, output and the history projection of the HTTP API', async () => {
  const id = await api.start('Sequence', ['Ida']);
  await api.waitFor(id);
  const viaClient = (
    await client('status', id, { showHistory: true, showHistoryOutput: true })
  ).json<InstanceStatus>();
  expect(viaClient).toMatchObject({
    instanceId: id,
    runtimeStatus: 'Completed',
    input: ['Ida'],
    output: ['Hello Ida!'],
  });

  const status = await api.status(id, 'showHistory=true&showHistoryOutput=true');
  expect(status?.historyEvents?.map((e) => e.EventType)).toEqual([
    'ExecutionStarted',
    'TaskCompleted',
    'ExecutionCompleted',
  ]);
  expect(status?.historyEvents?.[1]).toMatchObject({ FunctionName: 'SayHello', Result: 'Hello Ida!' });
  expect(status?.createdTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  expect((await api.status(id, 'showInput=false'))?.input).toBeNull();
});

test('a running instance answers 202 with Location, a finished one 200, an unknown one 404', async () => {
  const id = await api.start('WaitForEvent');
  await api.waitFor(id, ['Running']);
  const running = await call(`${api.webhook}/instances/${id}`);
  expect(running.status).toBe(202);
  expect(running.headers.get('location')).toBe(`${api.webhook}/instances/${id}`);
  await api.raise(id, 'Approval', 1);
  await api.waitFor(id);
  expect((await call(`${api.webhook}/instances/${id}`)).status).toBe(200);
  expect((await call(`${api.webhook}/instances/no-such-instance`)).status).toBe(404);
  expect(await api.raise(id, 'Approval', 2)).toBe(410);
  expect(await api.raise('no-such-instance', 'Approval', 2)).toBe(404);
});

test('listing filters by status, creation time and id prefix and pages with continuation tokens', async () => {
  const since = new Date(Date.now() - 1000).toISOString();
  const ids = await Promise.all([1, 2, 3].map((n) => api.start('Sequence', [`L${n}`], `listing-${n}`)));
  await Promise.all(ids.map((id) => api.waitFor(id)));

  const page = await call(
    `${api.webhook}/instances/?instanceIdPrefix=listing-&top=2&createdTimeFrom=${since}`,
  );
  expect(page.status).toBe(200);
  expect(page.json<InstanceStatus[]>()).toHaveLength(2);
  const token = page.headers.get('x-ms-continuation-token');
  expect(token).toBeTruthy();
  const rest = await call(
    `${api.webhook}/instances/?instanceIdPrefix=listing-&top=2&createdTimeFrom=${since}`,
    {
      headers: { 'x-ms-continuation-token': token ?? '' },
    },
  );
  const all = [...page.json<InstanceStatus[]>(), ...rest.json<InstanceStatus[]>()]
    .map((s) => s.instanceId)
    .sort();
  expect(all).toEqual(['listing-1', 'listing-2', 'listing-3']);

  const viaClient = (
    await client('list', 'x', { runtimeStatus: ['Completed'], createdTimeFrom: since })
  ).json<InstanceStatus[]>();
  expect(viaClient.map((s) => s.instanceId)).toEqual(
    expect.arrayContaining(['listing-1', 'listing-2', 'listing-3']),
  );
  expect(viaClient.every((s) => s.runtimeStatus === 'Completed')).toBe(true);

  const future = new Date(Date.now() + 3_600_000).toISOString();
  expect((await call(`${api.webhook}/instances/?createdTimeFrom=${future}`)).json()).toEqual([]);
});

test('terminate stops a running instance with the reason as its output', async () => {
  const id = await api.start('WaitForEvent');
  await api.waitFor(id, ['Running']);
  expect((await client('terminate', id, { reason: 'no longer needed' })).status).toBe(202);
  const status = await api.waitFor(id);
  expect(status).toMatchObject({ runtimeStatus: 'Terminated', output: 'no longer needed' });
  expect(await api.post(id, 'terminate', 'again')).toBe(410);
});

test('a suspended instance holds its events until it is resumed', async () => {
  const id = await api.start('WaitForEvent');
  await api.waitFor(id, ['Running']);
  expect((await client('suspend', id, { reason: 'pause' })).status).toBe(202);
  await api.waitFor(id, ['Suspended']);
  expect(await api.raise(id, 'Approval', 'while suspended')).toBe(202);
  expect((await api.status(id))?.runtimeStatus).toBe('Suspended');
  expect((await client('resume', id, { reason: 'go on' })).status).toBe(202);
  const status = await api.waitFor(id);
  expect(status.output).toEqual({ approval: 'while suspended' });
  // The event raised while suspended entered the history only after the resume.
  const types = await api.eventTypes(id);
  expect(types.filter((t) => ['ExecutionSuspended', 'ExecutionResumed', 'EventRaised'].includes(t))).toEqual([
    'ExecutionSuspended',
    'ExecutionResumed',
    'EventRaised',
  ]);
});

test('purge removes a finished instance, refuses a running one, and purges by filter', async () => {
  const done = await api.start('Sequence', ['P']);
  await api.waitFor(done);
  expect((await client('purge', done, {})).json()).toEqual({ instancesDeleted: 1 });
  expect(await api.status(done)).toBeUndefined();
  expect((await client('purge', done, {})).json()).toEqual({ instancesDeleted: 0 });

  const running = await api.start('WaitForEvent');
  await api.waitFor(running, ['Running']);
  expect((await call(`${api.webhook}/instances/${running}`, { method: 'DELETE' })).status).toBe(412);

  const since = new Date().toISOString();
  const terminated = await api.start('WaitForEvent');
  await api.waitFor(terminated, ['Running']);
  await api.post(terminated, 'terminate', 'cleanup');
  await api.waitFor(terminated);
  const purged = await call(`${api.webhook}/instances/?createdTimeFrom=${since}&runtimeStatus=Terminated`, {
    method: 'DELETE',
  });
  expect(purged.status).toBe(200);
  expect(purged.json()).toEqual({ instancesDeleted: 1 });
  expect(await api.status(terminated)).toBeUndefined();
  expect((await call(`${api.webhook}/instances/`, { method: 'DELETE' })).status).toBe(400);
});

test('rewind is refused for instances that did not fail and reported as unsupported otherwise', async () => {
  const ok = await api.start('Sequence', ['R']);
  await api.waitFor(ok);
  expect(await api.post(ok, 'rewind', 'why not')).toBe(412);
  const failed = await api.start('Failing');
  await api.waitFor(failed);
  expect(await api.post(failed, 'rewind', 'try again')).toBe(501);
});

test('starting an orchestrator that does not exist is a bad request', async () => {
  const response = await api.startRaw('NoSuchOrchestrator', {});
  expect(response.status).toBe(400);
  expect(response.json<{ ExceptionMessage: string }>().ExceptionMessage).toContain(
    "'NoSuchOrchestrator' doesn't exist",
  );
});
