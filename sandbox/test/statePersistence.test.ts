// Azure keeps its state while a local process restarts: a sandbox given a state file comes back with
// the same resources, RBAC and operations under way, and its virtual clock goes on from where it was
// (advanced by the time it was down, at the speed it ran). Without a state file it starts afresh.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { SeedDocument } from '../types';
import type { TestSandbox } from '../testing';
import { startTestSandbox } from '../testing';
import { STILL_CLOCK, advanceClock, armFetch } from './armFetch';

const SUB_ID = '43000000-0000-4000-8000-000000000001';
const SUB = `/subscriptions/${SUB_ID}`;
const ADMIN = '43000000-0000-4000-8000-0000000000a1';
const APP = '43000000-0000-4000-8000-0000000000b1';
const REGISTRY = `${SUB}/resourceGroups/rg-keep/providers/Microsoft.ContainerRegistry/registries/crkeep01`;
const PE = `${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-keep`;
const ASSIGNMENT = '43000000-0000-4000-8000-00000000f001';
const PROXY_WRITER = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/43000000-0000-4000-8000-00000000d001`;

const seed: SeedDocument = {
  principals: [
    { objectId: ADMIN, appId: ADMIN, displayName: 'admin' },
    { objectId: APP, appId: APP, displayName: 'app' },
  ],
  subscriptions: [{ subscriptionId: SUB_ID, locations: ['westeurope', 'eastus', 'uksouth'] }],
  roleDefinitions: [
    {
      name: '43000000-0000-4000-8000-00000000d001',
      roleName: 'Proxy writer (kept)',
      permissions: [{ actions: ['Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write'] }],
      assignableScopes: [SUB],
    },
  ],
  roleAssignments: [
    { principalId: ADMIN, role: 'Owner', scope: SUB },
    { principalId: APP, role: 'Contributor', scope: SUB },
  ],
  registries: [
    {
      id: REGISTRY,
      location: 'westeurope',
      sku: 'Premium',
      privateEndpoints: [PE],
      // Created by the app without the private-link permission: stuck for ever.
      replicas: [{ location: 'eastus', creating: { createdBy: APP } }],
    },
  ],
};

let dir: string;
let statePath: string;
let sandbox: TestSandbox | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
  statePath = path.join(dir, 'sandbox-state.json');
});
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const start = async (): Promise<TestSandbox> =>
  (sandbox = await startTestSandbox(seed, { speed: STILL_CLOCK, statePath }));
const replica = (name: string): string => `${REGISTRY}/replications/${name}?api-version=2025-11-01`;
const virtualTime = async (s: TestSandbox): Promise<number> =>
  Date.parse((await s.admin.call<{ virtualTime: string }>('GET', '/clock')).body.virtualTime);

describe('a sandbox with a state file', () => {
  test('comes back after a restart with what was deleted, granted and started, not with its seed', async () => {
    let s = await start();
    expect((await armFetch(s, APP, 'DELETE', replica('eastus'))).status).toBe(202);
    await advanceClock(s, 3600);
    const grant = await armFetch(
      s,
      ADMIN,
      'PUT',
      `${PE}/providers/Microsoft.Authorization/roleAssignments/${ASSIGNMENT}?api-version=2022-04-01`,
      { properties: { roleDefinitionId: PROXY_WRITER, principalId: APP, principalType: 'ServicePrincipal' } },
    );
    expect(grant.status).toBe(201);
    expect((await armFetch(s, APP, 'PUT', replica('uksouth'), { location: 'uksouth' })).status).toBe(201);
    await s.close();
    sandbox = undefined;

    s = await start();

    expect((await armFetch(s, APP, 'GET', replica('eastus'))).status).toBe(404);
    expect(
      (
        await armFetch(
          s,
          ADMIN,
          'GET',
          `${PE}/providers/Microsoft.Authorization/roleAssignments/${ASSIGNMENT}?api-version=2022-04-01`,
        )
      ).status,
    ).toBe(200);
    expect((await armFetch(s, APP, 'GET', replica('uksouth'))).body).toMatchObject({
      properties: { provisioningState: 'Creating' },
    });
    // The create started before the restart, with the permission granted, goes on to succeed.
    await advanceClock(s, 3600);
    expect((await armFetch(s, APP, 'GET', replica('uksouth'))).body).toMatchObject({
      properties: { provisioningState: 'Succeeded' },
    });
  });

  test('keeps a stuck create stuck, and its operation id valid, across a restart', async () => {
    let s = await start();
    const state = async (t: TestSandbox): Promise<unknown> =>
      (await t.admin.call('GET', `/state?subscriptionId=${SUB_ID}`)).body;
    const before = await state(s);
    await s.close();
    sandbox = undefined;

    s = await start();

    expect(await state(s)).toEqual({
      ...(before as object),
      clock: expect.any(Object) as unknown,
    });
  });

  test('keeps what callers have spent of their request budget across a restart', async () => {
    let s = await start();
    await armFetch(s, APP, 'GET', replica('eastus'));
    const spent = await armFetch(s, APP, 'GET', replica('eastus'));
    expect(spent.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('248');
    await s.close();
    sandbox = undefined;

    s = await start();

    const after = await armFetch(s, APP, 'GET', replica('eastus'));
    expect(after.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('247');
  });

  test('continues the virtual clock from where it stood, moved on by the time it was down', async () => {
    let s = await start();
    await advanceClock(s, 7200);
    const before = await virtualTime(s);
    await s.close();
    sandbox = undefined;

    s = await start();
    const after = await virtualTime(s);

    expect(after).toBeGreaterThanOrEqual(before);
    // At this speed the time the restart took adds far less than a second.
    expect(after - before).toBeLessThan(1000);
  });

  test('starts from its seed when the file does not exist, and writes the file at once', async () => {
    const s = await start();
    expect(fs.existsSync(statePath)).toBe(true);
    expect((await armFetch(s, APP, 'GET', replica('eastus'))).body).toMatchObject({
      properties: { provisioningState: 'Creating' },
    });
  });
});

describe('a sandbox without a state file', () => {
  test('keeps nothing from one start to the next', async () => {
    let s = await startTestSandbox(seed, { speed: STILL_CLOCK });
    sandbox = s;
    expect((await armFetch(s, APP, 'DELETE', replica('eastus'))).status).toBe(202);
    await advanceClock(s, 3600);
    await s.close();

    s = await startTestSandbox(seed, { speed: STILL_CLOCK });
    sandbox = s;
    expect((await armFetch(s, APP, 'GET', replica('eastus'))).body).toMatchObject({
      properties: { provisioningState: 'Creating' },
    });
  });
});
