// The Microsoft.Authorization routes, called the way the HTTPS server will call them. Responses are
// validated against the official REST definitions of api-version 2022-04-01 (status, schema, and no
// undeclared properties).

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { handleAuthorization } from '../authorization';
import { CONTAINER_REGISTRY_CONTRIBUTOR_ROLE_ID, OWNER_ROLE_ID, READER_ROLE_ID } from '../builtInRoles';
import { RbacModel } from '../rbac';
import type { Principal, SandboxRequest, SandboxResponse } from '../types';
import { ArmError } from '../types';
import { armSpecRoot, validatePagedList, validateRequestBody, validateResponse } from './support/armSpec';

const BASE = 'https://127.0.0.1:8443';
const V = 'api-version=2022-04-01';
const TENANT = '00000000-0000-0000-0000-00000000a11c';
const SUB_ID = '00000000-0000-0000-0000-0000000000a1';
const SUB = `/subscriptions/${SUB_ID}`;
const NET = `${SUB}/resourceGroups/net`;
const RG1 = `${SUB}/resourceGroups/rg1`;
const PE = `${NET}/providers/Microsoft.Network/privateEndpoints/pe1`;
const PROXY_WRITE = 'Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write';

const APP = '11111111-1111-1111-1111-111111111111';
const ADMIN = '22222222-2222-2222-2222-222222222222';
const CONTRIBUTOR = '33333333-3333-3333-3333-333333333333';
const NOBODY = '44444444-4444-4444-4444-444444444444';

const ROLE = 'aaaaaaaa-0000-4000-8000-000000000001';
const ASSIGNMENT = 'bbbbbbbb-0000-4000-8000-000000000001';

// ---- request plumbing ----

function principal(objectId: string): Principal {
  return { objectId, appId: objectId, clientId: objectId, displayName: objectId, type: 'ServicePrincipal' };
}

/** A request as the server hands it over: `target` is a path (possibly with `//`) and query. */
function request(caller: string, method: string, target: string, body?: unknown): SandboxRequest {
  const [rawPath = '', rawQuery = ''] = target.split('?');
  return {
    method,
    path: decodeURIComponent(rawPath),
    query: new URLSearchParams(rawQuery),
    headers: {},
    body,
    principal: principal(caller),
    baseUrl: BASE,
  };
}

function call(
  rbac: RbacModel,
  caller: string,
  method: string,
  target: string,
  body?: unknown,
): SandboxResponse {
  const response = handleAuthorization(request(caller, method, target, body), rbac);
  if (response === undefined) throw new Error(`not an authorization route: ${target}`);
  return response;
}

function armError(fn: () => unknown): ArmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ArmError) return e;
    throw e;
  }
  throw new Error('expected an ArmError');
}

type Json = Record<string, unknown>;

function bodyOf(response: SandboxResponse): Json {
  return response.body as Json;
}

function valuesOf(response: SandboxResponse): Json[] {
  return bodyOf(response).value as Json[];
}

/** Every page of a list, following nextLink exactly as an SDK pager does. */
function allPages(rbac: RbacModel, caller: string, target: string): { pages: Json[]; values: Json[] } {
  let response = call(rbac, caller, 'GET', target);
  const pages = [bodyOf(response)];
  for (let next = bodyOf(response).nextLink; typeof next === 'string'; next = bodyOf(response).nextLink) {
    const url = new URL(next);
    expect(url.origin).toBe(BASE);
    response = call(rbac, caller, 'GET', `${url.pathname}${url.search}`);
    pages.push(bodyOf(response));
  }
  return { pages, values: pages.flatMap((page) => page.value as Json[]) };
}

/** The response conforms to the operation's documented status and schema (undeclared properties refused). */
function expectConforms(operationId: string, response: SandboxResponse): void {
  expect(validateResponse(operationId, response.status, response.body)).toEqual([]);
}

function model(): RbacModel {
  const rbac = new RbacModel(TENANT);
  rbac.seed(
    [],
    [
      { principalId: ADMIN, role: 'User Access Administrator', scope: SUB },
      { principalId: CONTRIBUTOR, role: 'Contributor', scope: SUB },
    ],
  );
  return rbac;
}

