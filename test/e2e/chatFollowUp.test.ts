// Chat-started work reports back where it came from: Slack's response_url gets the final result, and a
// `remove` waits for an approver's click on the buttons it posts there before anything is deleted. The
// approval timeout is the default hour, so no click races it, except in the last test, which restarts
// the app with a short one and clicks nothing.
import { randomBytes } from 'node:crypto';

import { call } from '@acr-replica-guard/devhost/testing';
import { buttonClickBody, slackHeaders, slashCommandBody, startResponseUrlReceiver } from '../support/slack';
import type { ResponseUrlReceiver } from '../support/slack';
import { armWritesTo, startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const SECRET = randomBytes(16).toString('hex');
const RG = 'rg-follow';
const OPERATOR = { team: 'T0CHAT', id: 'U0OPERATOR', name: 'ada' };
const APPROVER = { team: 'T0CHAT', id: 'U0APPROVER', name: 'grace' };

let app: AppHarness;
let receiver: ResponseUrlReceiver;

beforeAll(async () => {
  receiver = await startResponseUrlReceiver();
  app = await startApp(
    (id) => [
      {
        id: id(RG, 'crguarded01'),
        location: 'westeurope',
        sku: 'Premium',
        tags: { 'replica-heal-policy': 'approve' },
        replicas: [{ location: 'northeurope', failed: true }],
      },
      {
        id: id(RG, 'crfollow01'),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'eastus' }, { location: 'westus2' }, { location: 'eastus2' }],
      },
    ],
    {
      env: {
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_APPROVERS: APPROVER.id,
        SLACK_HEALERS: OPERATOR.id,
        // The test's receiver stands in for Slack's follow-up host.
        CHAT_REPLY_HOSTS: '127.0.0.1',
      },
    },
  );
});

afterAll(async () => {
  await app?.stop();
  await receiver?.close();
});

async function slash(text: string, replyPath: string): Promise<{ text: string }> {
  const body = slashCommandBody(text, OPERATOR, receiver.url(replyPath));
  const answer = await call(`${app.host.url}/api/chat/slack/commands`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, SECRET),
  });
  expect(answer.status).toBe(200);
  return answer.json();
}

async function clickOn(
  message: Record<string, unknown>,
  actionId: 'approve' | 'reject',
  replyPath: string,
): Promise<void> {
  const blocks = message.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
  const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)!;
  const body = buttonClickBody(actionId, button.value, APPROVER, receiver.url(replyPath));
  const answer = await call(`${app.host.url}/api/chat/slack/actions`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, SECRET),
  });
  expect(answer.status).toBe(200);
}

async function replicaNames(): Promise<string[]> {
  const answer = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crfollow01/replicas`);
  return answer.json<{ value: { name: string }[] }>().value.map((r) => r.name);
}

test('an `add` posts its final result to the response URL', async () => {
  const ack = await slash('add crfollow01 northeurope', '/add');
  expect(ack.text).toMatch(/^Accepted/);

  const [result] = await receiver.next('/add', 1);

  expect(result).toMatchObject({ response_type: 'in_channel' });
  expect(String(result!.text)).toMatch(/^✅ Create of .*northeurope succeeded in /);
  expect(await replicaNames()).toContain('northeurope');
});

test('a `remove` asks for approval with buttons, deletes only after an approver clicks Approve, then reports', async () => {
  await slash('remove crfollow01 eastus', '/remove');
  const [request] = await receiver.next('/remove', 1);
  expect(String(request!.text)).toMatch(/^Approval needed/);
  expect(await replicaNames()).toContain('eastus');

  const approvedAt = new Date().toISOString();
  await clickOn(request!, 'approve', '/remove-click');
  const messages = await receiver.next('/remove', 2);

  expect(String(messages[1]!.text)).toMatch(/^✅ Delete of .*eastus succeeded/);
  expect(await replicaNames()).not.toContain('eastus');
  const trail = await app.audit.list({ target: app.registryId(RG, 'crfollow01'), operation: 'delete' });
  expect(trail.entries.find((e) => e.step === 'approval')).toMatchObject({
    outcome: 'accepted',
    detail: { approver: { id: `slack:${APPROVER.team}:${APPROVER.id}` } },
  });
  const writes = await armWritesTo(app, `${app.registryId(RG, 'crfollow01')}/replications/eastus`);
  expect(writes.map((w) => w.operation)).toEqual(['Replications_Delete']);
  expect(writes.filter((w) => w.at < approvedAt)).toEqual([]);
});

test('a rejected `remove` changes nothing and says so', async () => {
  await slash('remove crfollow01 westus2', '/reject');
  const [request] = await receiver.next('/reject', 1);
  await clickOn(request!, 'reject', '/reject-click');
  const rejected = await receiver.next('/reject', 2);
  expect(String(rejected[1]!.text)).toMatch(/^❌ Delete of .*westus2 refused .*rejected by/);

  expect(await replicaNames()).toContain('westus2');
});

test('a `heal` of a registry under the approve policy asks in Slack, heals after the click, and reports the sweep', async () => {
  const ack = await slash('heal crguarded01', '/heal');
  expect(ack.text).toMatch(/^Accepted/);
  const [request] = await receiver.next('/heal', 1);
  expect(String(request!.text)).toMatch(/^Approval needed: Heal replica northeurope \(failed\)/);

  await clickOn(request!, 'approve', '/heal-click');
  const messages = await receiver.next('/heal', 2);

  expect(String(messages[1]!.text)).toMatch(/^✅ Sweep of .*crguarded01 succeeded .*1 healed/);
  const answer = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crguarded01/replicas`);
  expect(answer.json<{ value: { name: string; provisioningState: string }[] }>().value).toContainEqual(
    expect.objectContaining({ name: 'northeurope', provisioningState: 'Succeeded' }),
  );
});

test('an unanswered `remove` changes nothing and says so once the approval times out', async () => {
  // About a second: with nobody clicking, only the timeout can end the wait.
  await app.restartWith({ APPROVAL_TIMEOUT: '0.02' });

  await slash('remove crfollow01 eastus2', '/timeout');
  const timedOut = await receiver.next('/timeout', 2);
  expect(String(timedOut[0]!.text)).toMatch(/^Approval needed/);
  expect(String(timedOut[1]!.text)).toMatch(/no approval before the timeout/);

  expect(await replicaNames()).toContain('eastus2');
  expect(await armWritesTo(app, `${app.registryId(RG, 'crfollow01')}/replications/eastus2`)).toEqual([]);
});
