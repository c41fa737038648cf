// The app's roles, read from the infrastructure's syntax tree: no broad built-in role anywhere, custom
// roles that hold exactly the actions the app uses, and every assignment named guid(scope, principal,
// role), made to the app's service principal, with a built-in role only where a test names the reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Node } from 'web-tree-sitter';

import type { BicepFile } from './bicep';
import {
  REPO_ROOT,
  bodyOf,
  callsTo,
  declaration,
  declarations,
  declaredName,
  declaredType,
  descendants,
  fileNamed,
  filesUnder,
  INFRA_DIR,
  literalString,
  literalStrings,
  loadInfra,
  objectProperties,
  propertyAt,
  resolveString,
} from './bicep';

const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const USER_ACCESS_ADMINISTRATOR = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9';

/** The only built-in roles the app holds, each with why (docs/deploy.md explains them at length). */
const BUILT_IN_ROLES: Record<string, string> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b':
    'Storage Blob Data Owner: host and Durable leases, deployment package',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88':
    'Storage Queue Data Contributor: Durable control and work-item queues',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor: Durable tables, audit and watch',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher: Entra-only telemetry ingestion',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User: Key Vault references, per secret',
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168': 'RBAC Administrator under the private-link condition',
};

const REPLICA_OPERATOR_ACTIONS = [
  'Microsoft.ContainerRegistry/registries/read',
  'Microsoft.ContainerRegistry/registries/listUsages/read',
  'Microsoft.ContainerRegistry/registries/replications/read',
  'Microsoft.ContainerRegistry/registries/replications/write',
  'Microsoft.ContainerRegistry/registries/replications/delete',
  'Microsoft.ContainerRegistry/registries/replications/operationStatuses/read',
  'Microsoft.ContainerRegistry/locations/operationResults/read',
  'Microsoft.Resources/subscriptions/locations/read',
];

interface RoleAssignment {
  file: BicepFile;
  symbol: string;
  body: Node;
}

function roleAssignments(files: readonly BicepFile[]): RoleAssignment[] {
  return files.flatMap((file) =>
    declarations(file, 'resource_declaration')
      .filter((node) => declaredType(node).startsWith('Microsoft.Authorization/roleAssignments@'))
      .map((node) => ({ file, symbol: declaredName(node), body: bodyOf(node) })),
  );
}

/** The role GUID an assignment's roleDefinitionId names: a literal, a variable, or a loop over variables. */
function assignedRoles(assignment: RoleAssignment): string[] {
  const roleDefinitionId = valueOf(
    assignment.file,
    propertyAt(assignment.body, 'properties.roleDefinitionId')!,
  );
  const [, role] = callsTo(roleDefinitionId, 'subscriptionResourceId')[0] ?? [];
  if (role === undefined) return [];
  const resolved = resolveString(assignment.file, role);
  if (resolved !== undefined) return [resolved];
  if (role.type === 'identifier' && isParameter(assignment.file, role.text)) return [`param:${role.text}`];
  // A loop variable: the roles are the loop's array of variables.
  const loop = descendants(assignment.file.tree.rootNode, (node) => node.type === 'for_statement').find(
    (candidate) => candidate.namedChildren[0]?.text === role.text,
  );
  const list = loop?.namedChildren.find((child) => child?.type === 'array');
  return list === undefined || list === null
    ? []
    : list.namedChildren.map((element) => resolveString(assignment.file, element ?? undefined) ?? '?');
}

/** A top-level variable's value when the node names one, else the node. */
function valueOf(file: BicepFile, node: Node): Node {
  if (node.type !== 'identifier') return node;
  const variable = declarations(file, 'variable_declaration').find(
    (decl) => declaredName(decl) === node.text,
  );
  return variable?.namedChildren[1] ?? node;
}

function isParameter(file: BicepFile, name: string): boolean {
  return declarations(file, 'parameter_declaration').some((node) => declaredName(node) === name);
}

