// Who may decide on a waiting operation is recorded in it when it is requested, and every channel is held
// to that: a `remove` started in Slack is decided by a click of an approver in the same workspace (not
// over REST, not from another workspace, not by the requester); a heal started over REST is decided over
// REST (not by a click, not by the signed-in caller who asked for it). Against the real app on the
// devhost, with App Service authentication trusted, so signed-in callers are told apart.
import { randomBytes } from 'node:crypto';

import { call } from '@acr-replica-guard/devhost/testing';
import { parseReplicaId, replicaInstanceId } from '../../src/domain';
import type { AuditEntry } from '../../src/domain';
import { buttonClickBody, slackHeaders, slashCommandBody, startResponseUrlReceiver } from '../support/slack';
import type { ResponseUrlReceiver } from '../support/slack';
import { startApp } from './appHarness';
import type { AppHarness, OperationView } from './appHarness';

const SECRET = randomBytes(16).toString('hex');
const RG = 'rg-approval-policy';
/** Asks for the removal, and is an approver too: she may not approve her own request. */
const ADA = { team: 'T0HOME', id: 'U0ADA', name: 'ada' };
const GRACE = { team: 'T0HOME', id: 'U0GRACE', name: 'grace' };
/** Grace again, but clicking in another workspace the Slack app is installed in. */
const GRACE_ELSEWHERE = { team: 'T0ELSEWHERE', id: 'U0GRACE', name: 'grace' };
const ALICE = { 'x-ms-client-principal-id': 'oid-alice', 'x-ms-client-principal-name': 'alice@contoso.com' };
const BOB = { 'x-ms-client-principal-id': 'oid-bob', 'x-ms-client-principal-name': 'bob@contoso.com' };

let app: AppHarness;
let receiver: ResponseUrlReceiver;

beforeAll(async () => {
  receiver = await startResponseUrlReceiver();
  app = await startApp(
    (id) => [
      {
        id: id(RG, 'crpolicy01'),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'eastus' }],
      },
      {
        id: id(RG, 'crpolicy02'),
        location: 'westeurope',
        sku: 'Premium',
        tags: { 'replica-heal-policy': 'approve' },
        replicas: [
          { location: 'northeurope', failed: true },
          { location: 'westus2', failed: true },
        ],
      },
    ],
    {
      env: {
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_APPROVERS: `${ADA.id},${GRACE.id}`,
        CHAT_REPLY_HOSTS: '127.0.0.1',
        // App Service authentication is in front: its principal headers name the caller.
        TRUST_APP_SERVICE_AUTH: 'true',
      },
    },
  );
});

afterAll(async () => {
  await app?.stop();
  await receiver?.close();
});

async function slash(text: string, replyPath: string): Promise<{ text: string }> {
  const body = slashCommandBody(text, ADA, receiver.url(replyPath));
  const answer = await call(`${app.host.url}/api/chat/slack/commands`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, SECRET),
  });
  expect(answer.status).toBe(200);
  return answer.json();
}

interface ClickAnswer {
  response_type?: string;
  replace_original?: boolean;
  text: string;
}

async function click(
  instanceId: string,
  user: { team: string; id: string; name: string },
  replyPath: string,
): Promise<ClickAnswer> {
  const body = buttonClickBody('approve', instanceId, user, receiver.url(replyPath));
  const answer = await call(`${app.host.url}/api/chat/slack/actions`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, SECRET),
  });
  expect(answer.status).toBe(200);
  return answer.json();
}

const approveOverRest = (instanceId: string, headers: Record<string, string> = {}) =>
  app.api(`/api/operations/${encodeURIComponent(instanceId)}/approval`, {
    method: 'POST',
    body: { approved: true },
    headers,
  });

