// Healing under adversity: Azure throttling and failing during every remediation step, and the host
// killed mid-remediation. Either way the replica ends healthy with exactly one role assignment.
import type { HealRequest, HealResult } from '../../src/domain';
import { eventually } from '@acr-replica-guard/devhost/testing';
import { APP_IDENTITY } from '../support/appFleet';
import { CREATE_OWN_ROLE, rbacAdministration } from '../support/rbacAdministration';
import { SandboxTokenCredential, authorizationClient } from '@acr-replica-guard/sandbox/testing';
import { startApp } from './appHarness';
import { durable, healRequest as baseHealRequest, healResult, statusOf } from './healHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-faults';
/** Sizes: a create of the first takes a couple of seconds at the sandbox's speed, of the second an hour. */
const SIZE_GIB = { crthrottled01: 1000, crrestart01: 1_000_000 };
const CREATE_SECONDS_OF_RESTART = 20 + 3 * SIZE_GIB.crrestart01;

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id, subscriptionId) =>
      (['crthrottled01', 'crrestart01'] as const).map((name) => ({
        id: id(RG, name),
        location: 'westeurope',
        sku: 'Premium' as const,
        sizeGiB: SIZE_GIB[name],
        privateEndpoints: [
          `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-${name}`,
        ],
        replicas: [
          {
            location: 'northeurope',
            tags: { owner: 'platform' },
            creating: { createdBy: APP_IDENTITY.objectId },
          },
        ],
      })),
    { seed: rbacAdministration, env: CREATE_OWN_ROLE },
  );
});

afterAll(async () => {
  await app?.stop();
});

function healRequest(registry: string): HealRequest {
  return baseHealRequest(`${app.registryId(RG, registry)}/replications/northeurope`, {
    thresholdMinutes: 1,
    maxAttempts: 3,
  });
}

const resultOf = (instanceId: string): Promise<HealResult> => healResult(app, instanceId);

async function grantsAt(registry: string): Promise<number> {
  const authorization = authorizationClient(
    app.sandbox,
    new SandboxTokenCredential(app.sandbox.url, APP_IDENTITY.objectId),
    app.subscriptionId,
  );
  let count = 0;
  for await (const assignment of authorization.roleAssignments.listForScope(
    `/subscriptions/${app.subscriptionId}`,
    {
      filter: `principalId eq '${APP_IDENTITY.objectId}'`,
    },
  )) {
    if (assignment.scope?.toLowerCase().endsWith(`/pe-${registry}`)) count += 1;
  }
  return count;
}

async function replicaState(registry: string): Promise<Record<string, unknown> | undefined> {
  const answer = await app.api(`/api/registries/${app.subscriptionId}/${RG}/${registry}/replicas`);
  return answer
    .json<{ value: ({ name: string } & Record<string, unknown>)[] }>()
    .value.find((r) => r.name === 'northeurope');
}

test('throttling and server errors during every remediation step still end with one healthy replica and one grant', async () => {
  const subscriptionId = app.subscriptionId;
  const operations = [
    'Registries_Get',
    'Replications_Get',
    'Replications_Delete',
    'Replications_Create',
    'RoleDefinitions_List',
    'RoleDefinitions_Create',
    'RoleAssignments_Create',
    'Permissions_List',
  ];
  const rules = operations.flatMap((operation) => [
    { kind: 'throttle', retryAfterSeconds: 0, count: 1, match: { subscriptionId, operation } },
    { kind: 'error', status: 503, retryAfterSeconds: 0, count: 1, match: { subscriptionId, operation } },
    { kind: 'error', status: 500, rate: 0.2, match: { subscriptionId, operation } },
  ]);
  const installed = await app.sandbox.admin.call<{ rules: { id: string }[] }>('POST', '/faults', rules);
  expect(installed.status).toBe(201);

  try {
    const started = await app.api(durable('orchestrators/healReplica/heal-throttled'), {
      method: 'POST',
      body: healRequest('crthrottled01'),
    });
    expect(started.status).toBe(202);
    expect(await resultOf('heal-throttled')).toMatchObject({ outcome: 'healed' });
  } finally {
    for (const rule of installed.body.rules) await app.sandbox.admin.call('DELETE', `/faults/${rule.id}`);
  }

  expect(await replicaState('crthrottled01')).toMatchObject({
    provisioningState: 'Succeeded',
    tags: { owner: 'platform' },
  });
  expect(await grantsAt('crthrottled01')).toBe(1);
  const log = await app.sandbox.admin.requests(subscriptionId);
  const injected = log.requests.filter((r) => r.fault !== undefined).map((r) => r.operation);
  for (const operation of [
    'Replications_Delete',
    'Replications_Create',
    'RoleAssignments_Create',
    'Permissions_List',
  ]) {
    expect(injected).toContain(operation);
  }
  expect((await app.audit.verify(app.registryId(RG, 'crthrottled01'))).intact).toBe(true);
});

test('a host killed in the middle of a remediation resumes it, ending with one healthy replica and one grant', async () => {
  const started = await app.api(durable('orchestrators/healReplica/heal-restart'), {
    method: 'POST',
    body: healRequest('crrestart01'),
  });
  expect(started.status).toBe(202);
  // The recreate is under way at ARM, and cannot finish before the clock moves.
  await eventually('the recreate to reach ARM', async () => {
    const { requests } = await app.sandbox.admin.requests(app.subscriptionId);
    const created = requests.some(
      (r) => r.operation === 'Replications_Create' && r.status === 201 && r.path.includes('/crrestart01/'),
    );
    return created ? true : undefined;
  });
  expect((await statusOf(app, 'heal-restart')).customStatus?.phase).toBe('creating');

  await app.restartHost();
  const moved = await app.sandbox.admin.call('POST', '/clock', { advanceSeconds: CREATE_SECONDS_OF_RESTART });
  expect(moved.status).toBe(200);

  expect(await resultOf('heal-restart')).toMatchObject({ outcome: 'healed', attempts: 1 });
  expect(await replicaState('crrestart01')).toMatchObject({
    provisioningState: 'Succeeded',
    tags: { owner: 'platform' },
  });
  expect(await grantsAt('crrestart01')).toBe(1);
  const steps = (await app.audit.listByInstance(app.registryId(RG, 'crrestart01'), 'heal-restart')).map(
    (e) => e.step,
  );
  expect(steps).toEqual(['diagnosed', 'permission-granted', 'permission-effective', 'healed']);
});
