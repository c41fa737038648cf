// Telemetry of the real app on the devhost, read from its local exporter (TELEMETRY_FILE): a sweep reports
// its suspects, duration and the replicas it saw by state; a heal of a replica stuck on a private-endpoint
// registry leaves a log record for every audited step, with its operation id, registry, replica, step and
// outcome, and counts as healed with its time to heal; ARM's 429s and the client's retries are counted by
// subscription; a verification's verdict is logged; and no secret in the settings reaches the file.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { TableClient } from '@azure/data-tables';
import { eventually } from '@acr-replica-guard/devhost/testing';

import { SWEEP_INSTANCE_ID } from '../../src/domain';
import type { HealResult } from '../../src/domain';
import { DIMENSIONS, METRICS, TELEMETRY_EVENTS } from '../../src/domain/telemetry';
import { APP_IDENTITY } from '../support/appFleet';
import { PATIENCE_MS } from '../support/patience';
import { CREATE_OWN_ROLE, rbacAdministration } from '../support/rbacAdministration';
import { slackHeaders } from '../support/slack';
import { storageConnectionString } from '../support/storage';
import { carries, points, readTelemetry, total } from '../support/telemetryFile';
import type { LogLine } from '../support/telemetryFile';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';
import { durable, healRequest } from './healHarness';

const RG = 'rg-telemetry';
const FUNCTION_KEY = randomBytes(24).toString('base64url');
const MASTER_KEY = randomBytes(24).toString('base64url');
const SLACK_SECRET = randomBytes(16).toString('hex');
const TEAMS_TOKEN = randomBytes(32).toString('base64');
const AUDIT_KEY = randomBytes(32).toString('base64');
const SECRETS = [FUNCTION_KEY, MASTER_KEY, SLACK_SECRET, TEAMS_TOKEN, AUDIT_KEY];

const KEYED = { 'x-functions-key': FUNCTION_KEY };
const MASTER = { 'x-functions-key': MASTER_KEY };

const telemetryFile = path.join(
  fs.mkdtempSync(path.join(os.tmpdir(), 'replica-guard-telemetry-')),
  'telemetry.jsonl',
);
let app: AppHarness;
let stuckRegistry: string;
let calmRegistry: string;

beforeAll(async () => {
  app = await startApp(
    (id, subscriptionId) => [
      {
        id: id(RG, 'crstuck01'),
        location: 'westeurope',
        sku: 'Premium',
        privateEndpoints: [
          `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-stuck`,
        ],
        replicas: [
          {
            location: 'northeurope',
            regionEndpointEnabled: false,
            creating: { createdBy: APP_IDENTITY.objectId },
          },
        ],
      },
      {
        id: id(RG, 'crcalm01'),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'eastus' }, { location: 'westus2' }],
      },
    ],
    {
      // Healing grants the private-link permission, so the app's identity may write roles and assignments.
      seed: rbacAdministration,
      env: {
        ...CREATE_OWN_ROLE,
        TELEMETRY_FILE: telemetryFile,
        DEVHOST_FUNCTION_KEY: FUNCTION_KEY,
        DEVHOST_MASTER_KEY: MASTER_KEY,
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        TEAMS_WEBHOOK_SECRET: TEAMS_TOKEN,
        AUDIT_SIGNING_KEY: AUDIT_KEY,
      },
    },
  );
  stuckRegistry = app.registryId(RG, 'crstuck01');
  calmRegistry = app.registryId(RG, 'crcalm01');
});

afterAll(async () => {
  await app?.stop();
});

/** Waits until the file holds what `probe` looks for (metrics reach it once a second). */
function untilTelemetry<T>(
  what: string,
  probe: (t: ReturnType<typeof readTelemetry>) => T | undefined,
): Promise<T> {
  return eventually(what, () => probe(readTelemetry(telemetryFile)), PATIENCE_MS);
}

const stepLogs = (logs: LogLine[]): LogLine[] =>
  logs.filter((line) => line.attributes[DIMENSIONS.event] === TELEMETRY_EVENTS.auditStep);

async function untilDone<T>(url: string): Promise<T> {
  return eventually(
    `${url} to finish`,
    async () => {
      const answer = await app.api(url, { headers: MASTER });
      const view = answer.json<{ runtimeStatus: string }>();
      if (['Failed', 'Terminated'].includes(view.runtimeStatus)) throw new Error(answer.text);
      return view.runtimeStatus === 'Completed' ? (view as T) : undefined;
    },
    PATIENCE_MS,
  );
}