describe('least privilege', () => {
  let files: BicepFile[];
  beforeAll(async () => {
    files = await loadInfra();
  });

  it('names no Owner, Contributor or User Access Administrator role anywhere in the infrastructure', () => {
    const texts = [
      ...filesUnder(INFRA_DIR, '.bicep'),
      ...filesUnder(INFRA_DIR, '.json'),
      ...filesUnder(INFRA_DIR, '.txt'),
      'azure.yaml',
    ].map((path) => readFileSync(join(REPO_ROOT, path), 'utf8').toLowerCase());
    for (const forbidden of [OWNER, CONTRIBUTOR, USER_ACCESS_ADMINISTRATOR]) {
      expect(texts.filter((text) => text.includes(forbidden))).toEqual([]);
    }
    const roleNames = files.flatMap((file) =>
      descendants(file.tree.rootNode, (node) => node.type === 'string').map((node) => literalString(node)),
    );
    expect(
      roleNames.filter((name) => /^(owner|contributor|user access administrator)$/i.test(name ?? '')),
    ).toEqual([]);
  });

  it('makes every role assignment itself, none through a module parameter it cannot see', () => {
    const moduleRoleParams = files.flatMap((file) =>
      declarations(file, 'module_declaration')
        .filter((node) => objectProperties(bodyOf(node)).has('params'))
        .filter((node) => objectProperties(propertyAt(bodyOf(node), 'params')!).has('roleAssignments'))
        .map((node) => `${file.path}: ${declaredName(node)}`),
    );
    expect(moduleRoleParams).toEqual([]);
  });

  it('names every role assignment guid(scope, principal, role) and gives it to the app as a service principal', () => {
    const assignments = roleAssignments(files);
    expect(assignments.map((assignment) => `${assignment.file.path}: ${assignment.symbol}`)).toEqual([
      'infra/access/private-link-delegation.bicep: delegation',
      'infra/access/registry-role.bicep: assignment',
      'infra/access/resource-group-role.bicep: assignment',
      'infra/access/subscription-role.bicep: assignment',
      'infra/app/app-access.bicep: storageRoles',
      'infra/app/app-access.bicep: telemetryRole',
      'infra/app/secret.bicep: reader',
    ]);
    for (const assignment of assignments) {
      const where = `${assignment.file.path}: ${assignment.symbol}`;
      const name = propertyAt(assignment.body, 'name');
      const [args] = callsTo(name!, 'guid');
      expect({ where, guidArguments: args?.length }).toEqual({ where, guidArguments: 3 });
      expect({ where, principal: args?.[1]?.text }).toEqual({ where, principal: 'principalId' });
      expect({ where, principalId: propertyAt(assignment.body, 'properties.principalId')?.text }).toEqual({
        where,
        principalId: 'principalId',
      });
      expect({ where, type: literalString(propertyAt(assignment.body, 'properties.principalType')) }).toEqual(
        {
          where,
          type: 'ServicePrincipal',
        },
      );
    }
  });

  it('assigns built-in roles only from the documented list, and custom roles only through parameters', () => {
    const roles = new Set(roleAssignments(files).flatMap(assignedRoles));
    const builtIn = [...roles].filter((role) => !role.startsWith('param:')).sort();
    expect(builtIn).toEqual(Object.keys(BUILT_IN_ROLES).sort());
    expect([...roles].filter((role) => role.startsWith('param:'))).toEqual(['param:roleDefinitionGuid']);
  });

  it('scopes each data-plane role to the one resource that needs it', () => {
    const appFiles = roleAssignments(files).filter((assignment) =>
      assignment.file.path.startsWith('infra/app/'),
    );
    expect(
      appFiles.map((assignment) => [assignment.symbol, propertyAt(assignment.body, 'scope')?.text]),
    ).toEqual([
      ['storageRoles', 'storage'],
      ['telemetryRole', 'applicationInsights'],
      ['reader', 'secret'],
    ]);
  });

  it('gives the replica operator role exactly the replica actions', () => {
    const main = fileNamed(files, 'infra/main.bicep');
    const actions = literalStrings(
      declaration(main, 'variable_declaration', 'replicaOperatorActions').namedChildren[1]!,
    );
    expect(actions).toEqual(REPLICA_OPERATOR_ACTIONS);
  });

  it('gives the operation reader role only the subscription-scope reads of the replica operator role', () => {
    const main = fileNamed(files, 'infra/main.bicep');
    const actions = literalStrings(
      declaration(main, 'variable_declaration', 'operationReaderActions').namedChildren[1]!,
    );
    expect(actions).toEqual([
      'Microsoft.ContainerRegistry/locations/operationResults/read',
      'Microsoft.Resources/subscriptions/locations/read',
    ]);
  });

  it('gives the private-link role only privateLinkServiceProxies/write', () => {
    const main = fileNamed(files, 'infra/main.bicep');
    const actions = literalStrings(
      declaration(main, 'variable_declaration', 'privateLinkActions').namedChildren[1]!,
    );
    expect(actions).toEqual(['Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write']);
  });

  it('defines custom roles with actions only: no wildcard, data action or not-action', () => {
    const definitions = files.flatMap((file) =>
      declarations(file, 'resource_declaration')
        .filter((node) => declaredType(node).startsWith('Microsoft.Authorization/roleDefinitions@'))
        .map((node) => ({ file, body: bodyOf(node) })),
    );
    expect(definitions.map((definition) => definition.file.path)).toEqual(['infra/access/custom-role.bicep']);
    const [definition] = definitions;
    const [permission, ...others] = propertyAt(definition!.body, 'properties.permissions')!.namedChildren;
    expect(others).toEqual([]);
    const fields = objectProperties(permission!);
    expect(fields.get('actions')?.text).toBe('actions');
    for (const empty of ['notActions', 'dataActions', 'notDataActions'])
      expect(fields.get(empty)?.text).toBe('[]');
    expect(literalString(propertyAt(definition!.body, 'properties.type'))).toBe('CustomRole');

    // main.bicep creates three roles from the three action lists, and nothing else creates one.
    const main = fileNamed(files, 'infra/main.bicep');
    const roles = declarations(main, 'module_declaration').filter(
      (node) => declaredType(node) === 'access/custom-role.bicep',
    );
    expect(
      Object.fromEntries(
        roles.map((node) => [declaredName(node), propertyAt(bodyOf(node), 'params.actions')?.text]),
      ),
    ).toEqual({
      replicaOperatorRole: 'replicaOperatorActions',
      operationReaderRole: 'operationReaderActions',
      privateLinkRole: 'privateLinkActions',
    });
    const allActions = ['replicaOperatorActions', 'operationReaderActions', 'privateLinkActions'].flatMap(
      (name) => literalStrings(declaration(main, 'variable_declaration', name).namedChildren[1]!) ?? [],
    );
    expect(allActions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('assigns the RBAC Administrator role only with a version 2.0 condition', () => {
    const delegations = roleAssignments(files).filter((assignment) =>
      assignedRoles(assignment).includes('f58310d9-a9f6-439a-9e8d-f62e7b41a168'),
    );
    expect(delegations.map((assignment) => assignment.file.path)).toEqual([
      'infra/access/private-link-delegation.bicep',
    ]);
    const [delegation] = delegations;
    expect(propertyAt(delegation!.body, 'properties.condition')?.text).toBe('condition');
    expect(literalString(propertyAt(delegation!.body, 'properties.conditionVersion'))).toBe('2.0');
  });
});