async function waitingFor(instanceId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = (await app.api(`/api/operations/${encodeURIComponent(instanceId)}`)).json<OperationView>();
    if (view.runtimeStatus === 'Running' && view.phase === 'awaiting-approval') return;
    if (Date.now() > deadline) throw new Error(`not waiting: ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An audit entry as what the assertions compare: channel, operation, actor, target, outcome, refusal. */
const summary = (entry: AuditEntry): (string | undefined)[] => [
  entry.channel,
  entry.operation,
  entry.actor.id,
  entry.target,
  entry.outcome,
  typeof entry.detail?.refusal === 'string' ? entry.detail.refusal : undefined,
];

const replicaOf = (registry: string, name: string): string =>
  `${app.registryId(RG, registry)}/replications/${name}`;

async function replicaNames(registry: string): Promise<{ name: string; provisioningState: string }[]> {
  const answer = await app.api(`/api/registries/${app.subscriptionId}/${RG}/${registry}/replicas`);
  return answer.json<{ value: { name: string; provisioningState: string }[] }>().value;
}

test('a remove started in Slack is refused over REST, from another workspace and to its requester, and goes ahead when an approver in the workspace clicks', async () => {
  await slash('remove crpolicy01 eastus', '/remove');
  const [request] = await receiver.next('/remove', 1);
  const instanceId = replicaInstanceId(parseReplicaId(replicaOf('crpolicy01', 'eastus')));
  expect(JSON.stringify(request)).toContain(instanceId);
  await waitingFor(instanceId);

  const overRest = await approveOverRest(instanceId, BOB);
  const elsewhere = await click(instanceId, GRACE_ELSEWHERE, '/elsewhere');
  const ownRequest = await click(instanceId, ADA, '/own');

  expect(overRest.status).toBe(403);
  expect(overRest.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(overRest.json()).toMatchObject({
    type: 'urn:acr-replica-guard:problem:approval-not-allowed',
    status: 403,
    refusal: 'channel-not-allowed',
  });
  expect(elsewhere).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(elsewhere.text).toMatch(/another Slack workspace/);
  expect(ownRequest).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(ownRequest.text).toMatch(/someone else must approve it/);
  await waitingFor(instanceId);
  expect((await replicaNames('crpolicy01')).map((r) => r.name)).toContain('eastus');
  const refused = [
    ...(await app.audit.list({ target: app.registryId(RG, 'crpolicy01'), operation: 'approval' })).entries,
    ...(await app.audit.list({ target: app.registryId(RG, 'crpolicy01'), operation: 'chat-approval' }))
      .entries,
  ];
  const eastus = replicaOf('crpolicy01', 'eastus');
  expect(refused.map(summary).sort()).toEqual(
    [
      ['api', 'approval', 'oid-bob', eastus, 'refused', 'channel-not-allowed'],
      ['chat', 'chat-approval', 'slack:T0ELSEWHERE:U0GRACE', eastus, 'refused', 'other-workspace'],
      ['chat', 'chat-approval', 'slack:T0HOME:U0ADA', eastus, 'refused', 'own-request'],
    ].sort(),
  );

  const approved = await click(instanceId, GRACE, '/grace');

  expect(approved.text).toMatch(/^Approved by <@U0GRACE>/);
  const done = await app.waitForOperation(`/api/operations/${encodeURIComponent(instanceId)}`);
  expect(done.result).toMatchObject({ outcome: 'succeeded' });
  expect((await replicaNames('crpolicy01')).map((r) => r.name)).not.toContain('eastus');
  const trail = await app.audit.listByInstance(app.registryId(RG, 'crpolicy01'), instanceId);
  expect(trail.find((e) => e.step === 'approval')).toMatchObject({
    outcome: 'accepted',
    detail: { approver: { id: 'slack:T0HOME:U0GRACE', name: 'grace' }, channel: 'slack' },
  });
});

test('a heal started over REST is refused to a Slack click and to the caller who asked for it, and approved by another caller or a key holder', async () => {
  const started = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crpolicy02/heal`, {
    method: 'POST',
    headers: ALICE,
  });
  expect(started.status).toBe(202);
  const [first, second] = ['northeurope', 'westus2'].map((name) =>
    replicaInstanceId(parseReplicaId(replicaOf('crpolicy02', name))),
  ) as [string, string];
  await waitingFor(first);
  await waitingFor(second);

  const byClick = await click(first, GRACE, '/heal-click');
  const byRequester = await approveOverRest(first, ALICE);

  expect(byClick.text).toMatch(/not allowed/);
  expect(byRequester.status).toBe(403);
  expect(byRequester.json()).toMatchObject({
    type: 'urn:acr-replica-guard:problem:approval-not-allowed',
    refusal: 'own-request',
  });
  await waitingFor(first);

  const byBob = await approveOverRest(first, BOB);
  const byKeyHolder = await approveOverRest(second);

  expect(byBob.status).toBe(202);
  expect(byBob.json()).toEqual({
    operationId: first,
    approved: true,
    approver: { id: 'oid-bob', name: 'bob@contoso.com' },
  });
  expect(byKeyHolder.status).toBe(202);
  expect(byKeyHolder.json()).toMatchObject({ approver: { id: 'function-key' } });
  const sweep = await app.waitForOperation(started.headers.get('location')!);
  expect(sweep.result).toMatchObject({ healed: 2 });
  expect(await replicaNames('crpolicy02')).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: 'northeurope', provisioningState: 'Succeeded' }),
      expect.objectContaining({ name: 'westus2', provisioningState: 'Succeeded' }),
    ]),
  );
  const refusals = [
    ...(await app.audit.list({ target: app.registryId(RG, 'crpolicy02'), operation: 'chat-approval' }))
      .entries,
    ...(await app.audit.list({ target: app.registryId(RG, 'crpolicy02'), operation: 'approval' })).entries,
  ];
  const northeurope = replicaOf('crpolicy02', 'northeurope');
  expect(refusals.map(summary)).toEqual([
    ['chat', 'chat-approval', 'slack:T0HOME:U0GRACE', northeurope, 'refused', 'channel-not-allowed'],
    ['api', 'approval', 'oid-alice', northeurope, 'refused', 'own-request'],
  ]);
  const heal = await app.audit.listByInstance(app.registryId(RG, 'crpolicy02'), first);
  expect(heal.find((e) => e.step === 'approval')).toMatchObject({
    outcome: 'accepted',
    detail: { approver: { id: 'oid-bob', name: 'bob@contoso.com' }, channel: 'api' },
  });
});
