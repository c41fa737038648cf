// Slack and Teams requests signed as the platforms sign them, against the real app on the devhost: genuine
// requests run the same operations as the REST API; anything else is a bare 401 that starts nothing.
import { createHmac, randomBytes } from 'node:crypto';

import type { HttpResult } from '@acr-replica-guard/devhost/testing';
import { call } from '@acr-replica-guard/devhost/testing';
import { nowSeconds, slackHeaders as signedSlackHeaders } from '../support/slack';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const SLACK_SECRET = randomBytes(16).toString('hex');
const TEAMS_TOKEN = randomBytes(32).toString('base64');
const RG = 'rg-chat';
const SLACK_ACTOR = 'slack:T0CHAT:U0ADA';
const TEAMS_USER = '29:1teams-grace';

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id) => [
      { id: id(RG, 'crchat01'), location: 'westeurope', sku: 'Premium', replicas: [{ location: 'eastus' }] },
      { id: id(RG, 'crchat02'), location: 'westeurope', sku: 'Premium' },
      { id: id(RG, 'crbasic01'), location: 'westeurope', sku: 'Standard' },
    ],
    { env: { SLACK_SIGNING_SECRET: SLACK_SECRET, TEAMS_WEBHOOK_SECRET: TEAMS_TOKEN } },
  );
});

afterAll(async () => {
  await app?.stop();
});

function slackBody(text: string, user = 'U0ADA'): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0CHAT',
    team_domain: 'contoso',
    channel_id: 'C0OPS',
    user_id: user,
    user_name: 'ada',
    command: '/acr',
    text,
    response_url: 'https://hooks.slack.invalid/commands/T0CHAT/1/abc',
    trigger_id: '1.2.3',
  }).toString();
}

/** Signs as Slack does (see test/support/slack.ts). */
function slackHeaders(body: string, timestamp = nowSeconds(), secret = SLACK_SECRET): Record<string, string> {
  return signedSlackHeaders(body, secret, timestamp);
}

const postSlack = (body: string, headers: Record<string, string>): Promise<HttpResult> =>
  call(`${app.host.url}/api/chat/slack/commands`, { method: 'POST', body, headers });

async function slack(text: string): Promise<{ response_type: string; text: string }> {
  const body = slackBody(text);
  const answer = await postSlack(body, slackHeaders(body));
  expect(answer.status).toBe(200);
  return answer.json();
}

function teamsBody(text: string): string {
  return JSON.stringify({
    type: 'message',
    id: '1485983408511',
    timestamp: new Date().toISOString(),
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    channelId: 'msteams',
    from: { id: TEAMS_USER, name: 'Grace' },
    conversation: { id: '19:ops@thread.skype', isGroup: true },
    text: `<at>guard</at>&nbsp;${text}\n`,
    entities: [],
  });
}

/** Signs as a Teams outgoing webhook does: base64 HMAC-SHA256 keyed with the decoded security token. */
const teamsSignature = (body: string, token = TEAMS_TOKEN): string =>
  `HMAC ${createHmac('sha256', Buffer.from(token, 'base64')).update(body).digest('base64')}`;

const postTeams = (body: string, authorization?: string): Promise<HttpResult> =>
  call(`${app.host.url}/api/chat/teams`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
  });

async function armWrites(): Promise<number> {
  const log = await app.sandbox.admin.requests(app.subscriptionId);
  return log.requests.filter((r) => r.method !== 'GET').length;
}

const chatEntries = async (registry: string, actor: string) =>
  (await app.audit.list({ target: app.registryId(RG, registry), actor })).entries;

