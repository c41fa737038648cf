// The project's own app, loaded from its package.json `main` (dist/src/index.js, so build first), served by
// the devhost over HTTP.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DevHostProcess } from '@acr-replica-guard/devhost';
import { startDevHost } from '@acr-replica-guard/devhost';
import { call } from '@acr-replica-guard/devhost/testing';
import { REPO_ROOT } from '../support/repoRoot';

let host: DevHostProcess;

beforeAll(async () => {
  const entry = path.join(REPO_ROOT, 'dist', 'src', 'index.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`${entry} is missing: run "npm run build" before the devhost tests`);
  }
  host = await startDevHost({ appRoot: REPO_ROOT, env: { DEVHOST_LOG_LEVEL: 'error' } });
});

afterAll(async () => {
  await host?.stop();
});

test('GET /api/health answers 200 through the devhost', async () => {
  const response = await call(`${host.url}/api/health`);
  expect(response.status).toBe(200);
  expect(response.json()).toEqual({ status: 'ok', service: 'acr-replica-guard' });
  expect(response.headers.get('cache-control')).toBe('no-store');
});

test('the health function accepts GET only', async () => {
  expect((await call(`${host.url}/api/health`, { method: 'POST' })).status).toBe(404);
});
