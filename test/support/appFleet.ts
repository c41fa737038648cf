// Seeds the launcher's ARM sandbox (SANDBOX_URL) with the app's own managed identity and a fleet in a
// subscription of the test's own, so test files running in parallel never see each other's registries.
import { randomUUID } from 'node:crypto';

import type { SeedDocument, SeedRegistry } from '@acr-replica-guard/sandbox';
import { AdminClient } from '@acr-replica-guard/sandbox/testing';

/** The system-assigned identity the app gets its tokens for (the same in every test file). */
export const APP_IDENTITY = {
  objectId: '5a0c1e2f-3b4d-4e6f-8a9b-0c1d2e3f4a5b',
  appId: '6b1d2f3a-4c5e-4f7a-9b0c-1d2e3f4a5b6c',
  displayName: 'func-acr-replica-guard',
  systemAssigned: true,
};

export const REGISTRY_OPERATOR_ROLE = 'Registry Replica Operator (test)';

export function launcherSandbox(): AdminClient {
  const url = process.env.SANDBOX_URL;
  if (url === undefined || url === '')
    throw new Error('SANDBOX_URL is not set: run the tests with `npm test`.');
  return new AdminClient(url);
}

export interface TestFleet {
  subscriptionId: string;
  registryId(resourceGroup: string, name: string): string;
}

/** Seeds a new subscription holding `registries` (ids built with the returned subscription id). */
export async function seedFleet(
  build: (fleet: TestFleet) => SeedRegistry[],
  extra: SeedDocument = {},
): Promise<TestFleet> {
  const subscriptionId = randomUUID();
  const fleet: TestFleet = {
    subscriptionId,
    registryId: (resourceGroup, name) =>
      `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${name}`,
  };
  const seed: SeedDocument = {
    principals: [APP_IDENTITY, ...(extra.principals ?? [])],
    subscriptions: [
      { subscriptionId, locations: ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2'] },
    ],
    roleDefinitions: [
      {
        name: randomUUID(),
        roleName: `${REGISTRY_OPERATOR_ROLE} ${subscriptionId}`,
        permissions: [{ actions: ['Microsoft.ContainerRegistry/*', '*/read'] }],
        assignableScopes: [`/subscriptions/${subscriptionId}`],
      },
      ...(extra.roleDefinitions ?? []),
    ],
    roleAssignments: [
      {
        principalId: APP_IDENTITY.objectId,
        role: `${REGISTRY_OPERATOR_ROLE} ${subscriptionId}`,
        scope: `/subscriptions/${subscriptionId}`,
      },
      ...(extra.roleAssignments ?? []),
    ],
    registries: build(fleet),
  };
  const answer = await launcherSandbox().call('POST', '/seed', seed);
  if (answer.status >= 300)
    throw new Error(`seeding the sandbox failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return fleet;
}