describe('Slack slash commands signed with the signing secret run', () => {
  test('list answers the registry’s replicas, ephemerally, and the request is audited', async () => {
    const answer = await slack('list crchat01');

    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/Replicas of crchat01/);
    expect(answer.text).toMatch(/eastus: Succeeded/);
    const entries = await chatEntries('crchat01', SLACK_ACTOR);
    expect(entries.find((e) => e.operation === 'chat-list')).toMatchObject({
      channel: 'chat',
      actor: { id: SLACK_ACTOR, name: 'ada' },
      outcome: 'succeeded',
    });
  });

  test('status summarises a registry, names are matched whatever their case', async () => {
    const answer = await slack('status CRCHAT01');
    expect(answer.text).toMatch(/^Registry crchat01: Premium, home westeurope, 2 replicas, 2 succeeded\.$/);
  });

  test('add acknowledges with the operation id, and the replica is created with the chat user as actor', async () => {
    const answer = await slack('add crchat01 "North Europe" --no-endpoint');

    const operationId = /Operation id: (\S+) /.exec(answer.text)?.[1];
    expect(operationId).toBeDefined();
    const done = await app.waitForOperation(`/api/operations/${encodeURIComponent(operationId!)}`);
    expect(done).toMatchObject({ runtimeStatus: 'Completed', result: { outcome: 'succeeded' } });
    expect((await slack('status crchat01 northeurope')).text).toMatch(
      /^Replica northeurope of crchat01: Succeeded in northeurope, endpoint off/,
    );
    expect((await slack(`operation ${operationId!}`)).text).toMatch(/Completed.*outcome succeeded/);

    const trail = await app.audit.listByInstance(app.registryId(RG, 'crchat01'), operationId!);
    expect(trail.map((e) => `${e.step}:${e.outcome}`)).toEqual(
      expect.arrayContaining(['requested:accepted', 'completed:succeeded']),
    );
    expect(trail.every((e) => e.channel === 'chat' && e.actor.id === SLACK_ACTOR)).toBe(true);
  });

  test('a change the preflight refuses is answered and audited, and nothing is written', async () => {
    const before = await armWrites();
    const answer = await slack('add crbasic01 eastus2');
    expect(answer.text).toMatch(/^Refused: .*Premium/);
    expect(await armWrites()).toBe(before);
    const entries = await chatEntries('crbasic01', SLACK_ACTOR);
    expect(entries.find((e) => e.operation === 'create')).toMatchObject({
      outcome: 'refused',
      channel: 'chat',
    });
  });

  test('help and an unknown command answer the usage, with status 200', async () => {
    expect((await slack('help')).text).toMatch(/add <registry> <region>/);
    const unknown = await slack('deploy everything');
    expect(unknown.text).toMatch(/^Unknown command "deploy"\.\nCommands/);
  });

  test('an unknown name gets the closest names; a resource id outside the scope is refused', async () => {
    expect((await slack('list crchat')).text).toBe(
      'No registry named crchat in scope. Did you mean: crchat01, crchat02?',
    );
    const outside =
      '/subscriptions/00000000-0000-0000-0000-0000000000ff/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/crother01';
    expect((await slack(`remove ${outside} eastus`)).text).toMatch(/not in the scope/);
  });
});

describe('Slack requests that are not genuine get a bare 401 and start nothing', () => {
  const body = slackBody('add crchat02 eastus2', 'U0MALLORY');
  const cases: [string, () => Record<string, string>][] = [
    ['a wrong signature', () => slackHeaders(body, nowSeconds(), 'not-the-secret')],
    ['a stale timestamp, correctly signed', () => slackHeaders(body, nowSeconds() - 6 * 60)],
    [
      'a replayed body with a new timestamp',
      () => ({
        ...slackHeaders(body, nowSeconds() - 10 * 60),
        'x-slack-request-timestamp': String(nowSeconds()),
      }),
    ],
    [
      'a missing signature header',
      () => {
        const { 'x-slack-signature': _dropped, ...rest } = slackHeaders(body);
        return rest;
      },
    ],
    [
      'a missing timestamp header',
      () => {
        const { 'x-slack-request-timestamp': _dropped, ...rest } = slackHeaders(body);
        return rest;
      },
    ],
    ['a malformed signature', () => ({ ...slackHeaders(body), 'x-slack-signature': 'v0=abc' })],
  ];

  test.each(cases)('%s', async (_scenario, headers) => {
    const before = await armWrites();

    const answer = await postSlack(body, headers());

    expect([answer.status, answer.text]).toEqual([401, '']);
    expect(await armWrites()).toBe(before);
    expect(await chatEntries('crchat02', 'slack:T0CHAT:U0MALLORY')).toEqual([]);
  });

  test('a signed body changed in transit is refused', async () => {
    const headers = slackHeaders(body);
    const answer = await postSlack(body.replace('eastus2', 'westus2'), headers);
    expect([answer.status, answer.text]).toEqual([401, '']);
  });
});

describe('Teams outgoing webhook messages', () => {
  test('a message signed with the security token runs, with the mention stripped', async () => {
    const body = teamsBody('list crchat01');

    const answer = await postTeams(body, teamsSignature(body));

    expect(answer.status).toBe(200);
    const message = answer.json<{ type: string; text: string }>();
    expect(Object.keys(message).sort()).toEqual(['text', 'type']);
    expect(message.type).toBe('message');
    expect(message.text).toMatch(/^Replicas of crchat01/);
    const entries = await chatEntries('crchat01', `teams:${TEAMS_USER}`);
    expect(entries.find((e) => e.operation === 'chat-list')).toMatchObject({
      channel: 'chat',
      actor: { id: `teams:${TEAMS_USER}`, name: 'Grace' },
    });
  });

  test.each<[string, (body: string) => string | undefined]>([
    [
      'a signature made with another token',
      (body) => teamsSignature(body, randomBytes(32).toString('base64')),
    ],
    ['a missing Authorization header', () => undefined],
    ['another scheme', (body) => teamsSignature(body).replace('HMAC', 'Bearer')],
    ['a signature of another body', () => teamsSignature(teamsBody('help'))],
  ])('%s gets a bare 401 and starts nothing', async (_scenario, sign) => {
    const body = teamsBody('add crchat02 westus2');
    const before = await armWrites();

    const answer = await postTeams(body, sign(body));

    expect([answer.status, answer.text]).toEqual([401, '']);
    expect(await armWrites()).toBe(before);
  });
});
