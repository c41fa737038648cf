// Follow-ups and notifications never follow redirects: a Slack response_url on an allowed host that
// answers 307 towards another host (outside CHAT_REPLY_HOSTS), and a notification webhook doing the same,
// lead nowhere; the post counts as failed, is logged without its URL, and the work goes on. The heal
// below posts all three kinds: the notification, the approval request and the sweep's result, plus the
// decision after the click. Against the real app on the devhost.
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { call } from '@acr-replica-guard/devhost/testing';
import {
  parseReplicaId,
  registrySweepInstanceId,
  parseRegistryId,
  replicaInstanceId,
} from '../../src/domain';
import { buttonClickBody, slackHeaders, slashCommandBody } from '../support/slack';
import { startApp } from './appHarness';
import type { AppHarness, OperationView } from './appHarness';

const SECRET = randomBytes(16).toString('hex');
const RG = 'rg-redirects';
const OPERATOR = { team: 'T0HOME', id: 'U0OPERATOR', name: 'ada' };
const APPROVER = { team: 'T0HOME', id: 'U0APPROVER', name: 'grace' };
/** Stands for the secret part of a response_url: it must not reach the logs. */
const TOKEN = randomBytes(12).toString('hex');

interface Recorder {
  server: http.Server;
  paths: string[];
  port: number;
}

/** A server that records every request's path, and answers each with `answer`. */
async function recorder(answer: (response: http.ServerResponse) => void): Promise<Recorder> {
  const paths: string[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      paths.push(request.url ?? '');
      answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, paths, port: (server.address() as AddressInfo).port };
}

let app: AppHarness;
/** Where the redirects point: `localhost`, which is not in CHAT_REPLY_HOSTS. */
let elsewhere: Recorder;
/** The allowed host (127.0.0.1), answering every post with a 307 to `elsewhere`. */
let redirector: Recorder;

beforeAll(async () => {
  elsewhere = await recorder((response) => response.writeHead(200).end('ok'));
  redirector = await recorder((response) =>
    response.writeHead(307, { location: `http://localhost:${elsewhere.port}/stolen` }).end(),
  );
  app = await startApp(
    (id) => [
      {
        id: id(RG, 'crredirect01'),
        location: 'westeurope',
        sku: 'Premium',
        tags: { 'replica-heal-policy': 'approve' },
        replicas: [{ location: 'eastus', failed: true }],
      },
    ],
    {
      env: {
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_APPROVERS: APPROVER.id,
        SLACK_HEALERS: OPERATOR.id,
        CHAT_REPLY_HOSTS: '127.0.0.1',
        SLACK_NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${redirector.port}/notify/${TOKEN}`,
        DEVHOST_LOG_LEVEL: 'warn',
      },
    },
  );
});

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => redirector?.server.close(resolve));
  await new Promise((resolve) => elsewhere?.server.close(resolve));
});

const url = (path: string): string => `http://127.0.0.1:${redirector.port}${path}`;

async function phase(instanceId: string, wanted: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = (await app.api(`/api/operations/${encodeURIComponent(instanceId)}`)).json<OperationView>();
    if (view.phase === wanted) return;
    if (Date.now() > deadline) throw new Error(`not ${wanted}: ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a 307 from the follow-up host or the notification webhook is not followed, and the heal still completes', async () => {
  const command = slashCommandBody('heal crredirect01', OPERATOR, url(`/reply/${TOKEN}`));
  const started = await call(`${app.host.url}/api/chat/slack/commands`, {
    method: 'POST',
    body: command,
    headers: slackHeaders(command, SECRET),
  });
  expect(started.json<{ text: string }>().text).toMatch(/^Accepted/);
  const heal = replicaInstanceId(parseReplicaId(`${app.registryId(RG, 'crredirect01')}/replications/eastus`));
  await phase(heal, 'awaiting-approval');

  const click = buttonClickBody('approve', heal, APPROVER, url(`/click/${TOKEN}`));
  const clicked = await call(`${app.host.url}/api/chat/slack/actions`, {
    method: 'POST',
    body: click,
    headers: slackHeaders(click, SECRET),
  });
  expect(clicked.json<{ text: string }>().text).toMatch(/^Approved by/);
  const sweep = registrySweepInstanceId(parseRegistryId(app.registryId(RG, 'crredirect01')));
  const done = await app.waitForOperation(`/api/operations/${encodeURIComponent(sweep)}`);

  expect(done.result).toMatchObject({ healed: 1 });
  expect(elsewhere.paths).toEqual([]);
  // Each post reached the allowed host once: none was retried into a loop, none went on to `localhost`.
  expect(redirector.paths.filter((p) => p.startsWith('/notify/'))).toHaveLength(1);
  expect(redirector.paths.filter((p) => p.startsWith('/click/'))).toHaveLength(1);
  expect(redirector.paths.filter((p) => p.startsWith('/reply/'))).toHaveLength(2);
  const log = app.host.output();
  expect(log).toMatch(/notification webhook answered a redirect \(307\)/);
  expect(log).toMatch(/Slack answered a redirect \(307\)/);
  expect(log).not.toContain(TOKEN);
  expect(log).not.toContain('/stolen');
});
