import fs from 'node:fs';
import path from 'node:path';
import {
  armSpecRoot,
  findOperation,
  officialExampleReferences,
  officialExamples,
  validatePagedList,
  validateRequestBody,
  validateResponse,
} from './armSpec';
import type { OfficialExample } from './armSpec';

const examples = officialExamples();

type JsonObject = Record<string, unknown>;

/** A deep copy of an official example's response body, to break on purpose. */
function exampleBody(title: string, status = '200'): JsonObject {
  const example = examples.find((e) => e.title === title);
  if (example === undefined) throw new Error(`no official example titled ${title}`);
  return structuredClone(example.responses[status]!.body) as JsonObject;
}

/** The object at a dotted path in a body (array items by index), to edit in place. */
function objectAt(root: JsonObject, dottedPath: string): JsonObject {
  return dottedPath.split('.').reduce<JsonObject>((node, key) => node[key] as JsonObject, root);
}

/**
 * Genuine defects of upstream examples, found by the checks below; each entry is asserted to still be
 * there, so the list cannot go stale.
 * PutRoleDefinition.json gives the declared body parameter `roleDefinition` as `{}` and puts the real body
 * under an undeclared `body` parameter, in the SDK's flattened shape (roleName etc. beside id and name).
 */
const UNDECLARED_EXAMPLE_PARAMETERS: Record<string, string[]> = {
  'Create role definition': ['body'],
};

function undeclaredParameters(example: OfficialExample): string[] {
  const declared = new Set(findOperation(example.operationId)!.parameters.map((p) => p.name));
  return Object.keys(example.parameters).filter((name) => !declared.has(name));
}

const exampleResponses = examples.flatMap((example) =>
  Object.entries(example.responses).map(([status, response]) => ({ example, status, body: response.body })),
);

describe('official examples', () => {
  test('the fixtures provide an example for every operation the sandbox replays', () => {
    expect([...new Set(examples.map((e) => e.operationId))].sort()).toEqual([
      'Permissions_ListForResource',
      'Permissions_ListForResourceGroup',
      'PrivateEndpointConnections_Get',
      'PrivateEndpointConnections_List',
      'Registries_Create',
      'Registries_Get',
      'Registries_List',
      'Replications_Create',
      'Replications_Delete',
      'Replications_Get',
      'Replications_List',
      'Replications_Update',
      'RoleAssignments_Create',
      'RoleAssignments_ListForScope',
      'RoleDefinitions_CreateOrUpdate',
      'RoleDefinitions_GetById',
      'Subscriptions_ListLocations',
    ]);
  });

  test('every x-ms-examples file present in the fixtures is offered for replay', () => {
    const present = officialExampleReferences().filter((r) => r.present);
    const offered = examples.filter((e) => e.source === 'x-ms-examples');
    expect(offered.map((e) => `${e.operationId}:${e.file}`).sort()).toEqual(
      present.map((r) => `${r.operationId}:${r.file}`).sort(),
    );
  });

  test.each(exampleResponses.map((r) => [r.example.title, r.status, r.example.operationId, r.body] as const))(
    'the %s example response %s conforms to %s',
    (_title, status, operationId, body) => {
      expect(validateResponse(operationId, Number(status), body)).toEqual([]);
    },
  );

  test.each(
    examples
      .filter((e) => e.requestBody !== undefined)
      .map((e) => [e.title, e.operationId, e.requestBody] as const),
  )('the %s example request body conforms to %s', (_title, operationId, body) => {
    expect(validateRequestBody(operationId, body)).toEqual([]);
  });

  test.each(examples.filter((e) => e.source !== 'example-only').map((e) => [e.title, e] as const))(
    'the %s example uses only parameters its operation declares (bar known upstream defects)',
    (title, example) => {
      expect(undeclaredParameters(example)).toEqual(UNDECLARED_EXAMPLE_PARAMETERS[title] ?? []);
    },
  );

  test('a replication create example carries what a replay needs', () => {
    const example = examples.find((e) => e.title === 'ReplicationCreate')!;
    expect(example).toMatchObject({
      operationId: 'Replications_Create',
      source: 'x-ms-examples',
      method: 'PUT',
      pathTemplate:
        '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}/replications/{replicationName}',
      url: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/myResourceGroup/providers/Microsoft.ContainerRegistry/registries/myRegistry/replications/myReplication?api-version=2025-11-01',
      requestBody: { location: 'eastus', tags: { key: 'value' } },
    });
    expect(Object.keys(example.responses).sort()).toEqual(['200', '201']);
    expect(example.responses['201']!.headers!['Azure-AsyncOperation']).toMatch(/operationStatuses/);
  });

  test('a scope parameter is put into the URL unencoded, as x-ms-skip-url-encoding says', () => {
    const example = examples.find((e) => e.title === 'List role assignments for scope')!;
    expect(example.url).toBe(
      '/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01',
    );
  });

  test('permissions examples come from 2015-07-01 but replay with the 2022-04-01 api-version', () => {
    const example = examples.find((e) => e.operationId === 'Permissions_ListForResourceGroup')!;
    expect(example.source).toBe('earlier-api-version');
    expect(example.file).toContain('/2015-07-01/examples/GetPermissions.json');
    expect(example.url).toBe(
      '/subscriptions/subID/resourcegroups/rgname/providers/Microsoft.Authorization/permissions?api-version=2022-04-01',
    );
  });
});

