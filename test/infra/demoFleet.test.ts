// The demo fleet (the sandbox's seeds/demo.json, run by `npm start` with local.settings.json) gives the
// app's identity exactly what the infrastructure gives it: the same custom roles with the same actions,
// the pre-created private-link role named by HEAL_ROLE_DEFINITION_ID, and Role Based Access Control
// Administrator under the same condition text. A change to infra/ that the demo does not follow fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { SeedDocument, SeedRoleAssignment, SeedRoleDefinition } from '@acr-replica-guard/sandbox';
import {
  RBAC_ADMINISTRATOR_ROLE_ID,
  delegationCondition,
  infraActions,
  leastPrivilegeSeed,
} from '../support/infraAccess';
import type { InfraActions } from '../support/infraAccess';
import { REPO_ROOT } from './bicep';

const demo = JSON.parse(readFileSync(join(REPO_ROOT, 'sandbox/seeds/demo.json'), 'utf8')) as SeedDocument;
const settings = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'local.settings.json'), 'utf8')) as {
    Values: Record<string, string>;
  }
).Values;

const app = demo.principals?.find((principal) => principal.systemAssigned === true);
const subscriptionId = demo.subscriptions?.[0]?.subscriptionId ?? '';
const definitions = demo.roleDefinitions ?? [];
const privateLinkGuid = /roleDefinitions\/([0-9a-f-]{36})$/i.exec(
  settings.HEAL_ROLE_DEFINITION_ID ?? '',
)?.[1];

/** A seeded assignment's role as a GUID: seeds name roles by name (custom or built-in) or by id. */
function roleGuid(role: string): string {
  if (role === 'Role Based Access Control Administrator') return RBAC_ADMINISTRATOR_ROLE_ID;
  const byName = definitions.find((definition) => definition.roleName === role)?.name;
  return (byName ?? role.slice(role.lastIndexOf('/') + 1)).toLowerCase();
}

function grantsOf(assignments: readonly SeedRoleAssignment[]): string[] {
  return assignments
    .filter((assignment) => assignment.principalId === app?.objectId)
    .map((assignment) =>
      [roleGuid(assignment.role), assignment.scope.toLowerCase(), assignment.condition ?? ''].join(' | '),
    )
    .sort();
}

function definitionOf(guid: string | undefined): SeedRoleDefinition | undefined {
  return definitions.find((definition) => definition.name?.toLowerCase() === guid?.toLowerCase());
}

describe('the demo fleet against the infrastructure', () => {
  let actions: InfraActions;
  beforeAll(async () => {
    actions = await infraActions();
  });

  it('runs the app as the demo identity, scoped to resource groups, with the pre-created private-link role', () => {
    expect(app).toBeDefined();
    expect(settings.AZURE_CLIENT_ID).toBeUndefined();
    expect(settings.HEAL_ROLE_CREATE).toBeUndefined();
    expect(definitionOf(privateLinkGuid)?.permissions).toEqual([
      { actions: actions.privateLink, notActions: [], dataActions: [], notDataActions: [] },
    ]);
  });

  it('holds the replica operator and operation reader roles with the infrastructure’s action lists', () => {
    const actionsOf = (guid: string): string[][] =>
      (definitionOf(guid)?.permissions ?? []).map((permission) => permission.actions ?? []);
    const held = new Set(
      (demo.roleAssignments ?? [])
        .filter((a) => a.principalId === app?.objectId)
        .map((a) => roleGuid(a.role)),
    );
    const lists = [...held].flatMap(actionsOf);
    expect(lists).toContainEqual(actions.replicaOperator);
    expect(lists).toContainEqual(actions.operationReader);
  });

  it('grants the app identity exactly what main.bicep grants for this REGISTRY_SCOPE and these private endpoints', () => {
    const registryResourceGroups = (settings.REGISTRY_SCOPE ?? '').split(/[\s,;]+/).filter((e) => e !== '');
    const privateEndpointResourceGroups = [
      ...new Set(
        (demo.registries ?? [])
          .flatMap((registry) => registry.privateEndpoints ?? [])
          .map((endpoint) => endpoint.split('/providers/')[0] ?? ''),
      ),
    ];
    const guidOfList = (list: string[]): string =>
      definitions.find((d) => JSON.stringify(d.permissions?.[0]?.actions) === JSON.stringify(list))?.name ??
      '';
    const expected = leastPrivilegeSeed(actions, {
      subscriptionId,
      principalId: app?.objectId ?? '',
      registryResourceGroups,
      privateEndpointResourceGroups,
      roleGuids: {
        replicaOperator: guidOfList(actions.replicaOperator),
        operationReader: guidOfList(actions.operationReader),
        privateLink: privateLinkGuid ?? '',
      },
      roleNameSuffix: 'demo',
    });

    expect(registryResourceGroups.length).toBeGreaterThan(0);
    expect(grantsOf(demo.roleAssignments ?? [])).toEqual(grantsOf(expected.roleAssignments ?? []));
    for (const role of expected.roleDefinitions ?? []) {
      expect(definitionOf(role.name)).toMatchObject({
        roleName: role.roleName,
        permissions: role.permissions,
        assignableScopes: role.assignableScopes,
      });
    }
  });

  it('keeps the delegation condition’s text equal to the infrastructure template, placeholders filled', () => {
    const delegations = (demo.roleAssignments ?? []).filter(
      (a) => a.principalId === app?.objectId && roleGuid(a.role) === RBAC_ADMINISTRATOR_ROLE_ID,
    );
    expect(delegations.length).toBeGreaterThan(0);
    for (const delegation of delegations) {
      expect(delegation.condition).toBe(delegationCondition(privateLinkGuid ?? '', app?.objectId ?? ''));
      expect(delegation.conditionVersion).toBe('2.0');
    }
  });
});
