// How fast the chat endpoints answer, against the platforms' deadlines (Slack 3 s, Teams 5 s): signed
// slash commands and Teams messages sent to the real app on the devhost, which reads ARM (the sandbox)
// and writes the audit trail (Azurite) before it answers.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';

import { startDevHost } from '@acr-replica-guard/devhost';
import { startSandbox } from '@acr-replica-guard/sandbox';
import type { SeedRegistry } from '@acr-replica-guard/sandbox';
import { startAzurite } from '../tools/azurite';

export const name = 'chat';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ROUNDS = 40;
const REGIONS = ['northeurope', 'eastus', 'eastus2', 'westus2'];
const APP = {
  objectId: randomUUID(),
  appId: randomUUID(),
  displayName: 'func-acr-replica-guard',
  systemAssigned: true,
};

interface Timing {
  command: string;
  platform: 'slack' | 'teams';
  deadlineMs: number;
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  withinDeadline: boolean;
}

export async function run(): Promise<unknown> {
  const subscriptionId = randomUUID();
  const registries: SeedRegistry[] = Array.from({ length: ROUNDS / REGIONS.length }, (_, i) => ({
    id: `/subscriptions/${subscriptionId}/resourceGroups/rg-bench/providers/Microsoft.ContainerRegistry/registries/crbench${String(i).padStart(3, '0')}`,
    location: 'westeurope',
    sku: 'Premium',
    replicas: [{ location: 'swedencentral' }],
  }));
  const role = `Registry operator ${subscriptionId}`;
  const azurite = await startAzurite();
  const sandbox = await startSandbox({
    port: 0,
    speed: 1000,
    tlsDir: path.join(REPO_ROOT, '.local/sandbox-tls'),
    seed: {
      principals: [APP],
      subscriptions: [{ subscriptionId, locations: ['westeurope', 'swedencentral', ...REGIONS] }],
      roleDefinitions: [
        {
          roleName: role,
          permissions: [{ actions: ['Microsoft.ContainerRegistry/*', '*/read'] }],
          assignableScopes: [`/subscriptions/${subscriptionId}`],
        },
      ],
      roleAssignments: [{ principalId: APP.objectId, role, scope: `/subscriptions/${subscriptionId}` }],
      registries,
    },
  });
  const slackSecret = randomBytes(16).toString('hex');
  const teamsToken = randomBytes(32).toString('base64');
  const host = await startDevHost({
    appRoot: REPO_ROOT,
    env: {
      AzureWebJobsStorage: azurite.connectionString,
      ARM_ENDPOINT: sandbox.url,
      IDENTITY_ENDPOINT: sandbox.identityEndpoint,
      IDENTITY_HEADER: sandbox.identityHeader,
      NODE_EXTRA_CA_CERTS: sandbox.caPath,
      REGISTRY_SCOPE: subscriptionId,
      TASK_HUB_NAME: `bench${randomBytes(4).toString('hex')}`,
      AUDIT_TABLE: `benchaudit${randomBytes(4).toString('hex')}`,
      SLACK_SIGNING_SECRET: slackSecret,
      TEAMS_WEBHOOK_SECRET: teamsToken,
      DEVHOST_LOG_LEVEL: 'error',
    },
  });

  const slack = async (text: string, expected?: RegExp): Promise<number> => {
    const body = new URLSearchParams({
      team_id: 'T0BENCH',
      user_id: 'U0BENCH',
      user_name: 'bench',
      text,
      response_url: 'https://hooks.slack.com/commands/x',
    }).toString();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', slackSecret).update(`v0:${timestamp}:${body}`).digest('hex');
    return timed(
      `${host.url}/api/chat/slack/commands`,
      body,
      {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': `v0=${signature}`,
      },
      expected,
    );
  };
  const teams = async (text: string): Promise<number> => {
    const body = JSON.stringify({
      type: 'message',
      text: `<at>guard</at> ${text}`,
      from: { id: '29:bench', name: 'Bench' },
    });
    const hmac = createHmac('sha256', Buffer.from(teamsToken, 'base64')).update(body).digest('base64');
    return timed(`${host.url}/api/chat/teams`, body, {
      'content-type': 'application/json',
      authorization: `HMAC ${hmac}`,
    });
  };

  try {
    for (let i = 0; i < 3; i += 1) await slack('help'); // warm-up: first requests load code and tokens
    const registry = (i: number): string =>
      `crbench${String(Math.floor(i / REGIONS.length)).padStart(3, '0')}`;
    const runs: [string, 'slack' | 'teams', number, (i: number) => Promise<number>][] = [
      ['help', 'slack', 3000, () => slack('help')],
      ['list <registry>', 'slack', 3000, (i) => slack(`list ${registry(i)}`)],
      ['status <registry>', 'slack', 3000, (i) => slack(`status ${registry(i)}`)],
      [
        'add <registry> <region>',
        'slack',
        3000,
        (i) => slack(`add ${registry(i)} ${REGIONS[i % REGIONS.length] ?? 'eastus'}`),
      ],
      ['list <registry>', 'teams', 5000, (i) => teams(`list ${registry(i)}`)],
    ];
    const timings: Timing[] = [];
    for (const [command, platform, deadlineMs, send] of runs) {
      const samples: number[] = [];
      for (let i = 0; i < ROUNDS; i += 1) samples.push(await send(i));
      samples.sort((a, b) => a - b);
      const at = (q: number): number =>
        round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0);
      timings.push({
        command,
        platform,
        deadlineMs,
        count: samples.length,
        p50Ms: at(0.5),
        p95Ms: at(0.95),
        maxMs: at(1),
        withinDeadline: at(0.95) < deadlineMs,
      });
    }
    return {
      machine: { node: process.version, at: new Date().toISOString() },
      setup:
        'the real app on the devhost, ARM sandbox (speed 1000) and Azurite on this machine; requests sent one at a time',
      timings,
    };
  } finally {
    await host.stop();
    await sandbox.close();
    await azurite.stop();
  }
}

async function timed(
  url: string,
  body: string,
  headers: Record<string, string>,
  expected?: RegExp,
): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, { method: 'POST', body, headers });
  const text = await response.text();
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  if (expected !== undefined && !expected.test((JSON.parse(text) as { text: string }).text)) {
    throw new Error(`unexpected answer: ${text}`);
  }
  return elapsed;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
