// Who may start a heal from chat. A heal may delete, grant and recreate without asking under the `auto`
// policy, so from Slack only the users in SLACK_HEALERS start one, and from Teams (no buttons, no replay
// protection) only dry runs; a dry run changes nothing and is open to everyone. With SLACK_TEAM_ID set,
// requests from any other workspace are refused. Against the real app on the devhost.
import { createHmac, randomBytes } from 'node:crypto';

import { call } from '@acr-replica-guard/devhost/testing';
import { parseRegistryId, registrySweepInstanceId } from '../../src/domain';
import { slackHeaders, slashCommandBody } from '../support/slack';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const SECRET = randomBytes(16).toString('hex');
const TEAMS_TOKEN = randomBytes(32).toString('base64');
const RG = 'rg-healers';
const HEALER = { team: 'T0HOME', id: 'U0HEALER', name: 'heidi' };
const OTHER = { team: 'T0HOME', id: 'U0OTHER', name: 'oscar' };
const HEALER_ELSEWHERE = { team: 'T0ELSEWHERE', id: 'U0HEALER', name: 'heidi' };
const REPLY_URL = 'https://hooks.slack.invalid/commands/T0HOME/1/abc';

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id) => [
      {
        id: id(RG, 'crheal01'),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'eastus', failed: true }],
      },
      {
        id: id(RG, 'crheal02'),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'westus2', failed: true }],
      },
    ],
    {
      env: {
        SLACK_SIGNING_SECRET: SECRET,
        TEAMS_WEBHOOK_SECRET: TEAMS_TOKEN,
        SLACK_HEALERS: HEALER.id,
        SLACK_TEAM_ID: 'T0HOME',
        // Follow-ups are not what this file is about: the result goes nowhere.
        CHAT_REPLY_HOSTS: 'hooks.slack.invalid',
      },
    },
  );
});

afterAll(async () => {
  await app?.stop();
});

async function slack(text: string, user: { team: string; id: string; name: string }): Promise<string> {
  const body = slashCommandBody(text, user, REPLY_URL);
  const answer = await call(`${app.host.url}/api/chat/slack/commands`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, SECRET),
  });
  expect(answer.status).toBe(200);
  return answer.json<{ text: string }>().text;
}

async function teams(text: string): Promise<string> {
  const body = JSON.stringify({
    type: 'message',
    from: { id: '29:1teams-grace', name: 'Grace', aadObjectId: 'oid-grace' },
    text: `<at>guard</at> ${text}`,
  });
  const signature = createHmac('sha256', Buffer.from(TEAMS_TOKEN, 'base64')).update(body).digest('base64');
  const answer = await call(`${app.host.url}/api/chat/teams`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `HMAC ${signature}` },
  });
  expect(answer.status).toBe(200);
  return answer.json<{ text: string }>().text;
}

async function armWrites(): Promise<number> {
  const log = await app.sandbox.admin.requests(app.subscriptionId);
  return log.requests.filter((r) => r.method !== 'GET').length;
}

const sweepOf = (registry: string): string =>
  registrySweepInstanceId(parseRegistryId(app.registryId(RG, registry)));

async function operationStatus(id: string): Promise<number> {
  return (await app.api(`/api/operations/${encodeURIComponent(id)}`)).status;
}

async function replicaState(registry: string, name: string): Promise<string | undefined> {
  const answer = await app.api(`/api/registries/${app.subscriptionId}/${RG}/${registry}/replicas`);
  return answer
    .json<{ value: { name: string; provisioningState: string }[] }>()
    .value.find((r) => r.name === name)?.provisioningState;
}

const refusalsBy = async (actor: string) =>
  (await app.audit.list({ actor, operation: 'chat-heal' })).entries.map((e) => e.detail?.refusal);

describe('from Slack', () => {
  test('someone not in SLACK_HEALERS is refused a heal of a registry or of everything, and nothing starts', async () => {
    const before = await armWrites();

    const one = await slack('heal crheal01', OTHER);
    const all = await slack('heal all', OTHER);

    expect(one).toMatch(/^Refused: only the people listed in SLACK_HEALERS/);
    expect(all).toMatch(/^Refused: only the people listed in SLACK_HEALERS/);
    expect(await operationStatus(sweepOf('crheal01'))).toBe(404);
    expect(await operationStatus('sweep')).toBe(404);
    expect(await armWrites()).toBe(before);
    expect(await refusalsBy('slack:T0HOME:U0OTHER')).toEqual(['not-a-healer', 'not-a-healer']);
  });

  test('anyone may ask for a dry run, which changes nothing', async () => {
    const answer = await slack('heal crheal01 --dry-run', OTHER);

    expect(answer).toMatch(/^Accepted: healing crheal01 \(dry run/);
    const done = await app.waitForOperation(`/api/operations/${encodeURIComponent(sweepOf('crheal01'))}`);
    expect(done.result).toMatchObject({ suspects: 1, reported: 1, healed: 0 });
    expect(await replicaState('crheal01', 'eastus')).toBe('Failed');
  });

  test('a healer in another workspace is refused, whatever the command', async () => {
    expect(await slack('heal crheal01', HEALER_ELSEWHERE)).toMatch(/another Slack workspace/);
    expect(await slack('list crheal01', HEALER_ELSEWHERE)).toMatch(/another Slack workspace/);
    expect(await refusalsBy('slack:T0ELSEWHERE:U0HEALER')).toEqual(['other-workspace']);
  });

  test('a healer starts the heal, and it heals', async () => {
    const answer = await slack('heal crheal01', HEALER);

    expect(answer).toMatch(/^Accepted: healing crheal01\./);
    const done = await app.waitForOperation(`/api/operations/${encodeURIComponent(sweepOf('crheal01'))}`);
    expect(done.result).toMatchObject({ healed: 1 });
    expect(await replicaState('crheal01', 'eastus')).toBe('Succeeded');
  });
});

describe('from Teams', () => {
  test('a heal that may change replicas is refused, of one registry or of everything', async () => {
    const before = await armWrites();

    const one = await teams('heal crheal02');
    const all = await teams('heal all');

    expect(one).toMatch(/^Refused: a heal that may change replicas cannot be started from Teams/);
    expect(all).toMatch(/^Refused: a heal that may change replicas cannot be started from Teams/);
    expect(await operationStatus(sweepOf('crheal02'))).toBe(404);
    expect(await armWrites()).toBe(before);
    expect(await refusalsBy('teams:oid-grace')).toEqual(['heal-not-from-teams', 'heal-not-from-teams']);
  });

  test('a dry run is started and changes nothing', async () => {
    expect(await teams('heal crheal02 --dry-run')).toMatch(/^Accepted: healing crheal02 \(dry run/);
    const done = await app.waitForOperation(`/api/operations/${encodeURIComponent(sweepOf('crheal02'))}`);
    expect(done.result).toMatchObject({ suspects: 1, reported: 1, healed: 0 });
    expect(await replicaState('crheal02', 'westus2')).toBe('Failed');
  });
});
