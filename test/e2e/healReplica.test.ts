import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { HealRequest, HealResult } from '../../src/domain';
import { APP_IDENTITY } from '../support/appFleet';
import { CREATE_OWN_ROLE, rbacAdministration } from '../support/rbacAdministration';
import { SandboxTokenCredential, authorizationClient } from '@acr-replica-guard/sandbox/testing';
import { armWritesTo, startApp } from './appHarness';
import {
  durable,
  healRequest as baseHealRequest,
  healResult,
  startHeal as startHealOn,
  untilPhase,
} from './healHarness';
import type { AppHarness } from './appHarness';

// The heal orchestration runs on the devhost against an ARM sandbox of this test's own. It is started
// through the durable HTTP API the Functions host exposes (the entry points that start it in production
// are tested with the sweep).

const RG = 'rg-heal';
const NET_RG = 'rg-net';

let app: AppHarness;
let notifications: unknown[] = [];
let receiver: http.Server;

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      notifications.push(JSON.parse(body));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;

  app = await startApp(
    (id, subscriptionId) => {
      const endpoint = (name: string): string =>
        `/subscriptions/${subscriptionId}/resourceGroups/${NET_RG}/providers/Microsoft.Network/privateEndpoints/${name}`;
      return [
        {
          id: id(RG, 'crstuck01'),
          location: 'westeurope',
          sku: 'Premium',
          privateEndpoints: [endpoint('pe-stuck')],
          replicas: [
            {
              location: 'northeurope',
              regionEndpointEnabled: false,
              tags: { team: 'platform' },
              creating: { createdBy: APP_IDENTITY.objectId },
            },
          ],
        },
        {
          id: id(RG, 'crfailed01'),
          location: 'westeurope',
          sku: 'Premium',
          replicas: [{ location: 'eastus', failed: true }],
        },
        {
          id: id(RG, 'crslow01'),
          location: 'westeurope',
          sku: 'Premium',
          sizeGiB: 1_000_000,
          replicas: [{ location: 'eastus2', creating: { createdBy: APP_IDENTITY.objectId } }],
        },
        {
          id: id(RG, 'crgiveup01'),
          location: 'westeurope',
          sku: 'Premium',
          replicas: [{ location: 'eastus', failed: true }],
        },
        {
          id: id(RG, 'crappr01'),
          location: 'westeurope',
          sku: 'Premium',
          replicas: [
            { location: 'westus2', failed: true },
            { location: 'eastus', failed: true },
            { location: 'northeurope', failed: true },
          ],
        },
      ];
    },
    {
      // Healing grants a role, so the app's identity may write role definitions and assignments.
      seed: rbacAdministration,
      env: { ...CREATE_OWN_ROLE, SLACK_NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${port}/notify` },
    },
  );
});

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

beforeEach(() => {
  notifications = [];
});

function healRequest(registry: string, replica: string, overrides: Partial<HealRequest> = {}): HealRequest {
  return baseHealRequest(`${app.registryId(RG, registry)}/replications/${replica}`, overrides);
}

const startHeal = (request: HealRequest, instanceId: string): Promise<void> =>
  startHealOn(app, request, instanceId);
const resultOf = (instanceId: string): Promise<HealResult> => healResult(app, instanceId);

async function replica(registry: string, name: string): Promise<Record<string, unknown> | undefined> {
  const list = (await app.api(`/api/registries/${app.subscriptionId}/${RG}/${registry}/replicas`)).json<{
    value: ({ name: string } & Record<string, unknown>)[];
  }>();
  return list.value.find((r) => r.name === name);
}

test('a replica stuck for lack of the private-link permission is deleted, the permission granted, and the replica created again with its settings', async () => {
  await startHeal(healRequest('crstuck01', 'northeurope'), 'heal-stuck');

  const result = await resultOf('heal-stuck');

  expect(result).toMatchObject({
    diagnosis: 'missing-private-link-permission',
    outcome: 'healed',
    attempts: 1,
  });
  expect(await replica('crstuck01', 'northeurope')).toMatchObject({
    provisioningState: 'Succeeded',
    regionEndpointEnabled: false,
    tags: { team: 'platform' },
  });
  const authorization = authorizationClient(
    app.sandbox,
    new SandboxTokenCredential(app.sandbox.url, APP_IDENTITY.objectId),
    app.subscriptionId,
  );
  const grants = [];
  for await (const assignment of authorization.roleAssignments.listForScope(
    `/subscriptions/${app.subscriptionId}`,
    {
      filter: `principalId eq '${APP_IDENTITY.objectId}'`,
    },
  )) {
    if (assignment.scope?.toLowerCase().includes('/privateendpoints/')) grants.push(assignment);
  }
  expect(grants).toHaveLength(1);
  const steps = (await app.audit.listByInstance(app.registryId(RG, 'crstuck01'), 'heal-stuck')).map(
    (e) => e.step,
  );
  expect(steps).toEqual(['diagnosed', 'permission-granted', 'permission-effective', 'healed']);
  expect((await app.audit.verify(app.registryId(RG, 'crstuck01'))).intact).toBe(true);
});

test('a failed replica is recreated without any grant', async () => {
  await startHeal(healRequest('crfailed01', 'eastus'), 'heal-failed');

  const result = await resultOf('heal-failed');

  expect(result).toMatchObject({ diagnosis: 'failed', outcome: 'healed' });
  expect(await replica('crfailed01', 'eastus')).toMatchObject({ provisioningState: 'Succeeded' });
  const steps = (await app.audit.listByInstance(app.registryId(RG, 'crfailed01'), 'heal-failed')).map(
    (e) => e.step,
  );
  expect(steps).not.toContain('permission-granted');
});

test('a slow replica that is still progressing is reported and left alone', async () => {
  await startHeal(healRequest('crslow01', 'eastus2'), 'heal-slow');

  const result = await resultOf('heal-slow');

  expect(result).toMatchObject({ diagnosis: 'slow', outcome: 'skipped' });
  expect(await replica('crslow01', 'eastus2')).toMatchObject({ provisioningState: 'Creating' });
  expect(notifications).toHaveLength(1);
  expect((notifications[0] as { text: string }).text).toMatch(
    /^🐢 Replica eastus2 is still Creating but progressing; left alone\. .*operation `heal-slow`/,
  );
});

test('a dry run diagnoses and plans but changes nothing', async () => {
  await startHeal(healRequest('crappr01', 'westus2', { dryRun: true }), 'heal-dry');

  const result = await resultOf('heal-dry');

  expect(result).toMatchObject({ diagnosis: 'failed', outcome: 'reported' });
  expect(result.plan?.some((line) => line.startsWith('delete replica westus2'))).toBe(true);
  expect(await replica('crappr01', 'westus2')).toMatchObject({ provisioningState: 'Failed' });
});

test('under the approve policy it waits for the approval event, then heals', async () => {
  const replicaId = `${app.registryId(RG, 'crappr01')}/replications/westus2`;
  await startHeal(healRequest('crappr01', 'westus2', { policy: 'approve' }), 'heal-approve');
  await untilPhase(app, 'heal-approve', 'awaiting-approval');
  expect(await replica('crappr01', 'westus2')).toMatchObject({ provisioningState: 'Failed' });

  const approvedAt = new Date().toISOString();
  const raised = await app.api(durable('instances/heal-approve/raiseEvent/HealApproval'), {
    method: 'POST',
    body: { approved: true, approver: { id: 'U123', name: 'carol' } },
  });
  expect(raised.status).toBe(202);

  expect(await resultOf('heal-approve')).toMatchObject({ outcome: 'healed' });
  const approval = (await app.audit.listByInstance(app.registryId(RG, 'crappr01'), 'heal-approve')).find(
    (e) => e.step === 'approval',
  );
  expect(approval).toMatchObject({ outcome: 'accepted', detail: { approver: { id: 'U123' } } });
  // ARM saw the heal's delete and create only after the approval.
  const writes = await armWritesTo(app, replicaId);
  expect(writes.map((w) => w.operation)).toEqual(['Replications_Delete', 'Replications_Create']);
  expect(writes.filter((w) => w.at < approvedAt)).toEqual([]);
});

test('under the approve policy a rejection or a timeout leaves the replica untouched', async () => {
  await startHeal(healRequest('crappr01', 'eastus', { policy: 'approve' }), 'heal-reject');
  await app.api(durable('instances/heal-reject/raiseEvent/HealApproval'), {
    method: 'POST',
    body: { approved: false, approver: { id: 'U999' } },
  });
  expect(await resultOf('heal-reject')).toMatchObject({ outcome: 'rejected' });

  await startHeal(
    healRequest('crappr01', 'northeurope', { policy: 'approve', approvalTimeoutMinutes: 0.01 }),
    'heal-timeout',
  );
  expect(await resultOf('heal-timeout')).toMatchObject({
    outcome: 'rejected',
    reason: 'no approval before the timeout',
  });

  expect(await replica('crappr01', 'eastus')).toMatchObject({ provisioningState: 'Failed' });
  expect(await replica('crappr01', 'northeurope')).toMatchObject({ provisioningState: 'Failed' });
});

test('when every attempt fails, it stops after the bounded attempts and escalates through the notification hook', async () => {
  const registryId = app.registryId(RG, 'crgiveup01');
  const installed = await app.sandbox.admin.call('POST', '/faults', {
    kind: 'replicationFailure',
    registryId,
    location: 'eastus',
    count: 5,
    errorMessage: 'capacity exhausted in region',
  });
  expect(installed.status).toBe(201);

  await startHeal(healRequest('crgiveup01', 'eastus', { maxAttempts: 2 }), 'heal-giveup');
  const result = await resultOf('heal-giveup');

  expect(result).toMatchObject({ diagnosis: 'failed', outcome: 'escalated', attempts: 2 });
  const steps = (await app.audit.listByInstance(registryId, 'heal-giveup')).map(
    (e) => `${e.step}:${e.outcome}`,
  );
  expect(steps).toEqual([
    'diagnosed:succeeded',
    'attempt-failed:failed',
    'attempt-failed:failed',
    'escalated:failed',
  ]);
  expect(notifications).toHaveLength(1);
  expect((notifications[0] as { text: string }).text).toMatch(
    /^🚨 Healing replica eastus gave up after 2 attempts: .*operation `heal-giveup`/,
  );
});