/** `/acr list crcalm01` from Slack, signed with the signing secret, with the function key in the query. */
async function slackList(): Promise<void> {
  const body = new URLSearchParams({
    team_id: 'T0TELE',
    user_id: 'U0TELE',
    user_name: 'tele',
    channel_id: 'C0OPS',
    command: '/acr',
    text: 'list crcalm01',
    response_url: 'https://hooks.slack.invalid/commands/T0TELE/1/abc',
    trigger_id: '1.2.3',
  }).toString();
  const chat = await app.api(`/api/chat/slack/commands?code=${encodeURIComponent(FUNCTION_KEY)}`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, SLACK_SECRET),
  });
  expect(chat.status).toBe(200);
}

test('a sweep reports its suspects, its duration, and the replicas it saw by state', async () => {
  const ran = await app.api('/admin/functions/healSchedule', { method: 'POST', body: {}, headers: MASTER });
  expect(ran.status).toBe(202);
  await untilDone(durable(`instances/${SWEEP_INSTANCE_ID}`));

  const { logs, metrics } = await untilTelemetry('the sweep metrics', (t) =>
    total(t.metrics, METRICS.sweepDuration.name) > 0 ? t : undefined,
  );

  expect(total(metrics, METRICS.sweeps.name, { outcome: 'completed', dryRun: false })).toBe(1);
  expect(points(metrics, METRICS.sweepSuspects.name)).toEqual([
    expect.objectContaining({ type: 'histogram', count: 1, sum: 0 }),
  ]);
  expect(points(metrics, METRICS.sweepDuration.name)).toEqual([
    expect.objectContaining({ type: 'histogram', count: 1, unit: 's' }),
  ]);
  const state = (registry: string, name: string): number | undefined =>
    points(metrics, METRICS.replicas.name, { registry, state: name }).at(-1)?.value;
  // Each registry lists its home region's replica too.
  expect(state(stuckRegistry, 'Creating')).toBe(1);
  expect(state(stuckRegistry, 'Succeeded')).toBe(1);
  expect(state(calmRegistry, 'Succeeded')).toBe(3);
  // Only the states a registry's replicas are in are sent.
  expect(state(calmRegistry, 'Creating')).toBeUndefined();
  expect(state(calmRegistry, 'Failed')).toBeUndefined();

  const completed = stepLogs(logs).find((line) => line.attributes[DIMENSIONS.step] === 'sweep-completed');
  expect(completed?.attributes).toMatchObject({
    operationId: SWEEP_INSTANCE_ID,
    operation: 'sweep',
    outcome: 'succeeded',
    suspects: 0,
    scanFailures: 0,
  });
  expect(completed?.attributes[DIMENSIONS.durationSeconds]).toEqual(expect.any(Number));
});

test('a heal of a stuck private-endpoint replica leaves a log record for every audited step, counts as healed and measures its time to heal', async () => {
  const replicaId = `${stuckRegistry}/replications/northeurope`;
  const instanceId = 'heal-telemetry';
  const started = await app.api(durable(`orchestrators/healReplica/${instanceId}`), {
    method: 'POST',
    body: healRequest(replicaId),
    headers: MASTER,
  });
  expect(started.status).toBe(202);
  const done = await untilDone<{ output: HealResult }>(durable(`instances/${instanceId}`));
  expect(done.output).toMatchObject({ outcome: 'healed', diagnosis: 'missing-private-link-permission' });

  // Every entry of the registry's trail: the heal's own, and those of the delete and create it ran.
  const trail = (await app.audit.list({ target: stuckRegistry }, { pageSize: 1000 })).entries;
  const ofHeal = trail.filter((entry) => entry.instanceId?.startsWith(instanceId) === true);
  expect(ofHeal.map((entry) => entry.step)).toEqual(
    expect.arrayContaining(['diagnosed', 'permission-granted', 'permission-effective', 'healed']),
  );
  expect(ofHeal.some((entry) => entry.instanceId !== instanceId)).toBe(true);

  const { logs } = await untilTelemetry('a log record for every audited step', (t) =>
    stepLogs(t.logs).filter((line) => line.attributes[DIMENSIONS.registry] === stuckRegistry).length >=
    trail.length
      ? t
      : undefined,
  );
  for (const entry of trail) {
    const records = stepLogs(logs).filter((line) =>
      carries(line, { registry: stuckRegistry, sequence: entry.sequence }),
    );
    expect(records).toHaveLength(1);
    expect(records[0]!.attributes).toMatchObject({
      operationId: entry.instanceId,
      operation: entry.operation,
      replicaId,
      region: 'northeurope',
      step: entry.step,
      outcome: entry.outcome,
      channel: entry.channel,
    });
  }
  const healed = stepLogs(logs).find((line) => carries(line, { operationId: instanceId, step: 'healed' }));
  expect(healed?.attributes.healOutcome).toBe('healed');
  expect(typeof healed?.attributes.durationSeconds).toBe('number');

  const { metrics } = await untilTelemetry('the heal metrics', (t) =>
    total(t.metrics, METRICS.timeToHeal.name, { healOutcome: 'healed' }) > 0 ? t : undefined,
  );
  expect(total(metrics, METRICS.heals.name, { healOutcome: 'healed', registry: stuckRegistry })).toBe(1);
  const [timeToHeal] = points(metrics, METRICS.timeToHeal.name, { healOutcome: 'healed' });
  expect(timeToHeal).toMatchObject({ type: 'histogram', count: 1, unit: 's' });
  expect(timeToHeal!.sum).toBe(healed!.attributes[DIMENSIONS.durationSeconds]);
});