const customRoleBody = (assignableScopes: string[], roleName = 'Replica healer'): Json => ({
  properties: {
    roleName,
    description: 'Heals replicas',
    type: 'CustomRole',
    permissions: [
      { actions: ['Microsoft.ContainerRegistry/*'], notActions: [], dataActions: [], notDataActions: [] },
    ],
    assignableScopes,
  },
});

const assignmentBody = (roleId: string, principalId = APP): Json => ({
  properties: { roleDefinitionId: roleId, principalId, principalType: 'ServicePrincipal' },
});

// ---- tests ----

describe('handleAuthorization routing', () => {
  it('leaves paths of other providers alone', () => {
    const rbac = model();
    expect(
      handleAuthorization(
        request(ADMIN, 'GET', `${SUB}/providers/Microsoft.ContainerRegistry/registries?${V}`),
        rbac,
      ),
    ).toBeUndefined();
    expect(
      handleAuthorization(request(ADMIN, 'GET', `${SUB}/providers/Microsoft.Authorization/locks?${V}`), rbac),
    ).toBeUndefined();
  });

  it('requires an api-version and refuses ones it does not speak', () => {
    const rbac = model();
    const missing = armError(() =>
      call(rbac, ADMIN, 'GET', `${SUB}/providers/Microsoft.Authorization/roleAssignments`),
    );
    expect([missing.status, missing.code]).toEqual([400, 'MissingApiVersionParameter']);
    const old = armError(() =>
      call(
        rbac,
        ADMIN,
        'GET',
        `${SUB}/providers/Microsoft.Authorization/roleAssignments?api-version=2015-07-01`,
      ),
    );
    expect(old.code).toBe('InvalidApiVersionParameter');
  });

  it('matches the provider path without regard to case', () => {
    const rbac = model();
    const response = call(
      rbac,
      ADMIN,
      'GET',
      `${SUB}/PROVIDERS/microsoft.authorization/ROLEDEFINITIONS/${READER_ROLE_ID}?${V}`,
    );
    expect(bodyOf(response).name).toBe(READER_ROLE_ID);
  });

  it('refuses methods a route does not have', () => {
    const error = armError(() =>
      call(
        model(),
        ADMIN,
        'PATCH',
        `${SUB}/providers/Microsoft.Authorization/roleAssignments/${ASSIGNMENT}?${V}`,
      ),
    );
    expect(error.status).toBe(405);
  });
});

