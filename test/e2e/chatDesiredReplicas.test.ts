// `plan` and `apply` from Slack, signed as Slack signs them, against the real app on the devhost: the
// plan in the answer, an apply whose delete waits for an Approve click (the same approval as every other
// operation's), and the summary posted to the command's response_url. This test plays Slack.
import { randomBytes } from 'node:crypto';

import { call } from '@acr-replica-guard/devhost/testing';
import { desiredReplicasInstanceId, parseRegistryId } from '../../src/domain';
import { buttonClickBody, slackHeaders, slashCommandBody, startResponseUrlReceiver } from '../support/slack';
import type { ResponseUrlReceiver } from '../support/slack';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const SECRET = randomBytes(16).toString('hex');
const RG = 'rg-chatset';
const APPROVER = { team: 'T0CHAT', id: 'U0APPROVER', name: 'grace' };
const ASKER = { team: 'T0CHAT', id: 'U0ASKER', name: 'ada' };
const COMMAND_PATH = '/commands/T0CHAT/1/set';
const CLICK_PATH = '/actions/T0CHAT/1/set';

let app: AppHarness;
let receiver: ResponseUrlReceiver;

beforeAll(async () => {
  receiver = await startResponseUrlReceiver();
  app = await startApp(
    (id) => [
      {
        id: id(RG, 'crchatset01'),
        location: 'westeurope',
        sku: 'Premium',
        sizeGiB: 250,
        replicas: [{ location: 'eastus' }, { location: 'westus2' }],
      },
    ],
    {
      env: {
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_APPROVERS: APPROVER.id,
        CHAT_REPLY_HOSTS: '127.0.0.1',
      },
    },
  );
  const declared = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crchatset01/desired-replicas`, {
    method: 'PUT',
    body: { replicas: [{ location: 'westeurope' }, { location: 'eastus' }, { location: 'northeurope' }] },
  });
  expect(declared.status).toBe(201);
});

afterAll(async () => {
  await app?.stop();
  await receiver?.close();
});

async function slack(text: string): Promise<string> {
  const body = slashCommandBody(text, ASKER, receiver.url(COMMAND_PATH));
  const answer = await call(`${app.host.url}/api/chat/slack/commands`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, SECRET),
  });
  expect(answer.status).toBe(200);
  return answer.json<{ text: string }>().text;
}

test('plan shows each step with its estimate, its risk and whether it waits for an approval', async () => {
  const text = await slack('plan crchatset01');

  expect(text).toMatch(/^Plan for crchatset01 \(declaration "v1", home westeurope, 250 GiB\): 2 change\(s\)/);
  expect(text).toContain('1. create northeurope, ~6 h 17 min');
  expect(text).toContain('2. delete westus2, ~5 min, high risk [needs approval]');
  expect(text).toContain('Apply it with `apply crchatset01`.');
  const shown = (
    await app.audit.list({ target: app.registryId(RG, 'crchatset01'), operation: 'desired-replicas' })
  ).entries;
  expect(shown.find((e) => e.step === 'plan')).toMatchObject({
    channel: 'chat',
    actor: { id: 'slack:T0CHAT:U0ASKER' },
  });
});

test('apply --dry-run shows the plan and changes nothing', async () => {
  const text = await slack('apply crchatset01 --dry-run');
  expect(text).toMatch(/Dry run: nothing was changed\.$/);
  expect(receiver.messages(COMMAND_PATH)).toEqual([]);
});

test('apply creates at once, asks in the channel before it deletes, and posts the summary when an approver clicked', async () => {
  const applyId = desiredReplicasInstanceId(parseRegistryId(app.registryId(RG, 'crchatset01')));
  const text = await slack('apply crchatset01');
  expect(text).toContain(`Operation id: ${applyId}`);
  expect(text).toContain('asked for here, with Approve and Reject buttons');

  const [question] = await receiver.next(COMMAND_PATH, 1, 60_000);
  expect(JSON.stringify(question)).toContain('delete westus2');
  const replicas = (await app.api(`/api/registries/${app.subscriptionId}/${RG}/crchatset01/replicas`)).json<{
    value: { name: string; provisioningState: string }[];
  }>().value;
  expect(replicas.map((r) => `${r.name}:${r.provisioningState}`).sort()).toEqual([
    'eastus:Succeeded',
    'northeurope:Succeeded',
    'westeurope:Succeeded',
    'westus2:Succeeded',
  ]);

  const click = buttonClickBody('approve', applyId, APPROVER, receiver.url(CLICK_PATH));
  const clicked = await call(`${app.host.url}/api/chat/slack/actions`, {
    method: 'POST',
    body: click,
    headers: slackHeaders(click, SECRET),
  });
  expect(clicked.json<{ text: string }>().text).toMatch(/^Approved by <@U0APPROVER>/);

  const [, summary] = await receiver.next(COMMAND_PATH, 2, 60_000);
  expect(summary).toMatchObject({ response_type: 'in_channel' });
  expect(String(summary!.text)).toMatch(/^✅ Apply of .*crchatset01 succeeded in .*2 step\(s\).*2 succeeded/);
  const after = (await app.api(`/api/registries/${app.subscriptionId}/${RG}/crchatset01/replicas`)).json<{
    value: { name: string }[];
  }>().value;
  expect(after.map((r) => r.name).sort()).toEqual(['eastus', 'northeurope', 'westeurope']);
  const approval = (await app.audit.listByInstance(app.registryId(RG, 'crchatset01'), applyId)).find(
    (e) => e.step === 'approval',
  );
  expect(approval).toMatchObject({
    outcome: 'accepted',
    detail: { approver: { id: 'slack:T0CHAT:U0APPROVER' } },
  });
});