describe('findOperation', () => {
  test.each([
    'Registries_Get',
    'Registries_List',
    'Registries_ListByResourceGroup',
    'Registries_Create',
    'Replications_Get',
    'Replications_List',
    'Replications_Create',
    'Replications_Update',
    'Replications_Delete',
    'PrivateEndpointConnections_List',
    'PrivateEndpointConnections_Get',
    'RoleDefinitions_Get',
    'RoleDefinitions_CreateOrUpdate',
    'RoleDefinitions_List',
    'RoleDefinitions_Delete',
    'RoleAssignments_Create',
    'RoleAssignments_Get',
    'RoleAssignments_ListForScope',
    'RoleAssignments_Delete',
    'Permissions_ListForResourceGroup',
    'Permissions_ListForResource',
    'Subscriptions_ListLocations',
  ])('knows %s', (operationId) => {
    expect(findOperation(operationId)?.operationId).toBe(operationId);
  });

  test('describes replication create as a long-running PUT with a body and three responses', () => {
    const operation = findOperation('containerregistry', 'Replications_Create')!;
    expect(operation).toMatchObject({ method: 'PUT', apiVersion: '2025-11-01', longRunning: true });
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '201', 'default']);
    expect(operation.parameters.find((p) => p.in === 'body')?.name).toBe('replication');
    expect(operation.parameters.map((p) => p.name)).toContain('api-version');
  });

  test('finds the permissions operations in the 2022-04-01 role definitions file', () => {
    const operation = findOperation(
      'authorization-RoleDefinitionsCalls.json',
      'Permissions_ListForResourceGroup',
    )!;
    expect(operation.file).toMatch(/2022-04-01\/authorization-RoleDefinitionsCalls\.json$/);
    expect(operation.pathTemplate).toBe(
      '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/providers/Microsoft.Authorization/permissions',
    );
    expect(operation.pageable).toEqual({ nextLinkName: 'nextLink', itemName: 'value' });
  });

  test('a spec scope that does not hold the operation finds nothing', () => {
    expect(findOperation('roleAssignments', 'RoleAssignments_Create')).toBeDefined();
    expect(findOperation('containerregistry', 'RoleAssignments_Create')).toBeUndefined();
  });

  test('an unknown operation id finds nothing', () => {
    expect(findOperation('Replications_Frobnicate')).toBeUndefined();
  });
});

