// A sweep never replaces or overlaps a running operation on a replica: while a user's chat `remove` waits
// for approval, a sweep that finds the replica suspect reports it busy (output and audit) and leaves it;
// the delete, once approved, runs to its end and reports back. (A heal started as a sub-orchestration
// under the replica's id would have replaced the waiting delete on the Durable host.)
import { randomBytes } from 'node:crypto';

import { SWEEP_INSTANCE_ID, parseReplicaId, replicaInstanceId } from '../../src/domain';
import type { SweepSummary } from '../../src/domain';
import { call } from '@acr-replica-guard/devhost/testing';
import { buttonClickBody, slackHeaders, slashCommandBody, startResponseUrlReceiver } from '../support/slack';
import type { ResponseUrlReceiver } from '../support/slack';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const SECRET = randomBytes(16).toString('hex');
const RG = 'rg-busy';
const REGISTRY = 'crbusy01';
const OPERATOR = { team: 'T0CHAT', id: 'U0OPERATOR', name: 'ada' };
const APPROVER = { team: 'T0CHAT', id: 'U0APPROVER', name: 'grace' };

let app: AppHarness;
let receiver: ResponseUrlReceiver;
let replicaId: string;

beforeAll(async () => {
  receiver = await startResponseUrlReceiver();
  app = await startApp(
    (id) => [
      {
        id: id(RG, REGISTRY),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'northeurope', failed: true }],
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
  replicaId = `${app.registryId(RG, REGISTRY)}/replications/northeurope`;
});

afterAll(async () => {
  await app?.stop();
  await receiver?.close();
});

interface OperationView {
  runtimeStatus: string;
  operation?: string;
  phase?: string;
  result?: SweepSummary;
}

async function operation(id: string): Promise<OperationView> {
  return (await app.api(`/api/operations/${encodeURIComponent(id)}`)).json<OperationView>();
}

async function until(
  id: string,
  done: (view: OperationView) => boolean,
  timeoutMs = 30_000,
): Promise<OperationView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await operation(id);
    if (done(view)) return view;
    if (Date.now() > deadline) throw new Error(`${id} is still ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("a sweep reports a replica whose delete waits for approval as busy, and the user's delete still runs to its end", async () => {
  const body = slashCommandBody(`remove ${REGISTRY} northeurope`, OPERATOR, receiver.url('/remove'));
  const ack = await call(`${app.host.url}/api/chat/slack/commands`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, SECRET),
  });
  expect(ack.json<{ text: string }>().text).toMatch(/^Accepted/);
  const [approvalRequest] = await receiver.next('/remove', 1);
  const deleteId = replicaInstanceId(parseReplicaId(replicaId));
  await until(deleteId, (v) => v.operation === 'delete' && v.phase === 'awaiting-approval');

  const started = await app.api('/api/heal', { method: 'POST' });
  expect(started.status).toBe(202);
  const sweep = await until(SWEEP_INSTANCE_ID, (v) => ['Completed', 'Failed'].includes(v.runtimeStatus));
  expect(sweep.runtimeStatus).toBe('Completed');
  expect(sweep.result).toMatchObject({ suspects: 1, skipped: 1, healed: 0, failed: 0 });
  expect(sweep.result!.results.map((r) => [r.replicaId, r.outcome])).toEqual([[replicaId, 'skipped']]);
  expect(sweep.result!.results[0]!.reason).toMatch(
    /^busy: another operation on this replica is Running \(replicaOperation delete\)/,
  );
  const busy = await app.audit.listByInstance(replicaId, SWEEP_INSTANCE_ID);
  expect(busy.map((e) => `${e.operation}:${e.step}:${e.outcome}:${e.target}`)).toEqual([
    `heal:busy:skipped:${replicaId}`,
  ]);

  // The user's delete was left as it was: still waiting, then carried out once approved.
  expect(await operation(deleteId)).toMatchObject({ operation: 'delete', phase: 'awaiting-approval' });
  const blocks = approvalRequest!.blocks as { elements?: { action_id: string; value: string }[] }[];
  const approve = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'approve')!;
  const click = buttonClickBody('approve', approve.value, APPROVER, receiver.url('/click'));
  const clicked = await call(`${app.host.url}/api/chat/slack/actions`, {
    method: 'POST',
    body: click,
    headers: slackHeaders(click, SECRET),
  });
  expect(clicked.status).toBe(200);
  const messages = await receiver.next('/remove', 2);
  expect(String(messages[1]!.text)).toMatch(/^✅ Delete of .*northeurope succeeded/);
  const trail = await app.audit.listByInstance(replicaId, deleteId);
  expect(trail.map((e) => `${e.operation}:${e.step}:${e.outcome}`)).toContain('delete:completed:succeeded');
});
