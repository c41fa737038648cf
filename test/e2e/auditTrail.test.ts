// The audit trail end to end, on the devhost against the ARM sandbox and Azurite: requests racing to start
// the same operation, a registry whose resource group is as long and as non-ASCII as ARM allows, a damaged
// row in a registry's trail, and an export checked by the standalone verifier.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { TableClient } from '@azure/data-tables';

import { storageConnectionString } from '@acr-replica-guard/devhost/testing';
import { WatchStore } from '../../src/azure/watchStore';
import { parseRegistryId } from '../../src/domain';
import type { AuditEntry } from '../../src/domain';
import { APP_IDENTITY } from '../support/appFleet';
import { REPO_ROOT } from '../support/repoRoot';
import { uniqueTableName } from '../support/storage';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-audit-e2e';
/** 90 two-byte characters: the longest resource group name ARM accepts, each two bytes in UTF-8. */
const LONG_RG = 'é'.repeat(90);
const RACERS = 50;
const WATCH_TABLE = uniqueTableName('watch');

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id) => [
      { id: id(RG, 'crrace01'), location: 'westeurope', sku: 'Premium', replicas: [] },
      { id: id(LONG_RG, 'crlongname01'), location: 'westeurope', sku: 'Premium', replicas: [] },
      {
        id: id(LONG_RG, 'crlongbig01'),
        location: 'westeurope',
        sku: 'Premium',
        // Still creating for the whole test, so a sweep keeps watching it.
        sizeGiB: 1_000_000,
        replicas: [{ location: 'eastus', creating: { createdBy: APP_IDENTITY.objectId } }],
      },
      { id: id(RG, 'crdamaged01'), location: 'westeurope', sku: 'Premium', replicas: [] },
    ],
    { env: { WATCH_TABLE, STUCK_AFTER_MINUTES: '600' } },
  );
});

afterAll(async () => {
  await app?.stop();
});

const replicasOf = (resourceGroup: string, registry: string): string =>
  `/api/registries/${app.subscriptionId}/${encodeURIComponent(resourceGroup)}/${registry}/replicas`;

const stepsOf = (entries: AuditEntry[]): string[] => entries.map((e) => `${e.step}:${e.outcome}`);

test(`of ${RACERS} identical creates at once, one starts the operation and the trail says which`, async () => {
  const answers = await Promise.all(
    Array.from({ length: RACERS }, () =>
      app.api(replicasOf(RG, 'crrace01'), { method: 'POST', body: { location: 'northeurope' } }),
    ),
  );
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 202)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(RACERS - 1);

  const accepted = answers.find((a) => a.status === 202)!;
  const done = await app.waitForOperation(accepted.headers.get('location')!);
  expect(done).toMatchObject({ runtimeStatus: 'Completed', result: { outcome: 'succeeded' } });

  const trail = await app.audit.listByInstance(app.registryId(RG, 'crrace01'), done.operationId);
  const requestIdOf = (e: AuditEntry): unknown => e.detail?.requestId;
  const received = trail.filter((e) => e.step === 'received');
  const decisions = trail.filter((e) => e.step === 'requested');
  const acceptedEntries = decisions.filter((e) => e.outcome === 'accepted');
  const refused = decisions.filter((e) => e.outcome === 'refused');

  // Every request that passed the checks is on record, and each has exactly one decision.
  expect(new Set(received.map(requestIdOf)).size).toBe(received.length);
  expect(acceptedEntries).toHaveLength(1);
  expect(decisions).toHaveLength(RACERS);
  expect(new Set(decisions.map(requestIdOf)).size).toBe(RACERS);
  const winner = requestIdOf(acceptedEntries[0]!);
  expect(received.map(requestIdOf)).toContain(winner);
  // The losers that got as far as starting name the request whose start took.
  for (const entry of refused) {
    expect(entry.detail).toMatchObject({ refusal: 'operation-in-progress' });
    if (received.some((r) => requestIdOf(r) === requestIdOf(entry))) {
      expect(entry.detail).toMatchObject({ startedBy: winner });
    }
  }
  // The accepted entry comes from the run it started, before any of the run's own steps.
  const afterAccepted = stepsOf(trail.filter((e) => e.sequence > acceptedEntries[0]!.sequence));
  expect(afterAccepted.filter((s) => !s.startsWith('requested:') && !s.startsWith('received:'))[0]).toBe(
    'preflight:succeeded',
  );
  expect(await app.audit.verify(app.registryId(RG, 'crrace01'))).toMatchObject({
    intact: true,
    protection: 'keyed',
  });
});

