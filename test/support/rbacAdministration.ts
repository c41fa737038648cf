// Gives the app identity what it needs to create its own private-link role (the wider set-up without the
// infrastructure's pre-created role), in one subscription only: a custom role that may write role
// definitions, and Role Based Access Control Administrator. The app uses it only with CREATE_OWN_ROLE.
// Or the infrastructure's set-up: a private-link role made beforehand (preCreatedPrivateLinkRole).
import { randomUUID } from 'node:crypto';

import type { SeedDocument } from '@acr-replica-guard/sandbox';
import { APP_IDENTITY } from './appFleet';
import type { AdminClient } from '@acr-replica-guard/sandbox/testing';

/** The settings that let the app create its own private-link role. */
export const CREATE_OWN_ROLE = { HEAL_ROLE_CREATE: 'true' };

/** Seeds rbacAdministration(subscriptionId) into a running sandbox. */
export async function grantRbacAdministration(admin: AdminClient, subscriptionId: string): Promise<void> {
  const answer = await admin.call('POST', '/seed', rbacAdministration(subscriptionId));
  if (answer.status >= 300)
    throw new Error(`seeding RBAC administration failed: ${answer.status} ${JSON.stringify(answer.body)}`);
}

export function rbacAdministration(subscriptionId: string): SeedDocument {
  const scope = `/subscriptions/${subscriptionId}`;
  // Custom role names are unique in the whole directory, and test files share one.
  const writer = `Role definition writer ${randomUUID()}`;
  return {
    roleDefinitions: [
      {
        roleName: writer,
        permissions: [{ actions: ['Microsoft.Authorization/roleDefinitions/write'] }],
        assignableScopes: [scope],
      },
    ],
    roleAssignments: [
      { principalId: APP_IDENTITY.objectId, role: writer, scope },
      { principalId: APP_IDENTITY.objectId, role: 'Role Based Access Control Administrator', scope },
    ],
  };
}

/**
 * The infrastructure's way instead: a private-link role made beforehand (a random GUID, holding only the
 * private-link action; its GUID is the caller's), which the app assigns by HEAL_ROLE_DEFINITION_ID, and Role Based Access Control
 * Administrator to assign it. `seed` goes to the sandbox, `env` to the app.
 */
export function preCreatedPrivateLinkRole(
  subscriptionId: string,
  guid: string,
): { seed: SeedDocument; env: { HEAL_ROLE_DEFINITION_ID: string } } {
  const scope = `/subscriptions/${subscriptionId}`;
  return {
    seed: {
      roleDefinitions: [
        {
          name: guid,
          roleName: `Private link ${guid}`,
          permissions: [{ actions: ['Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write'] }],
          assignableScopes: [scope],
        },
      ],
      roleAssignments: [
        { principalId: APP_IDENTITY.objectId, role: 'Role Based Access Control Administrator', scope },
      ],
    },
    env: {
      HEAL_ROLE_DEFINITION_ID: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    },
  };
}