describe('role definitions over the API', () => {
  it('reads a built-in role at a subscription with the subscription-level id, and at the tenant with the tenant-level id', () => {
    const rbac = model();
    const atSub = call(
      rbac,
      ADMIN,
      'GET',
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER_ROLE_ID}?${V}`,
    );
    expect(atSub.status).toBe(200);
    expect(bodyOf(atSub)).toMatchObject({
      id: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER_ROLE_ID}`,
      type: 'Microsoft.Authorization/roleDefinitions',
      name: OWNER_ROLE_ID,
      properties: { roleName: 'Owner', type: 'BuiltInRole', assignableScopes: ['/'] },
    });
    expectConforms('RoleDefinitions_Get', atSub);

    // roleDefinitions.getById with a leading slash puts "//" on the wire; anyone signed in may read there.
    const atTenant = call(
      rbac,
      NOBODY,
      'GET',
      `//providers/Microsoft.Authorization/roleDefinitions/${OWNER_ROLE_ID}?${V}`,
    );
    expect(bodyOf(atTenant).id).toBe(`/providers/Microsoft.Authorization/roleDefinitions/${OWNER_ROLE_ID}`);
    expectConforms('RoleDefinitions_GetById', atTenant);
  });

  it('reads a role at a resource group with the id of its subscription', () => {
    const response = call(
      model(),
      ADMIN,
      'GET',
      `${RG1}/providers/Microsoft.Authorization/roleDefinitions/${READER_ROLE_ID}?${V}`,
    );
    expect(bodyOf(response).id).toBe(
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER_ROLE_ID}`,
    );
  });

  it('answers 404 RoleDefinitionDoesNotExist for an unknown role', () => {
    const error = armError(() =>
      call(model(), ADMIN, 'GET', `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`),
    );
    expect([error.status, error.code]).toEqual([404, 'RoleDefinitionDoesNotExist']);
  });

  it('refuses to read definitions in a subscription to a principal without access to it', () => {
    const error = armError(() =>
      call(model(), NOBODY, 'GET', `${SUB}/providers/Microsoft.Authorization/roleDefinitions?${V}`),
    );
    expect([error.status, error.code]).toEqual([403, 'AuthorizationFailed']);
  });

  it('creates a custom role with 201, recording the caller, and answers 201 again for an update', () => {
    const rbac = model();
    const target = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`;
    expect(validateRequestBody('RoleDefinitions_CreateOrUpdate', customRoleBody([SUB]))).toEqual([]);
    const created = call(rbac, ADMIN, 'PUT', target, customRoleBody([SUB]));
    expect(created.status).toBe(201);
    expect(bodyOf(created)).toMatchObject({
      id: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}`,
      name: ROLE,
      type: 'Microsoft.Authorization/roleDefinitions',
      properties: {
        roleName: 'Replica healer',
        type: 'CustomRole',
        description: 'Heals replicas',
        assignableScopes: [SUB],
        createdBy: ADMIN,
        updatedBy: ADMIN,
      },
    });
    expectConforms('RoleDefinitions_CreateOrUpdate', created);

    const updated = call(rbac, ADMIN, 'PUT', target, customRoleBody([SUB, `${SUB}/resourceGroups/other`]));
    expect(updated.status).toBe(201);
    expect((bodyOf(updated).properties as Json).assignableScopes).toEqual([
      SUB,
      `${SUB}/resourceGroups/other`,
    ]);
    expect(call(rbac, ADMIN, 'GET', target).body).toEqual(updated.body);
  });

  it('refuses to create a role for a caller without roleDefinitions/write, Contributor included', () => {
    const rbac = model();
    for (const caller of [CONTRIBUTOR, NOBODY]) {
      const error = armError(() =>
        call(
          rbac,
          caller,
          'PUT',
          `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`,
          customRoleBody([SUB]),
        ),
      );
      expect(error.status).toBe(403);
      expect(error.code).toBe('AuthorizationFailed');
      expect(error.message).toBe(
        `The client '${caller}' with object id '${caller}' does not have authorization to perform action 'Microsoft.Authorization/roleDefinitions/write' over scope '${SUB}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    }
  });

  it('requires the write right over every assignable scope, not only where the role is written', () => {
    const rbac = model();
    const otherSub = '/subscriptions/00000000-0000-0000-0000-0000000000b2';
    const error = armError(() =>
      call(
        rbac,
        ADMIN,
        'PUT',
        `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`,
        customRoleBody([SUB, otherSub]),
      ),
    );
    expect(error.status).toBe(403);
    expect(error.message).toContain(`over scope '${otherSub}'`);
  });

  it('answers 409 RoleDefinitionWithSameNameExists for a second role of the same name', () => {
    const rbac = model();
    call(
      rbac,
      ADMIN,
      'PUT',
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`,
      customRoleBody([SUB]),
    );
    const error = armError(() =>
      call(
        rbac,
        ADMIN,
        'PUT',
        `${RG1}/providers/Microsoft.Authorization/roleDefinitions/aaaaaaaa-0000-4000-8000-000000000002?${V}`,
        customRoleBody([RG1]),
      ),
    );
    expect([error.status, error.code]).toEqual([409, 'RoleDefinitionWithSameNameExists']);
  });

  it('answers 400 for a body without properties or permissions', () => {
    const rbac = model();
    const target = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`;
    expect(armError(() => call(rbac, ADMIN, 'PUT', target, { roleName: 'flat' })).status).toBe(400);
    expect(
      armError(() =>
        call(rbac, ADMIN, 'PUT', target, { properties: { roleName: 'x', assignableScopes: [SUB] } }),
      ).status,
    ).toBe(400);
  });

  it("lists by roleName, including names that contain the word 'and'", () => {
    const rbac = model();
    const name = 'Container Registry Contributor and Data Access Configuration Administrator';
    const filter = encodeURIComponent(`roleName eq '${name}'`);
    const response = call(
      rbac,
      ADMIN,
      'GET',
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions?${V}&$filter=${filter}`,
    );
    expect(valuesOf(response).map((r) => r.name)).toEqual([CONTAINER_REGISTRY_CONTRIBUTOR_ROLE_ID]);
    expect(valuesOf(response)[0]?.id).toBe(
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CONTAINER_REGISTRY_CONTRIBUTOR_ROLE_ID}`,
    );
    expect(bodyOf(response).nextLink).toBeUndefined();
    expectConforms('RoleDefinitions_List', response);
  });

  it('lists only custom roles with type eq CustomRole, and nothing for an unknown name', () => {
    const rbac = model();
    call(
      rbac,
      ADMIN,
      'PUT',
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`,
      customRoleBody([SUB]),
    );
    const custom = call(
      rbac,
      ADMIN,
      'GET',
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions?${V}&$filter=type+eq+'CustomRole'`,
    );
    expect(valuesOf(custom).map((r) => r.name)).toEqual([ROLE]);
    const none = call(
      rbac,
      ADMIN,
      'GET',
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions?${V}&$filter=roleName+eq+'Wizard'`,
    );
    expect(valuesOf(none)).toEqual([]);
  });

  it('answers 400 for a filter it does not understand', () => {
    const error = armError(() =>
      call(
        model(),
        ADMIN,
        'GET',
        `${SUB}/providers/Microsoft.Authorization/roleDefinitions?${V}&$filter=startswith(roleName,'A')`,
      ),
    );
    expect(error.status).toBe(400);
  });

  it('pages the list with nextLinks that carry the api-version and the filter', () => {
    const rbac = model();
    rbac.pageSize = 2;
    const first = call(
      rbac,
      ADMIN,
      'GET',
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions?${V}&$filter=type+eq+'BuiltInRole'`,
    );
    const nextLink = new URL(bodyOf(first).nextLink as string);
    expect(nextLink.searchParams.get('api-version')).toBe('2022-04-01');
    expect(nextLink.searchParams.get('$filter')).toBe("type eq 'BuiltInRole'");
    const { pages, values } = allPages(
      rbac,
      ADMIN,
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions?${V}&$filter=type+eq+'BuiltInRole'`,
    );
    expect(values).toHaveLength(7);
    expect(pages).toHaveLength(4);
    expect(validatePagedList('RoleDefinitions_List', pages)).toEqual([]);
    expect(new Set(values.map((v) => v.name)).size).toBe(7);
  });

  it('deletes a custom role with 200 and its body, then answers 204', () => {
    const rbac = model();
    const target = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`;
    call(rbac, ADMIN, 'PUT', target, customRoleBody([SUB]));
    const deleted = call(rbac, ADMIN, 'DELETE', target);
    expect(deleted.status).toBe(200);
    expect(bodyOf(deleted).name).toBe(ROLE);
    expectConforms('RoleDefinitions_Delete', deleted);
    const again = call(rbac, ADMIN, 'DELETE', target);
    expect(again).toEqual({ status: 204 });
    expectConforms('RoleDefinitions_Delete', again);
  });
});

describe('role assignments over the API', () => {
  const readerId = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER_ROLE_ID}`;
  const at = (scope: string, name = ASSIGNMENT): string =>
    `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}?${V}`;

  it('creates with 201 and the assignment, recording who created it and when', () => {
    const rbac = model();
    const response = call(rbac, ADMIN, 'PUT', at(RG1), assignmentBody(readerId));
    expect(response.status).toBe(201);
    const body = bodyOf(response);
    expect(body).toMatchObject({
      id: `${RG1}/providers/Microsoft.Authorization/roleAssignments/${ASSIGNMENT}`,
      type: 'Microsoft.Authorization/roleAssignments',
      name: ASSIGNMENT,
      properties: {
        roleDefinitionId: readerId,
        principalId: APP,
        principalType: 'ServicePrincipal',
        scope: RG1,
        createdBy: ADMIN,
        updatedBy: ADMIN,
      },
    });
    const properties = body.properties as Json;
    expect(Date.parse(properties.createdOn as string)).not.toBeNaN();
    expect(properties.updatedOn).toBe(properties.createdOn);
    expectConforms('RoleAssignments_Create', response);
  });

  it('accepts the tenant-level role id and answers with the subscription-level one', () => {
    const response = call(
      model(),
      ADMIN,
      'PUT',
      at(SUB),
      assignmentBody(`/providers/Microsoft.Authorization/roleDefinitions/${READER_ROLE_ID}`),
    );
    expect((bodyOf(response).properties as Json).roleDefinitionId).toBe(readerId);
  });

  it('answers 409 RoleAssignmentExists, naming the existing assignment, for a duplicate under another name', () => {
    const rbac = model();
    call(rbac, ADMIN, 'PUT', at(RG1), assignmentBody(readerId));
    const error = armError(() =>
      call(rbac, ADMIN, 'PUT', at(RG1, 'bbbbbbbb-0000-4000-8000-000000000002'), assignmentBody(readerId)),
    );
    expect([error.status, error.code, error.message]).toEqual([
      409,
      'RoleAssignmentExists',
      `The role assignment already exists. The ID of the existing role assignment is ${ASSIGNMENT.replace(/-/g, '')}.`,
    ]);
  });

  it('answers 201 again, with the assignment, when the same one is sent again under its name', () => {
    const rbac = model();
    const first = call(rbac, ADMIN, 'PUT', at(RG1), assignmentBody(readerId));
    const again = call(rbac, ADMIN, 'PUT', at(RG1), assignmentBody(readerId));
    expect(again).toEqual(first);
    expect(again.status).toBe(201);
    expectConforms('RoleAssignments_Create', again);
  });

  it('answers 201 with the updated assignment when only its description changes under the same name', () => {
    const rbac = model();
    call(rbac, ADMIN, 'PUT', at(RG1), assignmentBody(readerId));
    const body = { properties: { ...(assignmentBody(readerId).properties as Json), description: 'why' } };
    const updated = call(rbac, ADMIN, 'PUT', at(RG1), body);
    expect(updated.status).toBe(201);
    expect((bodyOf(updated).properties as Json).description).toBe('why');
    expectConforms('RoleAssignments_Create', updated);
  });

  it('refuses a caller without roleAssignments/write, Contributor included', () => {
    const rbac = model();
    for (const caller of [CONTRIBUTOR, APP]) {
      const error = armError(() => call(rbac, caller, 'PUT', at(RG1), assignmentBody(readerId)));
      expect([error.status, error.code]).toEqual([403, 'AuthorizationFailed']);
      // ARM names the assignment's own id as the scope it refused.
      expect(error.message).toContain(
        `'Microsoft.Authorization/roleAssignments/write' over scope '${RG1}/providers/Microsoft.Authorization/roleAssignments/${ASSIGNMENT}'`,
      );
    }
  });

  it('refuses a custom role whose assignable scopes do not cover the assignment scope', () => {
    const rbac = model();
    call(
      rbac,
      ADMIN,
      'PUT',
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`,
      customRoleBody([NET]),
    );
    const error = armError(() =>
      call(
        rbac,
        ADMIN,
        'PUT',
        at(RG1),
        assignmentBody(`${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}`),
      ),
    );
    expect([error.status, error.code]).toEqual([400, 'ScopeDoesNotMatchRoleDefinition']);
  });

  it('answers 400 for a missing principalId, an unknown principalType, or a body scope other than the URI scope', () => {
    const rbac = model();
    const bodies = [
      { properties: { roleDefinitionId: readerId } },
      { properties: { roleDefinitionId: readerId, principalId: APP, principalType: 'Robot' } },
      { properties: { roleDefinitionId: readerId, principalId: APP, scope: SUB } },
    ];
    for (const body of bodies)
      expect(armError(() => call(rbac, ADMIN, 'PUT', at(RG1), body)).status).toBe(400);
  });

  it('reads an assignment by scope and name, and by its id with a leading double slash', () => {
    const rbac = model();
    call(rbac, ADMIN, 'PUT', at(RG1), assignmentBody(readerId));
    const byName = call(rbac, ADMIN, 'GET', at(RG1));
    expect(byName.status).toBe(200);
    expectConforms('RoleAssignments_Get', byName);
    expect(call(rbac, ADMIN, 'GET', `/${at(RG1)}`).body).toEqual(byName.body);
    const error = armError(() => call(rbac, ADMIN, 'GET', at(SUB)));
    expect([error.status, error.code]).toEqual([404, 'RoleAssignmentNotFound']);
  });

  it('deletes with 200 and the assignment, then answers 204', () => {
    const rbac = model();
    call(rbac, ADMIN, 'PUT', at(RG1), assignmentBody(readerId));
    const deleted = call(rbac, ADMIN, 'DELETE', at(RG1));
    expect(deleted.status).toBe(200);
    expectConforms('RoleAssignments_Delete', deleted);
    const again = call(rbac, ADMIN, 'DELETE', at(RG1));
    expect(again).toEqual({ status: 204 });
    expectConforms('RoleAssignments_Delete', again);
  });

  it('lists for a scope with principalId and atScope() filters, for subscriptions and resource groups', () => {
    const rbac = model();
    call(rbac, ADMIN, 'PUT', at(RG1), assignmentBody(readerId));
    const list = (scope: string, filter?: string): Json[] =>
      valuesOf(
        call(
          rbac,
          ADMIN,
          'GET',
          `${scope}/providers/Microsoft.Authorization/roleAssignments?${V}${filter === undefined ? '' : `&$filter=${encodeURIComponent(filter)}`}`,
        ),
      );
    expect(list(SUB, `principalId eq '${APP}'`).map((a) => a.name)).toEqual([ASSIGNMENT]);
    expect(list(SUB, 'atScope()').map((a) => (a.properties as Json).principalId)).toEqual([
      ADMIN,
      CONTRIBUTOR,
    ]);
    expect(list(RG1, 'atScope()')).toHaveLength(3);
    expect(list(`${SUB}/resourceGroups/rg10`)).toHaveLength(2);
    expect(list(RG1, `atScope() and principalId eq '${APP}'`)).toHaveLength(1);
    const response = call(
      rbac,
      ADMIN,
      'GET',
      `${SUB}/providers/Microsoft.Authorization/roleAssignments?${V}`,
    );
    expectConforms('RoleAssignments_ListForScope', response);
  });

  it('pages assignments through nextLink with $skipToken', () => {
    const rbac = model();
    rbac.pageSize = 2;
    for (let i = 1; i <= 5; i += 1) {
      const principalId = `55555555-0000-4000-8000-00000000000${i}`;
      call(
        rbac,
        ADMIN,
        'PUT',
        at(RG1, `bbbbbbbb-0000-4000-8000-00000000001${i}`),
        assignmentBody(readerId, principalId),
      );
    }
    const { pages, values } = allPages(
      rbac,
      ADMIN,
      `${RG1}/providers/Microsoft.Authorization/roleAssignments?${V}`,
    );
    expect(values).toHaveLength(7);
    expect(pages).toHaveLength(4);
    expect(validatePagedList('RoleAssignments_ListForScope', pages)).toEqual([]);
  });

  it('refuses to list for a caller without roleAssignments/read', () => {
    const error = armError(() =>
      call(model(), NOBODY, 'GET', `${SUB}/providers/Microsoft.Authorization/roleAssignments?${V}`),
    );
    expect(error.status).toBe(403);
  });
});

