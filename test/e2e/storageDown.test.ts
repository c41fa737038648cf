// With the storage account unreachable (the orchestration engine's state, the audit trail and the watch
// state all live there), no route answers 500: what needs storage is answered 503 problem+json with
// Retry-After, nothing is started and nothing reaches ARM; what does not need it keeps working. The app
// runs on a devhost of its own whose Azurite is stopped once the app is up.
import { randomBytes } from 'node:crypto';

import { call } from '@acr-replica-guard/devhost/testing';
import type { HttpResult } from '@acr-replica-guard/devhost/testing';
import { startAzurite } from '../../tools/azurite';
import type { RunningAzurite } from '../../tools/azurite';
import { slackHeaders } from '../support/slack';
import { teamsHeaders, teamsMessage } from '../support/teams';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-down';
const SLACK_SECRET = randomBytes(16).toString('hex');
const TEAMS_TOKEN = randomBytes(32).toString('base64');
const MASTER_KEY = randomBytes(16).toString('hex');

let storage: RunningAzurite;
let app: AppHarness;

beforeAll(async () => {
  storage = await startAzurite();
  app = await startApp(
    (id) => [
      { id: id(RG, 'crdown01'), location: 'westeurope', sku: 'Premium', replicas: [{ location: 'eastus' }] },
    ],
    {
      env: {
        AzureWebJobsStorage: storage.connectionString,
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        TEAMS_WEBHOOK_SECRET: TEAMS_TOKEN,
        DEVHOST_MASTER_KEY: MASTER_KEY,
        // The Slack user may start heals, so the heal reaches the engine.
        SLACK_HEALERS: 'U0DOWN',
      },
    },
  );
  await storage.stop();
});

afterAll(async () => {
  await app?.stop();
  await storage?.stop();
});

const registry = (): string => `/api/registries/${app.subscriptionId}/${RG}/crdown01`;
const operationId = (): string =>
  encodeURIComponent(`replica:${app.subscriptionId}~3A${RG}~3Acrdown01~3Aeastus`);

interface Case {
  name: string;
  send: () => Promise<HttpResult>;
  /** The problem type of a 503, or the status of an answer that needs no storage. */
  expect: string | number;
}

const rest = (method: string, path: () => string, body?: unknown) => (): Promise<HttpResult> =>
  app.api(path(), {
    method,
    headers: { 'x-functions-key': MASTER_KEY },
    ...(body === undefined ? {} : { body }),
  });

function slack(text: string): () => Promise<HttpResult> {
  return () => {
    const body = new URLSearchParams({
      team_id: 'T0DOWN',
      user_id: 'U0DOWN',
      user_name: 'ada',
      text,
    }).toString();
    return call(`${app.host.url}/api/chat/slack/commands`, {
      method: 'POST',
      body,
      headers: slackHeaders(body, SLACK_SECRET),
    });
  };
}

function teams(text: string): () => Promise<HttpResult> {
  return () => {
    const body = teamsMessage(text);
    return call(`${app.host.url}/api/chat/teams`, {
      method: 'POST',
      body,
      headers: teamsHeaders(body, TEAMS_TOKEN),
    });
  };
}

const CASES: Case[] = [
  {
    name: 'create a replica',
    send: rest('POST', () => `${registry()}/replicas`, { location: 'northeurope' }),
    expect: 'engine-unavailable',
  },
  {
    name: 'plan a create (dry run)',
    send: rest('POST', () => `${registry()}/replicas?dryRun=true`, { location: 'northeurope' }),
    expect: 'engine-unavailable',
  },
  {
    name: 'update a replica',
    send: rest('PATCH', () => `${registry()}/replicas/eastus`, { tags: { a: 'b' } }),
    expect: 'engine-unavailable',
  },
  {
    name: 'delete a replica',
    send: rest('DELETE', () => `${registry()}/replicas/eastus`),
    expect: 'engine-unavailable',
  },
  {
    name: 'follow an operation',
    send: rest('GET', () => `/api/operations/${operationId()}`),
    expect: 'engine-unavailable',
  },
  {
    name: 'approve an operation',
    send: rest('POST', () => `/api/operations/${operationId()}/approval`, { approved: true }),
    expect: 'engine-unavailable',
  },
  { name: 'sweep the scope', send: rest('POST', () => '/api/heal'), expect: 'engine-unavailable' },
  {
    name: 'sweep one registry',
    send: rest('POST', () => `${registry()}/heal`),
    expect: 'engine-unavailable',
  },
  { name: 'read the audit trail', send: rest('GET', () => '/api/audit'), expect: 'audit-unavailable' },
  {
    name: 'verify the audit chain',
    send: rest(
      'GET',
      () =>
        `/api/audit/verify?registry=${encodeURIComponent(`/subscriptions/${app.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/crdown01`)}`,
    ),
    expect: 'audit-unavailable',
  },
  { name: 'list the registries', send: rest('GET', () => '/api/registries'), expect: 200 },
  { name: 'list the replicas', send: rest('GET', () => `${registry()}/replicas`), expect: 200 },
  { name: 'health', send: rest('GET', () => '/api/health'), expect: 200 },
  { name: 'the OpenAPI document', send: rest('GET', () => '/api/openapi.json'), expect: 200 },
  { name: 'a Slack list', send: slack('list crdown01'), expect: 200 },
  { name: 'a Slack add', send: slack('add crdown01 northeurope'), expect: 200 },
  { name: 'a Slack heal', send: slack('heal all'), expect: 200 },
  { name: 'a Teams operation lookup', send: teams(`operation replica:x`), expect: 200 },
];

describe('with the storage account unreachable', () => {
  let answers: Map<string, HttpResult>;

  beforeAll(async () => {
    // Each storage call is retried by its client before it fails, so the requests go out together.
    const sent = await Promise.all(CASES.map(async (c) => [c.name, await c.send()] as const));
    answers = new Map(sent);
  });

  test.each(CASES.map((c) => [c.name, c.expect] as const))('%s: answered %s, never 500', (name, expected) => {
    const answer = answers.get(name)!;
    expect(answer.status).not.toBe(500);
    if (typeof expected === 'number') {
      expect(answer.status).toBe(expected);
      return;
    }
    expect({
      status: answer.status,
      contentType: answer.headers.get('content-type'),
      retryAfter: Number(answer.headers.get('retry-after')) > 0,
      type: answer.json<{ type: string }>().type,
    }).toEqual({
      status: 503,
      contentType: 'application/problem+json',
      retryAfter: true,
      type: `urn:acr-replica-guard:problem:${expected}`,
    });
  });

  test('chat users are told that nothing was started', () => {
    expect(answers.get('a Slack add')!.json<{ text: string }>().text).toMatch(/nothing was started/);
    expect(answers.get('a Slack heal')!.json<{ text: string }>().text).toMatch(/nothing was started/);
  });

  test('a tick of the schedule fails, and nothing reached ARM but reads', async () => {
    const tick = await call(`${app.host.url}/admin/functions/healSchedule`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', 'x-functions-key': MASTER_KEY },
    });
    expect(tick.status).toBe(202);
    expect(app.host.output()).toMatch(
      /Functions\.healSchedule' \(Failed\): the orchestration engine is unavailable/,
    );
    const writes = (await app.sandbox.admin.requests(app.subscriptionId)).requests.filter(
      (r) => !['GET', 'HEAD'].includes(r.method),
    );
    expect(writes).toEqual([]);
  });
});
