// With function keys configured, every route the devhost owns needs a key, the app's durable client
// still works (the binding data carries the system key in `requiredQueryStringParameters`, as the
// extension's BindingHelper gives it), and no key or `code` value ever reaches the log.

import type { DevHostProcess } from '../startDevHost';
import { startDevHost } from '../startDevHost';
import { call, eventually, fixtureApp, storageConnectionString, tempDir, uniqueHub } from '../testing';

const FUNCTION_KEY = 'function-key-value-1234';
const MASTER_KEY = 'master-key-value-5678';

let functionKeyOnly: DevHostProcess;
let withMaster: DevHostProcess;

beforeAll(async () => {
  const env = (name: string, extra: Record<string, string>) => ({
    AzureWebJobsStorage: storageConnectionString(),
    DEVHOST_TEST_HUB: uniqueHub(name),
    DEVHOST_TEST_OUT: tempDir(`devhost-${name}`),
    DEVHOST_DURABLE_POLL_MS: '50',
    DEVHOST_LOG_LEVEL: 'info',
    ...extra,
  });
  [functionKeyOnly, withMaster] = await Promise.all([
    startDevHost({
      appRoot: fixtureApp('durable'),
      env: env('Keyed', { DEVHOST_FUNCTION_KEY: FUNCTION_KEY }),
    }),
    startDevHost({
      appRoot: fixtureApp('durable'),
      env: env('Master', { DEVHOST_FUNCTION_KEY: FUNCTION_KEY, DEVHOST_MASTER_KEY: MASTER_KEY }),
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([functionKeyOnly?.stop(), withMaster?.stop()]);
});

const instances = async (host: DevHostProcess): Promise<{ instanceId: string; name: string }[]> =>
  (await call(`${host.url}/runtime/webhooks/durabletask/instances/?code=${MASTER_KEY}`)).json<
    { instanceId: string; name: string }[]
  >();

describe('keys on every devhost route', () => {
  test('a keyless call to the local RPC path neither lists instances nor starts one', async () => {
    for (const host of [functionKeyOnly, withMaster]) {
      const listed = await call(`${host.url}/durabletask/instances/`);
      expect(listed.status).toBeGreaterThanOrEqual(400);
      expect(listed.text).not.toContain('instanceId');
      const started = await call(`${host.url}/durabletask/orchestrators/Sequence/keyless-start`, {
        method: 'POST',
        body: '["nobody"]',
      });
      expect(started.status).toBeGreaterThanOrEqual(400);
    }
    expect((await instances(withMaster)).map((s) => s.instanceId)).not.toContain('keyless-start');
  });

  test('the webhook API, the admin endpoint, the history view and the root need a key', async () => {
    for (const path of [
      '/runtime/webhooks/durabletask/instances/',
      '/devhost/instances/anything/history',
      '/',
    ]) {
      expect((await call(`${withMaster.url}${path}`)).status).toBe(401);
    }
    expect((await call(`${withMaster.url}/admin/functions/anything`, { method: 'POST' })).status).toBe(401);
    expect(
      (await call(`${withMaster.url}/runtime/webhooks/durabletask/instances/?code=${FUNCTION_KEY}`)).status,
    ).toBe(401);
    expect(
      (await call(`${withMaster.url}/runtime/webhooks/durabletask/instances/?code=${MASTER_KEY}`)).status,
    ).toBe(200);
  });

  test('the durable client inside the app still starts and follows orchestrations', async () => {
    for (const host of [functionKeyOnly, withMaster]) {
      const started = await call(`${host.url}/api/orchestrators/Sequence`, {
        method: 'POST',
        body: '["Keyed"]',
      });
      expect(started.status).toBe(202);
      const links = started.json<{ id: string; statusQueryGetUri: string }>();
      // The check-status links carry the system key, as the host's do, and work with it.
      expect(new URL(links.statusQueryGetUri).searchParams.get('code')).toBeTruthy();
      const done = await eventually('the orchestration to complete', async () => {
        const status = await call(links.statusQueryGetUri);
        return status.status === 200 ? status.json<{ output: unknown }>() : undefined;
      });
      expect(done.output).toEqual(['Hello Keyed!']);
      const viaClient = await call(`${host.url}/api/client/status/${links.id}`, {
        method: 'POST',
        body: '{}',
      });
      expect(viaClient.json()).toMatchObject({ runtimeStatus: 'Completed' });
    }
  });
});

describe('no keys in the log', () => {
  test('a failed request is logged without its code parameter', async () => {
    const failed = await call(
      `${withMaster.url}/runtime/webhooks/durabletask/instances/%E0%A4%A?code=${MASTER_KEY}`,
    );
    expect(failed.status).toBe(500);
    const output = await eventually('the failure to be logged', () =>
      withMaster.output().includes('%E0%A4%A') ? withMaster.output() : undefined,
    );
    expect(output).toContain('code=[redacted]');
    expect(output).not.toContain(MASTER_KEY);
  });

  test('keys a function logs from its request, in the URL or the x-functions-key header, are redacted', async () => {
    for (const host of [functionKeyOnly, withMaster]) {
      expect((await call(`${host.url}/api/log-request?code=${FUNCTION_KEY}&other=1`)).status).toBe(200);
      expect(
        (
          await call(`${host.url}/api/log-request?via=header`, {
            headers: { 'x-functions-key': FUNCTION_KEY },
          })
        ).status,
      ).toBe(200);
      const output = await eventually('the request logs', () =>
        host.output().includes('via=header') && host.output().includes('other=1') ? host.output() : undefined,
      );
      expect(output).not.toContain(FUNCTION_KEY);
      expect(output).not.toContain(MASTER_KEY);
      expect(output).toContain('[redacted]');
    }
  });
});
