// Approve / Reject clicks signed as Slack signs them, against the real app on the devhost. A heal under
// the `approve` policy is the waiting operation; it is started through the durable HTTP API the Functions
// host exposes, as in the heal tests. Slack itself is played by this test: it signs the clicks and
// receives the message updates on a local response_url.
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { HealResult } from '../../src/domain';
import type { HttpResult } from '@acr-replica-guard/devhost/testing';
import { call } from '@acr-replica-guard/devhost/testing';
import { CREATE_OWN_ROLE, rbacAdministration } from '../support/rbacAdministration';
import { nowSeconds, slackHeaders as signedSlackHeaders } from '../support/slack';
import { armWritesTo, startApp } from './appHarness';
import { healRequest, healResult, startHeal, statusOf, untilPhase } from './healHarness';
import type { AppHarness } from './appHarness';

const SLACK_SECRET = randomBytes(16).toString('hex');
const RG = 'rg-approvals';
const REGISTRY = 'crappr02';
const TEAM = 'T0CHAT';
const APPROVER = 'U0APPROVER';
const OUTSIDER = 'U0OUTSIDER';

let app: AppHarness;
let receiver: http.Server;
let responseUrl: string;
let updates: unknown[] = [];

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      updates.push(JSON.parse(body));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/actions/${TEAM}/1/abc`;

  app = await startApp(
    (id) => [
      {
        id: id(RG, REGISTRY),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [
          { location: 'westus2', failed: true },
          { location: 'eastus', failed: true },
          { location: 'northeurope', failed: true },
        ],
      },
    ],
    {
      // Healing grants a role, so the app's identity may write role definitions and assignments.
      seed: rbacAdministration,
      env: {
        ...CREATE_OWN_ROLE,
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_APPROVERS: `U0SOMEONE, ${APPROVER}`,
        // The test's own receiver stands in for Slack's follow-up host.
        CHAT_REPLY_HOSTS: '127.0.0.1',
      },
    },
  );
});

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

beforeEach(() => {
  updates = [];
});

async function startWaitingHeal(replica: string, instanceId: string): Promise<void> {
  // As a sweep started from Slack records it: decided by a click of an approver in the workspace.
  const requester = { id: `slack:${TEAM}:U0REQUESTER`, name: 'requester' };
  const request = healRequest(`${app.registryId(RG, REGISTRY)}/replications/${replica}`, {
    policy: 'approve',
    actor: requester,
    channel: 'chat',
    approvalPolicy: {
      requestedBy: requester,
      allowSelf: false,
      rest: false,
      slack: { teamId: TEAM, approvers: ['U0SOMEONE', APPROVER] },
    },
  });
  await startHeal(app, request, instanceId);
  await phaseOf(instanceId, 'awaiting-approval');
}

const phaseOf = (instanceId: string, phase: string): Promise<void> => untilPhase(app, instanceId, phase);

const resultOf = (instanceId: string): Promise<HealResult> => healResult(app, instanceId);

/** A Block Kit button click as Slack posts it: form-encoded, the JSON in `payload`. */
function clickBody(actionId: 'approve' | 'reject', instanceId: string, user = APPROVER): string {
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
    api_app_id: 'A0GUARD',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0OPS' },
    trigger_id: '1.2.3',
    team: { id: TEAM, domain: 'contoso' },
    channel: { id: 'C0OPS', name: 'ops' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'approval',
        value: instanceId,
        text: { type: 'plain_text', text: actionId === 'approve' ? 'Approve' : 'Reject' },
        action_ts: '1700000001.000200',
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Signs as Slack does (see test/support/slack.ts). */
function slackHeaders(body: string, timestamp = nowSeconds(), secret = SLACK_SECRET): Record<string, string> {
  return signedSlackHeaders(body, secret, timestamp);
}

const postClick = (body: string, headers: Record<string, string>): Promise<HttpResult> =>
  call(`${app.host.url}/api/chat/slack/actions`, { method: 'POST', body, headers });

interface SlackAnswer {
  response_type?: string;
  replace_original?: boolean;
  text: string;
}

async function click(
  actionId: 'approve' | 'reject',
  instanceId: string,
  user = APPROVER,
): Promise<SlackAnswer> {
  const body = clickBody(actionId, instanceId, user);
  const answer = await postClick(body, slackHeaders(body));
  expect(answer.status).toBe(200);
  return answer.json<SlackAnswer>();
}

async function replicaState(name: string): Promise<unknown> {
  const list = (await app.api(`/api/registries/${app.subscriptionId}/${RG}/${REGISTRY}/replicas`)).json<{
    value: { name: string; provisioningState: string }[];
  }>();
  return list.value.find((r) => r.name === name)?.provisioningState;
}

const entriesOf = async (instanceId: string) =>
  app.audit.listByInstance(app.registryId(RG, REGISTRY), instanceId);

test('an Approve click from an allowed user lets the heal proceed, replaces the buttons, and names the Slack user as approver', async () => {
  await startWaitingHeal('westus2', 'slack-approve');

  const answer = await click('approve', 'slack-approve');

  expect(answer).toMatchObject({ replace_original: true });
  expect(answer.text).toMatch(new RegExp(`^Approved by <@${APPROVER}>`));
  expect(updates).toEqual([expect.objectContaining({ replace_original: true, text: answer.text })]);
  expect(await resultOf('slack-approve')).toMatchObject({ outcome: 'healed' });
  expect(await replicaState('westus2')).toBe('Succeeded');
  const approval = (await entriesOf('slack-approve')).find((e) => e.step === 'approval');
  expect(approval).toMatchObject({
    outcome: 'accepted',
    detail: { approver: { id: `slack:${TEAM}:${APPROVER}`, name: APPROVER.toLowerCase() } },
  });
});

test('forged and stale clicks get a bare 401 and raise nothing; a Reject click then stops the heal and leaves the replica untouched', async () => {
  await startWaitingHeal('eastus', 'slack-reject');
  const body = clickBody('approve', 'slack-reject');

  const forged = await postClick(body, slackHeaders(body, nowSeconds(), 'not-the-secret'));
  const stale = await postClick(body, slackHeaders(body, nowSeconds() - 6 * 60));
  const unsigned = await postClick(body, { 'content-type': 'application/x-www-form-urlencoded' });
  const replayed = await postClick(body, {
    ...slackHeaders(body, nowSeconds() - 6 * 60),
    'x-slack-request-timestamp': String(nowSeconds()),
  });

  for (const refused of [forged, stale, unsigned, replayed])
    expect([refused.status, refused.text]).toEqual([401, '']);
  await phaseOf('slack-reject', 'awaiting-approval');
  expect(updates).toEqual([]);

  const answer = await click('reject', 'slack-reject');

  expect(answer.text).toMatch(new RegExp(`^Rejected by <@${APPROVER}>`));
  expect(await resultOf('slack-reject')).toMatchObject({
    outcome: 'rejected',
    reason: `rejected by slack:${TEAM}:${APPROVER}`,
  });
  expect(await replicaState('eastus')).toBe('Failed');
  const approvals = (await entriesOf('slack-reject')).filter((e) => e.step === 'approval');
  expect(approvals).toEqual([expect.objectContaining({ outcome: 'refused' })]);
});

test('a click from a user not on the allow-list is refused and audited, and the heal keeps waiting for an approver', async () => {
  await startWaitingHeal('northeurope', 'slack-outsider');

  const refused = await click('approve', 'slack-outsider', OUTSIDER);

  expect(refused).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(refused.text).toMatch(/not allowed/);
  expect(updates).toEqual([]);
  await phaseOf('slack-outsider', 'awaiting-approval');
  expect(await replicaState('northeurope')).toBe('Failed');
  const attempt = (await entriesOf('slack-outsider')).find((e) => e.operation === 'chat-approval');
  expect(attempt).toMatchObject({
    channel: 'chat',
    actor: { id: `slack:${TEAM}:${OUTSIDER}` },
    outcome: 'refused',
    detail: { refusal: 'not-an-approver' },
  });

  const approvedAt = new Date().toISOString();
  await click('approve', 'slack-outsider');
  expect(await resultOf('slack-outsider')).toMatchObject({ outcome: 'healed' });
  // The outsider's click let nothing through: the approver's did, and ARM saw no write before it.
  const approvals = (await entriesOf('slack-outsider')).filter((e) => e.step === 'approval');
  expect(approvals).toEqual([
    expect.objectContaining({
      outcome: 'accepted',
      detail: expect.objectContaining({
        approver: expect.objectContaining({ id: `slack:${TEAM}:${APPROVER}` }) as unknown,
      }) as unknown,
    }),
  ]);
  const writes = await armWritesTo(app, `${app.registryId(RG, REGISTRY)}/replications/northeurope`);
  expect(writes.length).toBeGreaterThan(0);
  expect(writes.filter((w) => w.at < approvedAt)).toEqual([]);
});

test('a click on an operation that no longer waits, or never existed, gets a friendly answer that changes nothing', async () => {
  // The heal approved in the first test has finished by now.
  const finished = 'slack-approve';
  expect((await statusOf(app, finished)).runtimeStatus).toBe('Completed');

  const late = await click('reject', finished);
  const unknown = await click('approve', 'no-such-operation');

  expect(late).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(late.text).toMatch(/no longer waiting for an approval/);
  expect(unknown.text).toMatch(/no operation `no-such-operation`/);
  expect(await resultOf(finished)).toMatchObject({ outcome: 'healed' });
  expect(updates).toEqual([]);
});