describe('effective permissions over the API', () => {
  it('answers the caller its permissions at a resource group in the shape of the published example', () => {
    const rbac = model();
    const response = call(
      rbac,
      CONTRIBUTOR,
      'GET',
      `${SUB}/resourcegroups/rg1/providers/Microsoft.Authorization/permissions?${V}`,
    );
    expect(response.status).toBe(200);
    expectConforms('Permissions_ListForResourceGroup', response);
    const example = JSON.parse(
      readFileSync(
        path.join(
          armSpecRoot(),
          'specification/authorization/resource-manager/Microsoft.Authorization/stable/2015-07-01/examples/GetPermissions.json',
        ),
        'utf8',
      ),
    ) as { responses: { 200: { body: { value: Json[] } } } };
    const [entry] = valuesOf(response);
    for (const key of Object.keys(example.responses[200].body.value[0] ?? {}))
      expect(entry).toHaveProperty(key);
    expect(valuesOf(response)).toEqual([
      expect.objectContaining({
        actions: ['*'],
        notActions: expect.arrayContaining(['Microsoft.Authorization/*/Write']) as unknown,
      }),
    ]);
  });

  it('answers an empty list to a caller without any role there', () => {
    const response = call(
      model(),
      NOBODY,
      'GET',
      `${RG1}/providers/Microsoft.Authorization/permissions?${V}`,
    );
    expect(response.body).toEqual({ value: [] });
  });

  it('serves listForResource with an empty parent path (the SDK then sends "//")', () => {
    const response = call(
      model(),
      CONTRIBUTOR,
      'GET',
      `${NET}/providers/Microsoft.Network//privateEndpoints/pe1/providers/Microsoft.Authorization/permissions?${V}`,
    );
    expect(valuesOf(response)).toHaveLength(1);
    expectConforms('Permissions_ListForResource', response);
  });
});