describe('validateResponse catches what a stand-in could get wrong', () => {
  test('a property of the wrong type', () => {
    const body = exampleBody('ReplicationGet');
    objectAt(body, 'properties').regionEndpointEnabled = 'yes';
    expect(validateResponse('Replications_Get', 200, body)).toEqual([
      '$.properties.regionEndpointEnabled must be boolean (got "yes")',
    ]);
  });

  test('a missing required property inherited from a common type', () => {
    const body = exampleBody('ReplicationGet');
    delete body.location;
    expect(validateResponse('Replications_Get', 200, body)).toEqual(['missing required property $.location']);
  });

  test('an invented property, however deep, and in list items', () => {
    const body = exampleBody('ReplicationList');
    objectAt(body, 'value.0.properties.status').healthScore = 7;
    objectAt(body, 'value.0').etag = 'W/"1"';
    expect(validateResponse('Replications_List', 200, body)).toEqual([
      'unexpected property $.value[0].properties.status.healthScore',
      'unexpected property $.value[0].etag',
    ]);
  });

  test('any tag name, because tags are a free-form map', () => {
    const body = exampleBody('ReplicationGet');
    body.tags = { 'owner@team': 'platform', environment: 'prod' };
    expect(validateResponse('Replications_Get', 200, body)).toEqual([]);
  });

  test('a value outside an enum', () => {
    const body = exampleBody('ReplicationGet');
    objectAt(body, 'properties').zoneRedundancy = 'Maybe';
    expect(validateResponse('Replications_Get', 200, body)).toEqual([
      '$.properties.zoneRedundancy must be one of "Enabled", "Disabled" (got "Maybe")',
    ]);
  });

  test('a provisioning state the spec does not know', () => {
    const body = exampleBody('ReplicationGet');
    objectAt(body, 'properties').provisioningState = 'Stuck';
    expect(validateResponse('Replications_Get', 200, body)).toEqual([
      '$.properties.provisioningState must be one of "Creating", "Updating", "Deleting", "Succeeded", "Failed", "Canceled" (got "Stuck")',
    ]);
  });

  test('a timestamp that is not a date-time', () => {
    const body = exampleBody('ReplicationGet');
    objectAt(body, 'properties.status').timestamp = 'yesterday';
    expect(validateResponse('Replications_Get', 200, body)).toEqual([
      '$.properties.status.timestamp must match format date-time (got "yesterday")',
    ]);
  });

  test('null for a required property, while an optional one may be null as Azure returns it', () => {
    const body = exampleBody('RegistryGet');
    expect(objectAt(body, 'properties').status).toBeNull();
    body.location = null;
    expect(validateResponse('Registries_Get', 200, body)).toEqual(['$.location must be string (got null)']);
  });

  test('an unknown operation id', () => {
    expect(validateResponse('Replications_Frobnicate', 200, {})).toEqual([
      'unknown operation Replications_Frobnicate',
    ]);
  });

  test('a success status the operation does not document', () => {
    expect(validateResponse('Replications_Get', 201, exampleBody('ReplicationGet'))).toEqual([
      'status 201 is not documented for Replications_Get (documented: 200, default)',
    ]);
  });

  test('a body on a status the spec gives none, while an empty one passes', () => {
    expect(validateResponse('Replications_Delete', 202, { status: 'Deleting' })).toEqual([
      'status 202 of Replications_Delete has no body in the spec, got {"status":"Deleting"}',
    ]);
    expect(validateResponse('Replications_Delete', 202, undefined)).toEqual([]);
    expect(validateResponse('Replications_Delete', 204, '')).toEqual([]);
  });

  test('no body where the spec gives one', () => {
    expect(validateResponse('Replications_Get', 200, undefined)).toEqual([
      'status 200 of Replications_Get must have a body',
    ]);
  });

  test('an error response checked against the default (ARM error) schema', () => {
    const error = { error: { code: 'ResourceNotFound', message: 'The replication was not found.' } };
    expect(validateResponse('Replications_Get', 404, error)).toEqual([]);
    // The authorization spec uses common-types v2, whose error detail requires a message.
    expect(
      validateResponse('RoleAssignments_Create', 409, { error: { code: 'RoleAssignmentExists' } }),
    ).toEqual(['missing required property $.error.message']);
    expect(validateResponse('Replications_Get', 404, { code: 'ResourceNotFound', message: 'gone' })).toEqual([
      'unexpected property $.code',
      'unexpected property $.message',
    ]);
  });
});

