// Prevention: a replica created on a registry with private endpoints by an identity without the
// private-link permission would stay stuck in provisioning. The app checks first; under the `auto`
// policy it grants itself the permission and waits until it is effective before the PUT, under
// `report` it refuses the create before anything is written.
import type { RoleAssignment } from '@azure/arm-authorization';

import { PRIVATE_LINK_ACTION } from '../../src/domain';
import { APP_IDENTITY } from '../support/appFleet';
import { CREATE_OWN_ROLE, grantRbacAdministration } from '../support/rbacAdministration';
import { SandboxTokenCredential, authorizationClient } from '@acr-replica-guard/sandbox/testing';
import type { RequestLogView } from '@acr-replica-guard/sandbox/testing';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-secure';
let app: AppHarness;
let endpointOf: (registry: string) => string;

beforeAll(async () => {
  app = await startApp(
    (id, subscriptionId) => {
      endpointOf = (registry) =>
        `/subscriptions/${subscriptionId}/resourceGroups/rg-network/providers/Microsoft.Network/privateEndpoints/pe-${registry}`;
      return [
        {
          id: id(RG, 'crauto01'),
          location: 'westeurope',
          sku: 'Premium',
          privateEndpoints: [endpointOf('crauto01')],
        },
        {
          id: id(RG, 'crreport01'),
          location: 'westeurope',
          sku: 'Premium',
          tags: { 'replica-heal-policy': 'report' },
          privateEndpoints: [endpointOf('crreport01')],
        },
      ];
    },
    { env: CREATE_OWN_ROLE },
  );
  await grantRbacAdministration(app.sandbox.admin, app.subscriptionId);
});

afterAll(async () => {
  await app?.stop();
});

async function requestLog(): Promise<RequestLogView['requests']> {
  return (await app.sandbox.admin.requests(app.subscriptionId)).requests;
}

async function appAssignmentsAt(scope: string): Promise<RoleAssignment[]> {
  const client = authorizationClient(
    app.sandbox,
    new SandboxTokenCredential(app.sandbox.url, APP_IDENTITY.objectId),
    app.subscriptionId,
  );
  const found: RoleAssignment[] = [];
  for await (const a of client.roleAssignments.listForScope(scope.slice(1), {
    filter: `principalId eq '${APP_IDENTITY.objectId}'`,
  }))
    found.push(a);
  return found;
}

const replicasOf = (registry: string): string =>
  `/api/registries/${app.subscriptionId}/${RG}/${registry}/replicas`;

describe('creating a replica on a registry with private endpoints', () => {
  test('under the report policy, the create is refused with 422 and nothing is written', async () => {
    const refused = await app.api(replicasOf('crreport01'), {
      method: 'POST',
      body: { location: 'northeurope' },
    });

    expect(refused.status).toBe(422);
    expect(refused.json()).toMatchObject({
      type: 'urn:acr-replica-guard:problem:missing-private-link-permission',
      principalId: APP_IDENTITY.objectId,
      action: PRIVATE_LINK_ACTION,
      missingAt: [endpointOf('crreport01')],
      policy: 'report',
    });
    expect(refused.json<{ detail: string }>().detail).toMatch(/stuck in provisioning/);
    const writes = (await requestLog()).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
  });

  test('a dry run under the auto policy shows the grant before the PUT', async () => {
    const planned = await app.api(`${replicasOf('crauto01')}?dryRun=true`, {
      method: 'POST',
      body: { location: 'northeurope' },
    });
    expect(planned.status).toBe(200);
    const plan = planned.json<{ plan: string[] }>().plan;
    const grantAt = plan.findIndex((step) => step.startsWith('grant it'));
    expect(grantAt).toBeGreaterThan(0);
    expect(plan.findIndex((step) => step.startsWith('PUT the replication'))).toBeGreaterThan(grantAt);
  });

  test('under the auto policy, the app grants itself the permission first and the replica never gets stuck', async () => {
    const accepted = await app.api(replicasOf('crauto01'), {
      method: 'POST',
      body: { location: 'northeurope' },
    });
    expect(accepted.status).toBe(202);

    const done = await app.waitForOperation(accepted.headers.get('location')!);
    expect(done).toMatchObject({
      runtimeStatus: 'Completed',
      phase: 'succeeded',
      result: { outcome: 'succeeded', provisioningState: 'Succeeded' },
    });

    const endpoint = endpointOf('crauto01');
    // The dry run above shares the replica's instance id; this operation's entries start at its request.
    const trail = (await app.audit.listByInstance(app.registryId(RG, 'crauto01'), done.operationId)).filter(
      (e) => e.step !== 'dry-run',
    );
    const steps = trail.map((e) => `${e.step}:${e.outcome}`);
    expect(steps.slice(0, 7)).toEqual([
      'received:progress',
      'requested:accepted',
      'preflight:succeeded',
      'permission-checked:succeeded',
      'permission-granted:succeeded',
      'permission-effective:succeeded',
      'arm-started:started',
    ]);
    expect(steps.at(-1)).toBe('completed:succeeded');
    expect(trail[3]!.detail).toMatchObject({ missingAt: [endpoint], principalId: APP_IDENTITY.objectId });
    const granted = trail[4]!.detail as {
      roleDefinitionId: string;
      roleCreated: boolean;
      assignments: { scope: string; assignmentId: string; created: boolean }[];
    };
    expect(granted.roleCreated).toBe(true);
    expect(granted.assignments.map((a) => [a.scope, a.created])).toEqual([[endpoint, true]]);

    // ARM saw the grant before the replica's PUT, and the PUT only once.
    const operations = (await requestLog()).map((r) => `${r.operation} ${r.status}`);
    const assigned = operations.indexOf('RoleAssignments_Create 201');
    const created = operations.indexOf('Replications_Create 201');
    expect(assigned).toBeGreaterThanOrEqual(0);
    expect(created).toBeGreaterThan(assigned);
    expect(operations.filter((o) => o.startsWith('Replications_Create'))).toHaveLength(1);

    // Exactly one assignment, at the private endpoint, of the role holding only the private-link action.
    const atEndpoint = (await appAssignmentsAt(endpoint)).filter(
      (a) => a.scope?.toLowerCase() === endpoint.toLowerCase(),
    );
    expect(atEndpoint).toHaveLength(1);
    expect(atEndpoint[0]).toMatchObject({
      id: granted.assignments[0]!.assignmentId,
      roleDefinitionId: granted.roleDefinitionId,
    });
  });
});