describe('the private-link permission the product grants itself, over the API', () => {
  it('moves the identity from denied to allowed once a least-privilege custom role is created and assigned', () => {
    const rbac = model();
    rbac.seed(
      [
        {
          name: 'aaaaaaaa-0000-4000-8000-0000000000ff',
          roleName: 'Registry operator',
          permissions: [{ actions: ['Microsoft.ContainerRegistry/*'] }],
          assignableScopes: [SUB],
        },
      ],
      [{ principalId: APP, role: 'Registry operator', scope: SUB }],
    );
    const permissionsAtPe = (): Json[] =>
      valuesOf(
        call(
          rbac,
          APP,
          'GET',
          `${NET}/providers/Microsoft.Network/privateEndpoints/pe1/providers/Microsoft.Authorization/permissions?${V}`,
        ),
      );

    expect(rbac.isAllowed(APP, PE, PROXY_WRITE)).toBe(false);
    expect(permissionsAtPe().flatMap((p) => p.actions as string[])).toEqual([
      'Microsoft.ContainerRegistry/*',
    ]);

    const roleBody = {
      properties: {
        roleName: 'ACR replica private link',
        description: 'Lets replica creation attach to private endpoints.',
        type: 'CustomRole',
        permissions: [{ actions: [PROXY_WRITE], notActions: [], dataActions: [], notDataActions: [] }],
        assignableScopes: [NET],
      },
    };
    const role = call(
      rbac,
      ADMIN,
      'PUT',
      `${NET}/providers/Microsoft.Authorization/roleDefinitions/${ROLE}?${V}`,
      roleBody,
    );
    expect(role.status).toBe(201);
    const assignment = call(
      rbac,
      ADMIN,
      'PUT',
      `${NET}/providers/Microsoft.Authorization/roleAssignments/${ASSIGNMENT}?${V}`,
      {
        properties: {
          roleDefinitionId: bodyOf(role).id,
          principalId: APP,
          principalType: 'ServicePrincipal',
        },
      },
    );
    expect(assignment.status).toBe(201);
    expect(bodyOf(assignment).properties).toMatchObject({
      principalType: 'ServicePrincipal',
      createdBy: ADMIN,
      scope: NET,
    });

    expect(rbac.isAllowed(APP, PE, PROXY_WRITE)).toBe(true);
    expect(permissionsAtPe()).toContainEqual({
      actions: [PROXY_WRITE],
      notActions: [],
      dataActions: [],
      notDataActions: [],
    });
    const found = call(
      rbac,
      ADMIN,
      'GET',
      `${SUB}/providers/Microsoft.Authorization/roleDefinitions?${V}&$filter=roleName+eq+'ACR replica private link'`,
    );
    // Assignable at the resource group only: listing at the subscription does not show it.
    expect(valuesOf(found)).toEqual([]);
    const foundAtRg = call(
      rbac,
      ADMIN,
      'GET',
      `${NET}/providers/Microsoft.Authorization/roleDefinitions?${V}&$filter=roleName+eq+'ACR replica private link'`,
    );
    expect(valuesOf(foundAtRg).map((r) => r.name)).toEqual([ROLE]);
  });
});
