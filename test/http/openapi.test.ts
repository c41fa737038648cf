// The OpenAPI document (GET /api/openapi.json) tells the truth: it is a well-formed OpenAPI 3.0
// document, it describes exactly the HTTP functions the app registers, and the real app's answers, on the
// devhost against the ARM sandbox, match the schemas and statuses it documents.
import { OPENAPI_DOCUMENT } from '../../src/http/openapi';
import { eventually } from '@acr-replica-guard/devhost/testing';
import type { HttpResult } from '@acr-replica-guard/devhost/testing';
import { startApp } from '../e2e/appHarness';
import type { AppHarness } from '../e2e/appHarness';
import {
  findOperation,
  operationsOf,
  pointer,
  refsOf,
  resolveRef,
  templateParameters,
} from '../support/openApiDocument';
import type { OpenApiDocument } from '../support/openApiDocument';
import { OpenApiValidator } from '../support/openApiValidator';
import { registeredHttpRoutes, toOpenApiPath } from '../support/registeredHttpRoutes';
import { REPO_ROOT } from '../support/repoRoot';

const DOCUMENT = OPENAPI_DOCUMENT as unknown as OpenApiDocument;
const validator = new OpenApiValidator(DOCUMENT);
const PROBLEM_TYPE = /^urn:acr-replica-guard:problem:[a-z]+(-[a-z]+)*$/;
const FUNCTION_KEY = 'openapi-test-function-key';

type Parameter = { name: string; in: string; schema?: unknown };
type Operation = {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, unknown> }>;
};

const operations = operationsOf(DOCUMENT).map((o) => ({ ...o, operation: o.operation as Operation }));
const key = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

/** JSON pointers of every schema the document holds: components, parameters, bodies, responses. */
function schemaPointers(): string[] {
  const components = Object.keys((DOCUMENT.components as { schemas: object }).schemas).map((name) =>
    pointer('components', 'schemas', name),
  );
  const fromPaths = Object.entries(DOCUMENT.paths).flatMap(([path, item]) => {
    const pathLevel = ((item.parameters as Parameter[] | undefined) ?? []).map((_p, i) =>
      pointer('paths', path, 'parameters', String(i), 'schema'),
    );
    return [
      ...pathLevel,
      ...operations
        .filter((o) => o.path === path)
        .flatMap(({ method, operation }) => [
          ...(operation.parameters ?? []).map((_p, i) =>
            pointer('paths', path, method, 'parameters', String(i), 'schema'),
          ),
          ...Object.keys(operation.requestBody?.content ?? {}).map((type) =>
            pointer('paths', path, method, 'requestBody', 'content', type, 'schema'),
          ),
          ...Object.entries(operation.responses).flatMap(([status, response]) =>
            Object.keys(response.content ?? {}).map((type) =>
              pointer('paths', path, method, 'responses', status, 'content', type, 'schema'),
            ),
          ),
        ]),
    ];
  });
  return [...components, ...fromPaths];
}

describe('the document is an OpenAPI 3.0 document', () => {
  test('it names its version, title and API version, and has paths under one server URL', () => {
    expect(DOCUMENT.openapi).toMatch(/^3\.0\.\d+$/);
    const info = DOCUMENT.info as { title?: unknown; version?: unknown };
    expect([typeof info.title, typeof info.version]).toEqual(['string', 'string']);
    expect(Object.keys(DOCUMENT.paths).length).toBeGreaterThan(0);
    expect(Object.keys(DOCUMENT.paths).filter((path) => !path.startsWith('/'))).toEqual([]);
    expect(DOCUMENT.servers?.[0]?.url).toMatch(/^\//);
  });

  test('every $ref points at something in the document', () => {
    const refs = refsOf(DOCUMENT);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter(({ ref }) => resolveRef(DOCUMENT, ref) === undefined)).toEqual([]);
  });

  test('every schema compiles under strict rules (no unknown keywords or formats)', () => {
    const failures = schemaPointers().flatMap((at) => {
      try {
        validator.compile(at);
        return [];
      } catch (error) {
        return [`${at}: ${error instanceof Error ? error.message : String(error)}`];
      }
    });
    expect(failures).toEqual([]);
  });

  test('every operation has a unique operationId and at least one response', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operations.filter(({ operation }) => Object.keys(operation.responses).length === 0)).toEqual([]);
  });

  test('every path template parameter is declared as a path parameter, and no other', () => {
    const mismatches = operations.flatMap(({ path, method, operation }) => {
      const declared = [
        ...((DOCUMENT.paths[path]?.parameters as Parameter[] | undefined) ?? []),
        ...(operation.parameters ?? []),
      ]
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      const inTemplate = templateParameters(path).sort();
      return JSON.stringify(declared) === JSON.stringify(inTemplate)
        ? []
        : [`${key(method, path)}: template ${inTemplate.join(',')} but declared ${declared.join(',')}`];
    });
    expect(mismatches).toEqual([]);
  });
});