describe('a registry in a resource group of 90 two-byte characters', () => {
  const registryId = (): string => app.registryId(LONG_RG, 'crlongname01');

  test('gets a replica created, every step audited and the trail intact', async () => {
    const accepted = await app.api(replicasOf(LONG_RG, 'crlongname01'), {
      method: 'POST',
      body: { location: 'northeurope' },
    });
    expect(accepted.status).toBe(202);

    const done = await app.waitForOperation(accepted.headers.get('location')!, 60_000);

    expect(done.operationId.length).toBeLessThanOrEqual(256);
    expect(done).toMatchObject({ runtimeStatus: 'Completed', result: { outcome: 'succeeded' } });
    const trail = await app.audit.listByInstance(registryId(), done.operationId);
    expect(stepsOf(trail).slice(0, 3)).toEqual([
      'received:progress',
      'requested:accepted',
      'preflight:succeeded',
    ]);
    expect(stepsOf(trail).at(-1)).toBe('completed:succeeded');
    const listed = await app.api(`/api/audit?registry=${encodeURIComponent(registryId())}`);
    expect(listed.status).toBe(200);
    expect(listed.json<{ value: unknown[] }>().value.length).toBe(trail.length);
    expect(await app.audit.verify(registryId())).toMatchObject({ intact: true, entries: trail.length });
  });

  test('is swept, a replica still creating kept in the watch table', async () => {
    const started = await app.api(
      `/api/registries/${app.subscriptionId}/${encodeURIComponent(LONG_RG)}/crlongbig01/heal`,
      { method: 'POST' },
    );
    expect(started.status).toBe(202);

    const done = await app.waitForOperation(started.headers.get('location')!, 60_000);

    expect(done.operationId.length).toBeLessThanOrEqual(256);
    expect(done.runtimeStatus).toBe('Completed');
    const watch = WatchStore.fromConnectionString(storageConnectionString(), WATCH_TABLE);
    const registry = parseRegistryId(app.registryId(LONG_RG, 'crlongbig01'));
    expect((await watch.watched(registry)).map((row) => row.name)).toEqual(['eastus']);
    expect(await app.audit.verify(app.registryId(LONG_RG, 'crlongbig01'))).toMatchObject({ intact: true });
  });
});

describe('a damaged row in a registry’s trail', () => {
  const registryId = (): string => app.registryId(RG, 'crdamaged01');

  beforeAll(async () => {
    const accepted = await app.api(replicasOf(RG, 'crdamaged01'), {
      method: 'POST',
      body: { location: 'northeurope' },
    });
    await app.waitForOperation(accepted.headers.get('location')!);
    const table = TableClient.fromConnectionString(storageConnectionString(), app.auditTable, {
      allowInsecureConnection: true,
    });
    const [preflight] = (await app.audit.list({ target: registryId() })).entries.filter(
      (e) => e.step === 'preflight',
    );
    for await (const row of table.listEntities({
      queryOptions: { filter: `entryId eq '${preflight!.entryId}'` },
    }))
      await table.updateEntity(
        { partitionKey: row.partitionKey!, rowKey: row.rowKey!, detail: '{"plan": [' },
        'Merge',
      );
  });

  test('is listed, marked damaged, with the rest of the trail', async () => {
    const answer = await app.api(`/api/audit?registry=${encodeURIComponent(registryId())}`);
    expect(answer.status).toBe(200);
    const value = answer.json<{ value: { step: string; damaged?: string[] }[] }>().value;
    expect(value.find((e) => e.step === 'preflight')).toMatchObject({ damaged: ['detail'] });
    expect(value.map((e) => e.step)).toContain('completed');
  });

  test('is reported by verify as changed', async () => {
    const answer = await app.api(`/api/audit/verify?registry=${encodeURIComponent(registryId())}`);
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ intact: false, firstBreak: { kind: 'changed' } });
  });

  test('does not stop the registry’s next operation, which is audited as usual', async () => {
    const accepted = await app.api(`${replicasOf(RG, 'crdamaged01')}/northeurope`, { method: 'DELETE' });
    expect(accepted.status).toBe(202);
    const done = await app.waitForOperation(accepted.headers.get('location')!);
    expect(done.result).toMatchObject({ outcome: 'succeeded' });
  });
});

describe('an export', () => {
  test('made by the app verifies with the standalone verifier and the app’s key', async () => {
    const registryId = app.registryId(RG, 'crrace01');
    const answer = await app.api(`/api/audit/export?registry=${encodeURIComponent(registryId)}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/x-ndjson');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-e2e-'));
    try {
      fs.writeFileSync(path.join(dir, 'export.jsonl'), answer.text);
      fs.writeFileSync(path.join(dir, 'key'), process.env.AUDIT_SIGNING_KEY ?? '');
      const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
        execFile(
          process.execPath,
          [
            path.join(REPO_ROOT, 'dist', 'tools', 'verifyAudit.js'),
            path.join(dir, 'export.jsonl'),
            '--key-file',
            path.join(dir, 'key'),
          ],
          (error, stdout) => resolve({ code: error === null ? 0 : Number(error.code), output: stdout }),
        );
      });
      expect(output).toContain('checked:    keyed');
      expect(output).toContain('verdict:    intact');
      expect(code).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