describe('validateRequestBody', () => {
  test('a role assignment without its role definition', () => {
    expect(validateRequestBody('RoleAssignments_Create', { properties: { principalId: 'p' } })).toEqual([
      'missing required property $.properties.roleDefinitionId',
    ]);
  });

  test('a replication update with a field the update model does not have', () => {
    expect(validateRequestBody('Replications_Update', { properties: { zoneRedundancy: 'Enabled' } })).toEqual(
      ['unexpected property $.properties.zoneRedundancy'],
    );
  });

  test('a body for an operation that takes none, or none where one is required', () => {
    expect(validateRequestBody('Replications_Get', {})).toEqual([
      'Replications_Get takes no request body, got {}',
    ]);
    expect(validateRequestBody('Replications_Create', undefined)).toEqual([
      'Replications_Create requires a request body (replication)',
    ]);
  });
});

describe('validatePagedList', () => {
  const page = (value: unknown[], nextLink?: string) => ({ value, ...(nextLink ? { nextLink } : {}) });

  test('pages linked by nextLink up to a last page without one', () => {
    const item = objectAt(exampleBody('ReplicationList'), 'value.0');
    expect(validatePagedList('Replications_List', [page([item], 'https://next'), page([item])])).toEqual([]);
  });

  test('a page that hides the rest, a last page that promises more, and a bad item', () => {
    const item = objectAt(exampleBody('ReplicationList'), 'value.0');
    objectAt(item, 'properties').regionEndpointEnabled = 1;
    expect(validatePagedList('Replications_List', [page([]), page([item], 'https://next')])).toEqual([
      'page 1: $.nextLink is missing, but more pages follow',
      'page 2: $.value[0].properties.regionEndpointEnabled must be boolean (got 1)',
      'page 2: the last page has nextLink',
    ]);
  });

  test('an operation that does not page', () => {
    expect(validatePagedList('Replications_Get', [{}])).toEqual([
      'Replications_Get is not a paged operation',
    ]);
  });
});

describe('locations, known only from an official example', () => {
  test('a field the example does not show, or a different JSON type', () => {
    const body = exampleBody('GetLocations');
    objectAt(body, 'value.0.metadata').latitude = 37.37;
    objectAt(body, 'value.1').homeLocation = 'Virginia';
    expect(validateResponse('Subscriptions_ListLocations', 200, body)).toEqual([
      '$.value[0].metadata.latitude must be string as in the official example (got number)',
      'unexpected property $.value[1].homeLocation (not in the official example)',
    ]);
  });

  test('a list without value, and a status the example does not show', () => {
    expect(validateResponse('Subscriptions_ListLocations', 200, {})).toEqual([
      'missing required property $.value',
    ]);
    expect(validateResponse('Subscriptions_ListLocations', 201, {})).toEqual([
      'status 201 is not documented for Subscriptions_ListLocations (its example shows 200)',
    ]);
  });
});

describe('armSpecRoot', () => {
  test('is the copy of the official definitions inside the repository', () => {
    const root = armSpecRoot();
    expect(path.relative(path.resolve(__dirname, '../../..'), root)).toBe(
      path.join('sandbox', 'test', 'fixtures', 'azure-rest-api-specs'),
    );
    expect(fs.existsSync(path.join(root, 'SOURCES.md'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'LICENSE'))).toBe(true);
  });
});