test('ARM 429s and the retries after them are counted by subscription and request kind', async () => {
  const faults = await app.sandbox.admin.call<{ rules: { id: string }[] }>('POST', '/faults', {
    kind: 'throttle',
    retryAfterSeconds: 0,
    count: 2,
    match: { subscriptionId: app.subscriptionId, operation: 'Replications_List' },
  });
  expect(faults.status).toBe(201);

  const listed = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crcalm01/replicas`, {
    headers: KEYED,
  });
  expect(listed.status).toBe(200);

  const dimensions = { subscriptionId: app.subscriptionId, requestKind: 'read' };
  const { metrics } = await untilTelemetry('the throttled reads', (t) =>
    total(t.metrics, METRICS.armThrottled.name, dimensions) >= 2 ? t : undefined,
  );
  expect(total(metrics, METRICS.armThrottled.name, dimensions)).toBe(2);
  expect(total(metrics, METRICS.armRetries.name, dimensions)).toBeGreaterThanOrEqual(2);
  expect(total(metrics, METRICS.armThrottled.name, { requestKind: 'write' })).toBe(0);
});

test('a verification logs whether the chain is intact, and a broken chain is logged as broken', async () => {
  const verify = (): Promise<{ intact: boolean }> =>
    app
      .api(`/api/audit/verify?registry=${encodeURIComponent(calmRegistry)}`, { headers: KEYED })
      .then((answer) => answer.json<{ intact: boolean }>());
  // A chat request about the registry leaves an entry in its trail to verify.
  await slackList();
  expect(await verify()).toMatchObject({ intact: true });

  // Someone with write access to the table changes an entry.
  const table = TableClient.fromConnectionString(storageConnectionString(), app.auditTable, {
    allowInsecureConnection: true,
  });
  const partition = (await app.audit.verify(calmRegistry)).partition;
  for await (const row of table.listEntities({
    queryOptions: { filter: `PartitionKey eq '${partition}'` },
  })) {
    if (/^\d/.test(row.rowKey!)) {
      await table.updateEntity(
        { partitionKey: row.partitionKey!, rowKey: row.rowKey!, outcome: 'refused' },
        'Merge',
      );
      break;
    }
  }
  expect(await verify()).toMatchObject({ intact: false });

  const { logs, metrics } = await untilTelemetry('the verifications', (t) =>
    total(t.metrics, METRICS.auditVerifications.name, { registry: calmRegistry, intact: false }) > 0
      ? t
      : undefined,
  );
  const verdicts = logs.filter((line) =>
    carries(line, { event: TELEMETRY_EVENTS.auditVerified, registry: calmRegistry }),
  );
  expect(verdicts.map((line) => [line.attributes.intact, line.severity])).toEqual([
    [true, 'INFO'],
    [false, 'ERROR'],
  ]);
  expect(typeof verdicts[1]!.attributes.breakKind).toBe('string');
  expect(typeof verdicts[1]!.attributes.sequence).toBe('number');
  expect(total(metrics, METRICS.auditVerifications.name, { registry: calmRegistry, intact: true })).toBe(1);
});

test('no secret in the settings reaches the telemetry file, even with keys in query strings and signed chat requests', async () => {
  await slackList();
  const keyed = await app.api(
    `/api/registries/${app.subscriptionId}/${RG}/crcalm01/replicas?code=${encodeURIComponent(FUNCTION_KEY)}`,
  );
  expect(keyed.status).toBe(200);

  await untilTelemetry('the chat request in the file', (t) =>
    stepLogs(t.logs).some((line) => line.attributes[DIMENSIONS.operation] === 'chat-list') ? true : undefined,
  );
  const text = fs.readFileSync(telemetryFile, 'utf8');
  expect(text.length).toBeGreaterThan(0);
  for (const secret of SECRETS) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
  }
});
