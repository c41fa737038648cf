// HTTP triggers through the devhost over real HTTP: the route prefix from host.json, route templates
// with parameters, constraints and catch-alls, methods, bodies as raw bytes, status codes, cookies, hooks,
// settings, errors, and function keys when they are configured.

import { createHmac } from 'node:crypto';
import type { DevHostProcess } from '../startDevHost';
import { startDevHost } from '../startDevHost';
import { call, fixtureApp, tempDir } from '../testing';

let open: DevHostProcess;
let locked: DevHostProcess;

beforeAll(async () => {
  [open, locked] = await Promise.all([
    startDevHost({
      appRoot: fixtureApp('http'),
      env: {
        OVERRIDDEN: 'from the environment',
        DEVHOST_TEST_OUT: tempDir('devhost-http'),
        DEVHOST_LOG_LEVEL: 'error',
      },
    }),
    startDevHost({
      appRoot: fixtureApp('http'),
      env: {
        DEVHOST_FUNCTION_KEY: 'function-key',
        DEVHOST_MASTER_KEY: 'master-key',
        DEVHOST_TEST_OUT: tempDir('devhost-http-keys'),
        DEVHOST_LOG_LEVEL: 'error',
      },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([open?.stop(), locked?.stop()]);
});

interface Echo {
  method: string;
  url: string;
  params: Record<string, string>;
  query: Record<string, string>;
  contentType: string | null;
  custom: string | null;
  bodyBase64: string;
}

test('routes live under the host.json route prefix, not under api', async () => {
  expect((await call(`${open.url}/v1/echo`)).status).toBe(200);
  expect((await call(`${open.url}/api/echo`)).status).toBe(404);
});

test('optional route parameters, query and headers reach the handler', async () => {
  const named = await call(`${open.url}/v1/echo/bob?a=1&b=two`, { headers: { 'x-custom': 'yes' } });
  expect(named.json<Echo>()).toMatchObject({
    method: 'GET',
    params: { name: 'bob' },
    query: { a: '1', b: 'two' },
    custom: 'yes',
  });
  expect(named.json<Echo>().url).toBe(`${open.url}/v1/echo/bob?a=1&b=two`);
  expect((await call(`${open.url}/v1/echo`)).json<Echo>().params).toEqual({});
});

test('repeated query names reach the handler as the host sends them: one name, values joined by commas', async () => {
  const repeated = await call(`${open.url}/v1/echo?op=create&op=delete&Mode=a&mode=&MODE=c&flag`);
  // ASP.NET Core folds names case-insensitively and the host joins the values; the URL keeps them all.
  expect(repeated.json<Echo>().query).toEqual({ op: 'create,delete', Mode: 'a,,c', flag: '' });
  expect(new URL(repeated.json<Echo>().url).searchParams.getAll('op')).toEqual(['create', 'delete']);
});

test('a method the function does not accept is not found', async () => {
  expect((await call(`${open.url}/v1/echo`, { method: 'DELETE' })).status).toBe(404);
  expect((await call(`${open.url}/v1/echo`, { method: 'PUT', body: 'x' })).status).toBe(200);
});

test('constraints pick the route, literals win over parameters, and catch-alls take the rest', async () => {
  expect((await call(`${open.url}/v1/items/42`)).json()).toEqual({ kind: 'id', id: 42 });
  expect((await call(`${open.url}/v1/items/abc`)).json()).toEqual({ kind: 'slug', slug: 'abc' });
  expect((await call(`${open.url}/v1/items/special`)).json()).toEqual({ kind: 'literal' });
  expect((await call(`${open.url}/v1/items/4x2`)).status).toBe(404);
  expect((await call(`${open.url}/v1/files/a/b/c.txt`)).json()).toEqual({ path: 'a/b/c.txt' });
  expect((await call(`${open.url}/v1/files`)).json()).toEqual({ path: null });
});

test('a function without a route answers at its name, case-insensitively', async () => {
  expect((await call(`${open.url}/v1/defaultRoute`)).text).toBe('default route');
  expect((await call(`${open.url}/v1/DEFAULTROUTE`)).text).toBe('default route');
});

test('request bodies arrive byte for byte, so signatures over them verify', async () => {
  const bytes = Buffer.from([0, 255, 1, 254, 10, 13, 0xc3, 0x28]);
  const echoed = await call(`${open.url}/v1/echo`, {
    method: 'POST',
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(Buffer.from(echoed.json<Echo>().bodyBase64, 'base64')).toEqual(bytes);

  const form = 'payload=%7B%22a%22%3A1%7D&token=x';
  const signature = createHmac('sha256', 'fixture-secret').update(form).digest('hex');
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': signature };
  expect((await call(`${open.url}/v1/signed`, { method: 'POST', body: form, headers })).status).toBe(200);
  const tampered = await call(`${open.url}/v1/signed`, { method: 'POST', body: `${form}&x=1`, headers });
  expect(tampered.status).toBe(401);
});

test('status codes, cookies and empty responses come back as the handler set them', async () => {
  const teapot = await call(`${open.url}/v1/status/418`);
  expect([teapot.status, teapot.text]).toEqual([418, 'status 418']);

  const cookies = await call(`${open.url}/v1/cookies`, { headers: { cookie: 'a=1; b=2' } });
  expect(cookies.headers.getSetCookie()).toEqual([
    'session=abc; max-age=60; path=/; samesite=lax; httponly',
    'theme=dark; secure',
  ]);
  expect(cookies.json()).toEqual({ received: 'a=1; b=2' });

  expect((await call(`${open.url}/v1/nothing`)).status).toBe(204);
});

test('a handler that throws answers 500 and an unknown route 404', async () => {
  const failed = await call(`${open.url}/v1/boom`);
  expect([failed.status, failed.text]).toEqual([500, '']);
  expect((await call(`${open.url}/v1/no/such/route`)).status).toBe(404);
  expect((await call(`${open.url}/elsewhere`)).status).toBe(404);
});

test('local.settings.json values become environment variables unless the environment sets them', async () => {
  const settings = (await call(`${open.url}/v1/settings`)).json<Record<string, string>>();
  expect(settings.greeting).toBe('hello from local.settings.json');
  expect(settings.overridden).toBe('from the environment');
  expect(settings.startedAt).toMatch(/^\d{4}-/);
});

test('invocation hooks run around the handler and share hook data', async () => {
  const response = await call(`${open.url}/v1/hooked`);
  expect(response.headers.get('x-post-hook')).toBe('hooked');
});

test('without configured keys, function-level routes are open as under Core Tools', async () => {
  expect((await call(`${open.url}/v1/secure`)).status).toBe(200);
  expect((await call(`${open.url}/v1/admin-only`)).status).toBe(200);
});

test('with configured keys, function level takes the function or master key and admin only the master key', async () => {
  expect((await call(`${locked.url}/v1/secure`)).status).toBe(401);
  expect((await call(`${locked.url}/v1/secure`, { headers: { 'x-functions-key': 'wrong' } })).status).toBe(
    401,
  );
  expect(
    (await call(`${locked.url}/v1/secure`, { headers: { 'x-functions-key': 'function-key' } })).text,
  ).toBe('function level');
  expect((await call(`${locked.url}/v1/secure?code=master-key`)).status).toBe(200);
  expect((await call(`${locked.url}/v1/admin-only?code=function-key`)).status).toBe(401);
  expect(
    (await call(`${locked.url}/v1/admin-only`, { headers: { 'x-functions-key': 'master-key' } })).status,
  ).toBe(200);
  expect((await call(`${locked.url}/v1/echo`)).status).toBe(200);
});