describe('the document describes exactly the HTTP functions the app registers', () => {
  let registered: { routePrefix: string; routes: { template: string; methods: string[] }[] };

  beforeAll(async () => {
    registered = await registeredHttpRoutes(REPO_ROOT);
  });

  test('the server URL is the host route prefix', () => {
    expect(DOCUMENT.servers?.[0]?.url).toBe(`/${registered.routePrefix}`);
  });

  test('every registered route and method is documented, and every documented one is registered', () => {
    expect(registered.routes.every((route) => route.methods.length > 0)).toBe(true);
    const fromApp = registered.routes
      .flatMap((route) => route.methods.map((method) => key(method, toOpenApiPath(route.template))))
      .sort();
    const fromDocument = operations.map(({ method, path }) => key(method, path)).sort();

    expect(fromDocument).toEqual(fromApp);
  });
});

describe('real answers match the documented statuses, content types and schemas', () => {
  const RG = 'rg-api';
  let app: AppHarness;
  const called = new Set<string>();

  beforeAll(async () => {
    app = await startApp(
      (id) => [
        { id: id(RG, 'crapi01'), location: 'westeurope', sku: 'Premium', replicas: [{ location: 'eastus' }] },
        { id: id(RG, 'crbasic01'), location: 'westeurope', sku: 'Standard' },
        // Provisioning takes long here, so its operation can be watched while it runs.
        { id: id(RG, 'crhuge01'), location: 'westeurope', sku: 'Premium', sizeGiB: 1_000_000 },
        // Its desired replica set is declared, planned, applied and deleted below.
        {
          id: id(RG, 'crdeclared01'),
          location: 'westeurope',
          sku: 'Premium',
          replicas: [{ location: 'northeurope' }],
        },
      ],
      { env: { DEVHOST_FUNCTION_KEY: FUNCTION_KEY } },
    );
  });

  afterAll(async () => {
    await app?.stop();
  });

  const replicas = (registry: string, subscriptionId = app.subscriptionId): string =>
    `/api/registries/${subscriptionId}/${RG}/${registry}/replicas`;

  /** How an answer departs from the document; empty when it conforms. */
  function departures(method: string, url: string, answer: HttpResult): string[] {
    const documented = findOperation(DOCUMENT, method, new URL(url, 'http://host').pathname);
    if (documented === undefined) return [`${method} ${url} is not documented`];
    called.add(key(documented.method, documented.path));
    const status = String(answer.status);
    const response = (documented.operation as Operation).responses[status];
    if (response === undefined) return [`status ${status} is not documented`];
    const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const content = response.content ?? {};
    if (Object.keys(content).length === 0)
      return answer.text === '' ? [] : [`status ${status} documents no body, got ${mediaType}`];
    if (content[mediaType] === undefined)
      return [`status ${status} documents ${Object.keys(content).join(', ')}, got "${mediaType}"`];
    // Pages, styles and scripts are checked by their media type alone.
    if (!mediaType.includes('json')) return [];
    // JSON Lines (the audit export) is one text, not one JSON document.
    const body = /[/+]json$/.test(mediaType)
      ? answer.json<Record<string, unknown>>()
      : (answer.text as unknown as Record<string, unknown>);
    const problems = validator.validate(
      pointer(
        'paths',
        documented.path,
        documented.method,
        'responses',
        status,
        'content',
        mediaType,
        'schema',
      ),
      body,
    );
    if (mediaType === 'application/problem+json') {
      if (!PROBLEM_TYPE.test(String(body.type))) problems.push(`problem type ${String(body.type)}`);
      if (body.status !== answer.status) problems.push(`problem status ${String(body.status)}`);
    }
    return problems;
  }

  /** Calls the app and expects the answer to conform to the document. */
  async function exchange(
    method: string,
    url: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> {
    const answer = await app.api(url, {
      method,
      ...init,
      headers: { 'x-functions-key': FUNCTION_KEY, ...init.headers },
    });
    expect({
      request: `${method} ${url}`,
      status: answer.status,
      departures: departures(method, url, answer),
    }).toEqual({
      request: `${method} ${url}`,
      status: answer.status,
      departures: [],
    });
    return answer;
  }

  /** Follows an operation's status link until it has finished; every answer on the way must conform. */
  const settled = (location: string): Promise<HttpResult> =>
    eventually(`${location} to finish`, async () => {
      const answer = await exchange('GET', location);
      const { runtimeStatus } = answer.json<{ runtimeStatus: string }>();
      return ['Completed', 'Failed', 'Terminated'].includes(runtimeStatus) ? answer : undefined;
    });

  test('health and the document itself', async () => {
    const anonymous = { headers: { 'x-functions-key': '' } };
    expect((await exchange('GET', '/api/health', anonymous)).status).toBe(200);
    const document = await exchange('GET', '/api/openapi.json', anonymous);
    expect(document.status).toBe(200);
    expect(document.json()).toEqual(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
  });

  test('a keyed operation called without the function key is answered 401', async () => {
    const answer = await exchange('GET', '/api/registries', { headers: { 'x-functions-key': 'wrong' } });
    expect(answer.status).toBe(401);
  });

  test('the registry list', async () => {
    const answer = await exchange('GET', '/api/registries');
    expect(answer.status).toBe(200);
    expect(
      answer
        .json<{ value: { name: string }[] }>()
        .value.map((r) => r.name)
        .sort(),
    ).toEqual(['crapi01', 'crbasic01', 'crdeclared01', 'crhuge01']);
  });

  test('a replica list, and lists refused as invalid (400), out of scope (403) and not found (404)', async () => {
    const list = await exchange('GET', replicas('crapi01'));
    expect(list.status).toBe(200);
    expect(
      list
        .json<{ value: { name: string }[] }>()
        .value.map((r) => r.name)
        .sort(),
    ).toEqual(['eastus', 'westeurope']);
    expect((await exchange('GET', replicas('cr-bad!'))).status).toBe(400);
    expect((await exchange('GET', replicas('crapi01', '00000000-0000-0000-0000-00000000abcd'))).status).toBe(
      403,
    );
    expect((await exchange('GET', replicas('crmissing01'))).status).toBe(404);
  });

  test('a create answers 202, and its status conforms while it runs and once it completed', async () => {
    const accepted = await exchange('POST', replicas('crapi01'), {
      body: { location: 'northeurope', tags: { team: 'platform' } },
    });
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('location') ?? '';
    expect(accepted.json()).toMatchObject({ status: location });

    const done = await settled(location);
    expect(done.status).toBe(200);
    expect(done.json()).toMatchObject({ runtimeStatus: 'Completed', result: { outcome: 'succeeded' } });
  });

  test('the status of an operation still provisioning conforms, and a second operation is refused (409)', async () => {
    const accepted = await exchange('POST', replicas('crhuge01'), { body: { location: 'swedencentral' } });
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('location') ?? '';

    const running = await eventually('the operation to report provisioning', async () => {
      const answer = await exchange('GET', location);
      return answer.json<{ phase?: string }>().phase === 'provisioning' ? answer : undefined;
    });
    const status = running.json<{ runtimeStatus: string; polls?: unknown }>();
    expect([status.runtimeStatus, typeof status.polls]).toEqual(['Running', 'number']);
    const second = await exchange('DELETE', `${replicas('crhuge01')}/swedencentral`);
    expect(second.status).toBe(409);
    expect(second.json()).toMatchObject({ type: 'urn:acr-replica-guard:problem:operation-in-progress' });

    // An approval for an operation that is not waiting for one is refused (409); a bad decision is a 400.
    const approval = `${location}/approval`;
    expect((await exchange('POST', approval, { body: { approved: true } })).status).toBe(409);
    expect((await exchange('POST', approval, { body: { approved: 'yes' } })).status).toBe(400);
    expect(
      (await exchange('POST', '/api/operations/replica%3Anothing/approval', { body: { approved: true } }))
        .status,
    ).toBe(404);
  });

  test('sweeps of the scope and of one registry answer 202, and their refusals are problems', async () => {
    const heal = (registry: string, query = ''): string =>
      `/api/registries/${app.subscriptionId}/${RG}/${registry}/heal${query}`;
    expect((await exchange('POST', '/api/heal?dryRun=true')).status).toBe(202);
    expect((await exchange('POST', '/api/heal?dryRun=maybe')).status).toBe(400);
    expect((await exchange('POST', heal('crapi01', '?dryRun=true'))).status).toBe(202);
    expect((await exchange('POST', heal('crbasic01'))).status).toBe(422);
    expect((await exchange('POST', heal('crnothere01'))).status).toBe(404);
  });

  test('update and delete answer 202 and complete', async () => {
    const update = await exchange('PATCH', `${replicas('crapi01')}/eastus`, {
      body: { regionEndpointEnabled: false, tags: { tier: 'gold' } },
    });
    expect(update.status).toBe(202);
    expect((await settled(update.headers.get('location') ?? '')).json()).toMatchObject({
      result: { outcome: 'succeeded' },
    });

    const removal = await exchange('DELETE', `${replicas('crapi01')}/eastus`);
    expect(removal.status).toBe(202);
    expect((await settled(removal.headers.get('location') ?? '')).json()).toMatchObject({
      result: { outcome: 'succeeded' },
    });
  });

  test('dry runs of create, update and delete answer 200 with the plan', async () => {
    const answers = [
      await exchange('POST', `${replicas('crapi01')}?dryRun=true`, { body: { location: 'eastus2' } }),
      await exchange('PATCH', `${replicas('crapi01')}/northeurope?dryRun=true`, { body: { tags: {} } }),
      await exchange('DELETE', `${replicas('crapi01')}/northeurope?dryRun=true`),
    ];
    expect(answers.map((a) => [a.status, a.json<{ operation: string }>().operation])).toEqual([
      [200, 'create'],
      [200, 'update'],
      [200, 'delete'],
    ]);
  });

  test.each([
    ['a body that is not JSON', 'POST', '', '{', 400, 'validation'],
    ['an unknown field', 'POST', '', { location: 'eastus2', colour: 'blue' }, 400, 'validation'],
    ['dryRun that is not a boolean', 'DELETE', '/northeurope?dryRun=maybe', undefined, 400, 'validation'],
    ['a replica that already exists', 'POST', '', { location: 'northeurope' }, 409, 'replica-exists'],
    ['a replica that does not exist', 'PATCH', '/westus2', { tags: {} }, 404, 'replica-not-found'],
    ['the home region', 'POST', '', { location: 'westeurope' }, 422, 'home-region'],
    ['the home replica', 'DELETE', '/westeurope', undefined, 422, 'home-region'],
    ['a region not offered', 'POST', '', { location: 'australiaeast' }, 422, 'region-not-offered'],
  ])('refused: %s', async (_name, method, suffix, body, status, type) => {
    const answer = await exchange(
      method,
      `${replicas('crapi01')}${suffix}`,
      body === undefined ? {} : { body },
    );
    expect([answer.status, answer.json<{ type: string }>().type]).toEqual([
      status,
      `urn:acr-replica-guard:problem:${type}`,
    ]);
  });

  test('refused: a registry that is not Premium (422) or does not exist (404)', async () => {
    const basic = await exchange('POST', replicas('crbasic01'), { body: { location: 'eastus2' } });
    expect(basic.status).toBe(422);
    const missing = await exchange('POST', replicas('crmissing01'), { body: { location: 'eastus2' } });
    expect(missing.status).toBe(404);
  });

  test('operation status of an unknown id (404) and of a malformed one (400)', async () => {
    expect((await exchange('GET', '/api/operations/replica%3Anothing')).status).toBe(404);
    expect((await exchange('GET', '/api/operations/not%20an%20operation')).status).toBe(400);
  });

  test('Azure throttling every retry is answered 503', async () => {
    await app.sandbox.admin.call('POST', '/faults', {
      kind: 'throttle',
      retryAfterSeconds: 0,
      count: 20,
      match: { subscriptionId: app.subscriptionId, pathIncludes: 'crbasic01' },
    });
    try {
      const answer = await exchange('GET', replicas('crbasic01'));
      expect(answer.json()).toMatchObject({ status: 503, type: 'urn:acr-replica-guard:problem:azure-error' });
    } finally {
      await app.sandbox.admin.call('DELETE', `/faults?subscriptionId=${app.subscriptionId}`);
    }
  });

  test('the audit list, its pages, its verification, its export, and their 400s', async () => {
    const registry = encodeURIComponent(app.registryId(RG, 'crapi01'));
    const page = await exchange('GET', `/api/audit?registry=${registry}&pageSize=2`);
    expect(page.status).toBe(200);
    const token = page.json<{ continuationToken?: string }>().continuationToken;
    expect(typeof token).toBe('string');
    const next = await exchange(
      'GET',
      `/api/audit?registry=${registry}&pageSize=2&continuationToken=${encodeURIComponent(token ?? '')}`,
    );
    expect(next.status).toBe(200);
    expect((await exchange('GET', '/api/audit?pageSize=1')).status).toBe(200);

    const verdict = await exchange('GET', `/api/audit/verify?registry=${registry}`);
    expect(verdict.json()).toMatchObject({ intact: true });
    const exported = await exchange('GET', `/api/audit/export?registry=${registry}`);
    expect(exported.text.split('\n')[0]).toContain('"type":"header"');

    expect((await exchange('GET', '/api/audit?colour=blue')).status).toBe(400);
    expect((await exchange('GET', '/api/audit/verify')).status).toBe(400);
    expect((await exchange('GET', '/api/audit/export')).status).toBe(400);
  });

  test('the chat endpoints refuse unsigned requests with a bare 401, without a function key', async () => {
    const anonymous = { 'x-functions-key': '' };
    const slack = await exchange('POST', '/api/chat/slack/commands', {
      body: 'text=help',
      headers: { ...anonymous, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([slack.status, slack.text]).toEqual([401, '']);
    const click = await exchange('POST', '/api/chat/slack/actions', {
      body: `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions' }))}`,
      headers: { ...anonymous, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([click.status, click.text]).toEqual([401, '']);
    const teams = await exchange('POST', '/api/chat/teams', {
      body: { type: 'message', text: 'help' },
      headers: anonymous,
    });
    expect([teams.status, teams.text]).toEqual([401, '']);
  });

  test('desired replica sets: declare, read, history, plan, dry run, apply, import, delete, and their refusals', async () => {
    const set = (registry: string, subscriptionId = app.subscriptionId): string =>
      `/api/registries/${subscriptionId}/${RG}/${registry}/desired-replicas`;
    const declared = {
      replicas: [{ location: 'northeurope' }, { location: 'eastus2', zoneRedundancy: 'Enabled' }],
    };

    expect((await exchange('PUT', set('crdeclared01'), { body: declared })).status).toBe(201);
    const read = await exchange('GET', set('crdeclared01'));
    const etag = read.headers.get('etag') ?? '';
    expect([read.status, etag]).toEqual([200, '"v1"']);
    expect((await exchange('PUT', set('crdeclared01'), { body: declared })).status).toBe(412);
    expect((await exchange('PUT', set('crdeclared01'), { body: '{' })).status).toBe(400);
    expect(
      (await exchange('PUT', set('crdeclared01'), { body: { replicas: [], padding: 'x'.repeat(40_000) } }))
        .status,
    ).toBe(413);
    const home = { replicas: [{ location: 'westeurope', tags: {} }] };
    expect(
      (await exchange('PUT', set('crdeclared01'), { body: home, headers: { 'if-match': etag } })).status,
    ).toBe(422);
    expect((await exchange('PUT', set('crbasic01'), { body: declared })).status).toBe(422);
    expect((await exchange('GET', set('crapi01', '00000000-0000-0000-0000-00000000abcd'))).status).toBe(403);
    expect((await exchange('GET', `${set('crdeclared01')}/history`)).status).toBe(200);

    const plan = await exchange('GET', `${set('crdeclared01')}/plan`);
    expect(plan.json<{ steps: { kind: string }[] }>().steps.map((s) => s.kind)).toEqual([
      'create',
      'none',
      'none',
    ]);
    expect((await exchange('GET', `${set('crdeclared01')}/plan?colour=blue`)).status).toBe(400);
    expect((await exchange('GET', `${set('crapi01')}/plan`)).status).toBe(404);
    expect((await exchange('POST', `${set('crdeclared01')}/apply?dryRun=true`)).status).toBe(200);
    const accepted = await exchange('POST', `${set('crdeclared01')}/apply`);
    expect(accepted.status).toBe(202);
    const done = await settled(accepted.headers.get('location') ?? '');
    expect(done.json()).toMatchObject({ runtimeStatus: 'Completed', result: { outcome: 'applied' } });

    expect((await exchange('POST', `${set('crhuge01')}/import`)).status).toBe(201);
    expect((await exchange('POST', `${set('crhuge01')}/import`, { body: { drift: 'auto' } })).status).toBe(
      412,
    );

    expect((await exchange('DELETE', set('crdeclared01'))).status).toBe(428);
    expect((await exchange('DELETE', set('crdeclared01'), { headers: { 'if-match': '"v9"' } })).status).toBe(
      412,
    );
    expect((await exchange('DELETE', set('crdeclared01'), { headers: { 'if-match': etag } })).status).toBe(
      204,
    );
    expect((await exchange('GET', set('crdeclared01'))).status).toBe(404);
  });

  test('the operation list, its pages and its 400s; the dashboard, the API explorer and their files', async () => {
    const all = await exchange('GET', '/api/operations');
    expect(all.json<{ value: unknown[] }>().value.length).toBeGreaterThan(1);
    const page = await exchange('GET', '/api/operations?status=all&pageSize=1');
    const token = page.json<{ continuationToken?: string }>().continuationToken;
    expect(typeof token).toBe('string');
    const next = await exchange(
      'GET',
      `/api/operations?status=all&pageSize=1&continuationToken=${encodeURIComponent(token ?? '')}`,
    );
    expect(next.status).toBe(200);
    expect((await exchange('GET', '/api/operations?status=active')).status).toBe(200);
    expect((await exchange('GET', '/api/operations?status=sleeping')).status).toBe(400);
    expect(
      (await exchange('GET', `/api/operations?status=active&pageSize=1&continuationToken=${token ?? ''}`))
        .status,
    ).toBe(400);

    const anonymous = { headers: { 'x-functions-key': '' } };
    expect((await exchange('GET', '/api/dashboard', anonymous)).status).toBe(401);
    expect((await exchange('GET', '/api/dashboard')).status).toBe(200);
    expect((await exchange('GET', '/api/dashboard/app.js', anonymous)).status).toBe(200);
    expect((await exchange('GET', '/api/dashboard/dashboard.css', anonymous)).status).toBe(200);
    expect((await exchange('GET', '/api/dashboard/index.ts', anonymous)).status).toBe(404);
    expect((await exchange('GET', '/api/docs', anonymous)).status).toBe(200);
    expect((await exchange('GET', '/api/docs/swagger-ui-bundle.js', anonymous)).status).toBe(200);
    expect((await exchange('GET', '/api/docs/package.json', anonymous)).status).toBe(404);
  });

  test('every documented operation was called above', () => {
    expect([...called].sort()).toEqual(operations.map(({ method, path }) => key(method, path)).sort());
  });
});
