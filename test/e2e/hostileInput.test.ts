// Hostile input at every edge of the app, on the devhost against the ARM sandbox and Azurite: bodies
// (huge, streamed, deeply nested, wrong types, unknown fields, not JSON, wrong media types, empty),
// query parameters (unknown, repeated, misspelt flags, overlong), names (path tricks, overlong and
// non-ASCII, encoded slashes), continuation tokens, and chat requests (unsigned, oversized, badly
// signed), across every route of the OpenAPI document. What must hold for every case: no 5xx, the
// documented answer, a bounded refusal; and for the whole run: nothing reached ARM but reads, no
// orchestration started, and every refused change request is in the audit trail.
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';

import type { HttpResult } from '@acr-replica-guard/devhost/testing';
import type { AuditPage } from '../../src/azure/auditStore';
import { departures, documentedOperation, documentedOperations } from '../support/openApiConformance';
import { nowSeconds, slackHeaders } from '../support/slack';
import { teamsHeaders, teamsMessage } from '../support/teams';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-hostile';
const FUNCTION_KEY = randomBytes(16).toString('hex');
const MASTER_KEY = randomBytes(16).toString('hex');
const SLACK_SECRET = randomBytes(16).toString('hex');
const TEAMS_TOKEN = randomBytes(32).toString('base64');
const KIB = 1024;
const MIB = 1024 * KIB;

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id) => [
      { id: id(RG, 'crhost01'), location: 'westeurope', sku: 'Premium', replicas: [{ location: 'eastus' }] },
      { id: id(RG, 'crbasic01'), location: 'westeurope', sku: 'Standard' },
    ],
    {
      env: {
        DEVHOST_FUNCTION_KEY: FUNCTION_KEY,
        DEVHOST_MASTER_KEY: MASTER_KEY,
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        TEAMS_WEBHOOK_SECRET: TEAMS_TOKEN,
      },
    },
  );
});

afterAll(async () => {
  await app?.stop();
});

// ---- What is sent ---------------------------------------------------------------------------------

interface Sent {
  method: string;
  /** Path and query exactly as they go on the wire (no normalisation). */
  path: string;
  body?: Buffer;
  headers?: Record<string, string>;
  /** Send the body in pieces without a Content-Length. */
  chunked?: boolean;
}

/** An HTTP request as written, through node:http, so path tricks and odd bodies reach the host as they are. */
function send(request: Sent): Promise<HttpResult> {
  const base = new URL(app.host.url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined && request.chunked !== true)
      headers['content-length'] = String(request.body.length);
    const outgoing = http.request(
      { host: base.hostname, port: base.port, method: request.method, path: request.path, headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const answerHeaders = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          resolve({
            status: incoming.statusCode ?? 0,
            headers: answerHeaders,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    const body = request.body;
    if (body !== undefined && request.chunked === true) {
      for (let at = 0; at < body.length; at += 64 * KIB) outgoing.write(body.subarray(at, at + 64 * KIB));
    } else if (body !== undefined) {
      outgoing.write(body);
    }
    outgoing.end();
  });
}

// ---- The cases --------------------------------------------------------------------------------------

interface HostileCase {
  name: string;
  request: () => Sent;
  /** The status (or statuses) the case must be answered with. */
  expect: number | number[];
  /** For a problem answer: its type, after `urn:acr-replica-guard:problem:`. */
  problem?: string;
  /** A refused change request leaves an entry: the operation it asked for and the target it named. */
  audited?: () => { operation: string; target: string };
  /** More to check of the answer. */
  check?: (answer: HttpResult) => void;
}

const sub = (): string => app.subscriptionId;
const registryPath = (name = 'crhost01', group = RG, subscription = sub()): string =>
  `/api/registries/${subscription}/${group}/${name}`;
const registryTarget = (name = 'crhost01'): string => app.registryId(RG, name);
const OPERATION = (): string => `replica:${sub()}~3A${RG}~3Acrhost01~3Aeastus`;

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const JSON_TYPE = { 'content-type': 'application/json' };
const KEYED = { 'x-functions-key': FUNCTION_KEY };

/** A REST request with the function key (unless `anonymous`) and, when there is a body, a JSON type. */
function rest(
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
  options: { anonymous?: boolean; chunked?: boolean } = {},
): Sent {
  return {
    method,
    path,
    ...(body === undefined ? {} : { body: Buffer.from(body) }),
    headers: {
      ...(options.anonymous === true ? {} : KEYED),
      ...(body === undefined ? {} : JSON_TYPE),
      ...headers,
    },
    ...(options.chunked === true ? { chunked: true } : {}),
  };
}

/** `{"f0":0,"f1":0,...}` of about `bytes`: a body of nothing but unknown fields. */
function unknownFields(bytes: number, extra: Record<string, unknown> = {}): Buffer {
  const count = Math.floor(bytes / 12);
  const fields = Array.from({ length: count }, (_, i) => `"f${i}":0`).join(',');
  const known = Object.entries(extra).map(
    ([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`,
  );
  return Buffer.from(`{${[...known, fields].join(',')}}`);
}
const nested = (depth: number, inner = '0'): string => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
const nestedObject = (depth: number): string => `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
const create = (): { location: string } => ({ location: 'northeurope' });

const audit = (operation: string, target: () => string) => (): { operation: string; target: string } => ({
  operation,
  target: target(),
});
const createAudited = audit('create', () => registryTarget());
const updateAudited = audit('update', () => registryTarget());
const deleteAudited = audit('delete', () => registryTarget());
const sweepAudited = audit('sweep', () => 'sweep');
const registrySweepAudited = audit('sweep', () => registryTarget());

/** Answers that must list at most 20 errors and count the rest. */
const listsTwentyOf = (total: number) => (answer: HttpResult) => {
  const body = answer.json<{ errors: unknown[]; omittedErrors?: number }>();
  expect(body.errors).toHaveLength(20);
  expect(body.errors.length + (body.omittedErrors ?? 0)).toBeGreaterThanOrEqual(total);
};

const PARAMETERS: HostileCase[] = [
  {
    name: 'health with a parameter',
    request: () => rest('GET', '/api/health?colour=red', undefined, {}, { anonymous: true }),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the document with a parameter',
    request: () => rest('GET', '/api/openapi.json?v=2', undefined, {}, { anonymous: true }),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the operation list with an unknown parameter',
    request: () => rest('GET', '/api/operations?colour=red'),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the operation list with a repeated status and a page size past its bound',
    request: () => rest('GET', '/api/operations?status=active&status=all&pageSize=1000000'),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the operation list with a forged continuation token',
    request: () => rest('GET', `/api/operations?continuationToken=${'A'.repeat(5000)}`),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the dashboard with a parameter',
    request: () => rest('GET', '/api/dashboard?colour=red'),
    expect: 400,
    problem: 'validation',
  },
  {
    name: "a dashboard file that is not on the page's list",
    request: () => rest('GET', '/api/dashboard/index.ts', undefined, {}, { anonymous: true }),
    expect: 404,
    problem: 'file-not-found',
  },
  {
    name: 'a dashboard file named by an encoded path out of its folder',
    request: () => rest('GET', '/api/dashboard/..%2F..%2Fpackage.json', undefined, {}, { anonymous: true }),
    expect: [404],
  },
  {
    name: 'the API explorer with a parameter',
    request: () =>
      rest('GET', '/api/docs?url=https://elsewhere.invalid/', undefined, {}, { anonymous: true }),
    expect: 400,
    problem: 'validation',
  },
  {
    name: "an API explorer file that is not on the explorer's list",
    request: () => rest('GET', '/api/docs/package.json', undefined, {}, { anonymous: true }),
    expect: 404,
    problem: 'file-not-found',
  },
  {
    name: 'the registries with an unknown parameter',
    request: () => rest('GET', '/api/registries?colour=red'),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the registries with the function key as `code`, and nothing else',
    request: () => ({ method: 'GET', path: `/api/registries?code=${FUNCTION_KEY}` }),
    expect: 200,
  },
  {
    name: 'the replicas with an unknown parameter',
    request: () => rest('GET', `${registryPath()}/replicas?filter=all`),
    expect: 400,
    problem: 'validation',
  },
  ...[
    'dryrun=true',
    'DryRun=true',
    'dry-run=true',
    'dryRun=true&dryRun=false',
    'dryRun=yes',
    'dryRun=TRUE',
    'force=true',
  ].flatMap((query): HostileCase[] => [
    {
      name: `a create with ?${query}`,
      request: () => rest('POST', `${registryPath()}/replicas?${query}`, json(create())),
      expect: 400,
      problem: 'validation',
      audited: createAudited,
    },
    {
      name: `an update with ?${query}`,
      request: () => rest('PATCH', `${registryPath()}/replicas/eastus?${query}`, json({ tags: { a: 'b' } })),
      expect: 400,
      problem: 'validation',
      audited: updateAudited,
    },
    {
      name: `a delete with ?${query}`,
      request: () => rest('DELETE', `${registryPath()}/replicas/eastus?${query}`),
      expect: 400,
      problem: 'validation',
      audited: deleteAudited,
    },
    {
      name: `a sweep with ?${query}`,
      request: () => rest('POST', `/api/heal?${query}`),
      expect: 400,
      problem: 'validation',
      audited: sweepAudited,
    },
    {
      name: `a registry sweep with ?${query}`,
      request: () => rest('POST', `${registryPath()}/heal?${query}`),
      expect: 400,
      problem: 'validation',
      audited: registrySweepAudited,
    },
  ]),
  {
    name: 'an operation with a parameter',
    request: () => rest('GET', `/api/operations/${OPERATION()}?x=1`),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'an approval with an unknown parameter',
    request: () =>
      rest('POST', `/api/operations/${OPERATION()}/approval?force=true`, json({ approved: true })),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the audit trail with a repeated filter',
    request: () => rest('GET', '/api/audit?operation=create&operation=delete'),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the audit trail with a filter repeated in another letter case',
    request: () => rest('GET', `/api/audit?registry=${encodeURIComponent(registryTarget())}&Registry=x`),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the chain check with its registry twice',
    request: () =>
      rest(
        'GET',
        `/api/audit/verify?registry=${encodeURIComponent(registryTarget())}&registry=${encodeURIComponent(registryTarget())}`,
      ),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the audit trail with an unknown parameter',
    request: () => rest('GET', '/api/audit?colour=red'),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'a parameter name of 5,000 characters',
    request: () => rest('GET', `/api/registries?${'p'.repeat(5000)}=1`),
    expect: 400,
    problem: 'validation',
    check: (answer) => {
      const [error] = answer.json<{ errors: { field: string }[] }>().errors;
      expect(error!.field.length).toBeLessThanOrEqual(101);
    },
  },
  {
    name: '300 unknown parameters',
    request: () =>
      rest('GET', `/api/registries?${Array.from({ length: 300 }, (_, i) => `p${i}=1`).join('&')}`),
    expect: 400,
    problem: 'validation',
    check: listsTwentyOf(300),
  },
  {
    name: 'an overlong audit filter',
    request: () => rest('GET', `/api/audit?operation=${'o'.repeat(300)}`),
    expect: 400,
    problem: 'validation',
  },
  ...['99999999999', '-1', '1e3', '0x10', ''].map((size): HostileCase => ({
    name: `an audit page size of "${size}"`,
    request: () => rest('GET', `/api/audit?pageSize=${size}`),
    expect: 400,
    problem: 'validation',
  })),
  {
    name: 'an audit time that is no time',
    request: () => rest('GET', '/api/audit?from=yesterday'),
    expect: 400,
    problem: 'validation',
  },
];

const BODIES: HostileCase[] = [
  {
    name: 'a create of 8 MiB of unknown fields',
    request: () => rest('POST', `${registryPath()}/replicas`, unknownFields(8 * MIB)),
    expect: 413,
    problem: 'payload-too-large',
    audited: createAudited,
  },
  {
    name: 'a create of 2 MiB streamed without a Content-Length',
    request: () => rest('POST', `${registryPath()}/replicas`, unknownFields(2 * MIB), {}, { chunked: true }),
    expect: 413,
    problem: 'payload-too-large',
    audited: createAudited,
  },
  {
    name: 'a create just under the limit, all unknown fields',
    request: () => rest('POST', `${registryPath()}/replicas`, unknownFields(60 * KIB, create())),
    expect: 400,
    problem: 'validation',
    audited: createAudited,
    check: listsTwentyOf(4000),
  },
  {
    name: 'a create whose location is nested 30,000 deep',
    request: () => rest('POST', `${registryPath()}/replicas`, `{"location":${nested(30000)}}`),
    expect: 400,
    problem: 'validation',
    audited: createAudited,
  },
  {
    name: 'a create that is an array nested 30,000 deep',
    request: () => rest('POST', `${registryPath()}/replicas`, nested(30000)),
    expect: 400,
    problem: 'validation',
    audited: createAudited,
  },
  {
    name: 'a create whose tags nest objects 10,000 deep',
    request: () =>
      rest(
        'POST',
        `${registryPath()}/replicas`,
        `{"location":"northeurope","tags":{"t":${nestedObject(10000)}}}`,
      ),
    expect: 400,
    problem: 'validation',
    audited: createAudited,
  },
  ...(
    [
      ['a location that is a number', { location: 5 }],
      ['tags that are an array', { location: 'northeurope', tags: [] }],
      ['a tag value that is an object', { location: 'northeurope', tags: { a: { b: 'c' } } }],
      ['an endpoint flag that is a string', { location: 'northeurope', regionEndpointEnabled: 'yes' }],
      ['an unknown zone redundancy', { location: 'northeurope', zoneRedundancy: 'Maybe' }],
      ['an unknown field', { location: 'northeurope', colour: 'red' }],
      ['a location of 10,000 characters', { location: 'x'.repeat(10000) }],
      ['a name with a path in it', { location: 'northeurope', name: '../crother01/replications/x' }],
      ['a location with a path in it', { location: '../../westeurope' }],
      ['null', null],
      ['an array', []],
      ['a string', 'northeurope'],
      ['a number', 42],
      [
        '51 tags',
        {
          location: 'northeurope',
          tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v'])),
        },
      ],
    ] as [string, unknown][]
  ).map(([what, body]): HostileCase => ({
    name: `a create with ${what}`,
    request: () => rest('POST', `${registryPath()}/replicas`, json(body)),
    expect: 400,
    problem: 'validation',
    audited: createAudited,
  })),
  {
    name: 'a create with an own __proto__ field',
    request: () =>
      rest('POST', `${registryPath()}/replicas`, '{"location":"northeurope","__proto__":{"dryRun":true}}'),
    expect: 400,
    problem: 'validation',
    audited: createAudited,
  },
  {
    name: 'a create that is not JSON',
    request: () => rest('POST', `${registryPath()}/replicas`, '{"location":'),
    expect: 400,
    problem: 'validation',
    audited: createAudited,
  },
  {
    name: 'a create with an empty body',
    request: () => rest('POST', `${registryPath()}/replicas`, ''),
    expect: 400,
    problem: 'validation',
    audited: createAudited,
  },
  {
    name: 'a create without a body',
    request: () => rest('POST', `${registryPath()}/replicas`),
    expect: 400,
    problem: 'validation',
    audited: createAudited,
  },
  {
    name: 'a create in bytes that are not UTF-8',
    request: () =>
      rest('POST', `${registryPath()}/replicas`, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
    expect: 400,
    problem: 'validation',
    audited: createAudited,
  },
  ...[
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
  ].map((type): HostileCase => ({
    name: `a create sent as ${type}`,
    request: () => rest('POST', `${registryPath()}/replicas`, json(create()), { 'content-type': type }),
    expect: 415,
    problem: 'unsupported-media-type',
    audited: createAudited,
  })),
  {
    name: 'an update of 8 MiB',
    request: () => rest('PATCH', `${registryPath()}/replicas/eastus`, unknownFields(8 * MIB)),
    expect: 413,
    problem: 'payload-too-large',
    audited: updateAudited,
  },
  {
    name: 'an update with nothing to change',
    request: () => rest('PATCH', `${registryPath()}/replicas/eastus`, '{}'),
    expect: 400,
    problem: 'validation',
    audited: updateAudited,
  },
  {
    name: 'an update that is not JSON',
    request: () => rest('PATCH', `${registryPath()}/replicas/eastus`, 'tags=a'),
    expect: 400,
    problem: 'validation',
    audited: updateAudited,
  },
  {
    name: 'an update sent as text',
    request: () =>
      rest('PATCH', `${registryPath()}/replicas/eastus`, json({ tags: {} }), {
        'content-type': 'text/plain',
      }),
    expect: 415,
    problem: 'unsupported-media-type',
    audited: updateAudited,
  },
  {
    name: 'an update with zone redundancy but no recreate',
    request: () => rest('PATCH', `${registryPath()}/replicas/eastus`, json({ zoneRedundancy: 'Enabled' })),
    expect: 400,
    problem: 'validation',
    audited: updateAudited,
  },
  {
    name: 'a delete with a 2 KiB body',
    request: () => rest('DELETE', `${registryPath()}/replicas/eastus`, unknownFields(2 * KIB)),
    expect: 413,
    problem: 'payload-too-large',
    audited: deleteAudited,
  },
  {
    name: 'a sweep with a 2 KiB body',
    request: () => rest('POST', '/api/heal', unknownFields(2 * KIB)),
    expect: 413,
    problem: 'payload-too-large',
    audited: sweepAudited,
  },
  {
    name: 'a registry sweep with a 2 KiB body streamed',
    request: () => rest('POST', `${registryPath()}/heal`, unknownFields(2 * KIB), {}, { chunked: true }),
    expect: 413,
    problem: 'payload-too-large',
    audited: registrySweepAudited,
  },
  {
    name: 'an approval of 2 KiB',
    request: () => rest('POST', `/api/operations/${OPERATION()}/approval`, unknownFields(2 * KIB)),
    expect: 413,
    problem: 'payload-too-large',
  },
  ...(
    [
      ['a decision that is a string', json({ approved: 'yes' })],
      ['an unknown field', json({ approved: true, force: true })],
      ['no JSON', Buffer.from('approved=true')],
      ['an empty body', Buffer.from('')],
      ['an array nested 500 deep', Buffer.from(nested(500))],
    ] as [string, Buffer][]
  ).map(([what, body]): HostileCase => ({
    name: `an approval with ${what}`,
    request: () => rest('POST', `/api/operations/${OPERATION()}/approval`, body),
    expect: 400,
    problem: 'validation',
  })),
  {
    name: 'an approval sent as a form',
    request: () =>
      rest('POST', `/api/operations/${OPERATION()}/approval`, json({ approved: true }), {
        'content-type': 'application/x-www-form-urlencoded',
      }),
    expect: 415,
    problem: 'unsupported-media-type',
  },
];

const otherSubscription = randomUUID();
const NAMES: HostileCase[] = [
  {
    name: 'a create in a subscription that is no GUID',
    request: () => rest('POST', `${registryPath('crhost01', RG, 'not-a-guid')}/replicas`, json(create())),
    expect: 400,
    problem: 'validation',
    audited: audit('create', () => `${registryPath('crhost01', RG, 'not-a-guid')}/replicas`),
  },
  {
    name: 'a create in a subscription outside the scope',
    request: () =>
      rest('POST', `${registryPath('crhost01', RG, otherSubscription)}/replicas`, json(create())),
    expect: 403,
    problem: 'out-of-scope',
    audited: audit(
      'create',
      () =>
        `/subscriptions/${otherSubscription}/resourceGroups/${RG}/providers/Microsoft.ContainerRegistry/registries/crhost01`,
    ),
  },
  // Dot segments are resolved before routing (by the host, as by browsers): these reach no route.
  {
    name: 'a create with ".." for the resource group',
    request: () => rest('POST', `/api/registries/${sub()}/../crhost01/replicas`, json(create())),
    expect: 404,
  },
  {
    name: 'a delete with %2e%2e for the replica',
    request: () => rest('DELETE', `${registryPath()}/replicas/%2e%2e`),
    expect: 404,
  },
  {
    name: 'a create with an encoded slash in the resource group',
    request: () =>
      rest('POST', `/api/registries/${sub()}/${RG}%2F..%2Fother/crhost01/replicas`, json(create())),
    expect: 400,
    problem: 'validation',
    audited: audit('create', () => `/api/registries/${sub()}/${RG}%2F..%2Fother/crhost01/replicas`),
  },
  {
    name: 'a create with a resource group of 100 characters',
    request: () => rest('POST', `${registryPath('crhost01', 'g'.repeat(100))}/replicas`, json(create())),
    expect: 400,
    problem: 'validation',
    audited: audit('create', () => `${registryPath('crhost01', 'g'.repeat(100))}/replicas`),
  },
  {
    name: 'a create with a resource group ending in a dot',
    request: () => rest('POST', `${registryPath('crhost01', 'rg.')}/replicas`, json(create())),
    expect: 400,
    problem: 'validation',
    audited: audit('create', () => `${registryPath('crhost01', 'rg.')}/replicas`),
  },
  ...[
    ['300 characters', 'c'.repeat(300)],
    ['a non-ASCII letter', encodeURIComponent('crhöst01')],
    ['a NUL', 'crhost01%00'],
    ['a trailing space', 'crhost01%20'],
    ['an emoji', encodeURIComponent('cr🙂host01')],
  ].flatMap(([what, name]): HostileCase[] => [
    {
      name: `a create in a registry named with ${String(what)}`,
      request: () => rest('POST', `${registryPath(name)}/replicas`, json(create())),
      expect: 400,
      problem: 'validation',
      audited: audit('create', () => `${registryPath(name)}/replicas`),
    },
    {
      name: `a registry sweep of a registry named with ${String(what)}`,
      request: () => rest('POST', `${registryPath(name)}/heal`),
      expect: 400,
      problem: 'validation',
      audited: audit('sweep', () => `${registryPath(name)}/heal`),
    },
    {
      name: `the replicas of a registry named with ${String(what)}`,
      request: () => rest('GET', `${registryPath(name)}/replicas`),
      expect: 400,
      problem: 'validation',
    },
    {
      name: `a delete of a replica named with ${String(what)}`,
      request: () => rest('DELETE', `${registryPath()}/replicas/${name}`),
      expect: 400,
      problem: 'validation',
      audited: deleteAudited,
    },
    {
      name: `an update of a replica named with ${String(what)}`,
      request: () => rest('PATCH', `${registryPath()}/replicas/${name}`, json({ tags: {} })),
      expect: 400,
      problem: 'validation',
      audited: updateAudited,
    },
  ]),
  {
    name: 'a delete of a replica named with an encoded slash',
    request: () => rest('DELETE', `${registryPath()}/replicas/eastus%2F..%2F..%2Fcrother01`),
    expect: 400,
    problem: 'validation',
    audited: deleteAudited,
  },
  ...[
    ['2,000 characters', 'o'.repeat(2000)],
    ['an encoded slash', 'replica%2F..%2Fsweep'],
    ['a line break', 'replica%0Asweep'],
    ['a non-ASCII letter', encodeURIComponent('réplica')],
    ['a quote and angle brackets', encodeURIComponent('"><script>')],
  ].flatMap(([what, id]): HostileCase[] => [
    {
      name: `an operation id with ${String(what)}`,
      request: () => rest('GET', `/api/operations/${id}`),
      expect: [400, 404],
    },
    {
      name: `an approval of an operation id with ${String(what)}`,
      request: () => rest('POST', `/api/operations/${id}/approval`, json({ approved: true })),
      expect: [400, 404],
    },
  ]),
  {
    name: 'the audit trail of a registry id with dot segments',
    request: () =>
      rest(
        'GET',
        `/api/audit?registry=${encodeURIComponent(`/subscriptions/${sub()}/resourceGroups/../providers/x`)}`,
      ),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the chain check of a registry id of 1,000 characters',
    request: () => rest('GET', `/api/audit/verify?registry=${'r'.repeat(1000)}`),
    expect: 400,
    problem: 'validation',
  },
];

const TOKENS: HostileCase[] = [
  ['garbage', 'garbage'],
  ['empty', ''],
  ['base64 of an empty object', Buffer.from('{}').toString('base64url')],
  [
    'base64 of a token for other filters',
    Buffer.from(JSON.stringify({ q: { operation: 'x' }, t: 'y' })).toString('base64url'),
  ],
  ['4,000 characters', 'A'.repeat(4000)],
  ['non-ASCII', encodeURIComponent('jeton-é')],
  ['given twice', 'a&continuationToken=b'],
].map(([what, token]): HostileCase => ({
  name: `a continuation token that is ${what}`,
  request: () => rest('GET', `/api/audit?continuationToken=${token}`),
  expect: 400,
  problem: 'validation',
}));

// ---- Chat ---------------------------------------------------------------------------------------------

const SLACK_COMMANDS = '/api/chat/slack/commands';
const SLACK_ACTIONS = '/api/chat/slack/actions';
const TEAMS = '/api/chat/teams';

const slashCommand = (text: string, extra: Record<string, string> = {}): string =>
  new URLSearchParams({
    team_id: 'T0HOST',
    user_id: 'U0HOST',
    user_name: 'mallory',
    text,
    ...extra,
  }).toString();
const click = (payload: string): string => new URLSearchParams({ payload }).toString();

type Signing = 'signed' | 'unsigned' | 'wrong secret' | 'stale' | 'malformed' | 'for another body';

function slackSent(
  path: string,
  body: string | Buffer,
  signing: Signing,
  options: { query?: string; chunked?: boolean } = {},
): Sent {
  const bytes = Buffer.from(body);
  const headers = (() => {
    switch (signing) {
      case 'unsigned':
        return { 'content-type': 'application/x-www-form-urlencoded' };
      case 'wrong secret':
        return slackHeaders(bytes, 'not-the-secret');
      case 'stale':
        return slackHeaders(bytes, SLACK_SECRET, nowSeconds() - 600);
      case 'malformed':
        return { ...slackHeaders(bytes, SLACK_SECRET), 'x-slack-signature': 'v0=zz' };
      case 'for another body':
        return slackHeaders(slashCommand('help'), SLACK_SECRET);
      default:
        return slackHeaders(bytes, SLACK_SECRET);
    }
  })();
  return {
    method: 'POST',
    path: `${path}${options.query ?? ''}`,
    body: bytes,
    headers,
    ...(options.chunked ? { chunked: true } : {}),
  };
}

function teamsSent(body: string | Buffer, signing: Signing, query = ''): Sent {
  const bytes = Buffer.from(body);
  const headers =
    signing === 'unsigned'
      ? { 'content-type': 'application/json' }
      : signing === 'wrong secret'
        ? teamsHeaders(bytes, randomBytes(32).toString('base64'))
        : signing === 'malformed'
          ? { 'content-type': 'application/json', authorization: 'HMAC not base64!' }
          : signing === 'for another body'
            ? teamsHeaders(teamsMessage('help'), TEAMS_TOKEN)
            : teamsHeaders(bytes, TEAMS_TOKEN);
  return { method: 'POST', path: `${TEAMS}${query}`, body: bytes, headers };
}

const CHAT: HostileCase[] = [
  ...(['unsigned', 'wrong secret', 'stale', 'malformed', 'for another body'] as Signing[]).flatMap(
    (signing): HostileCase[] => [
      {
        name: `a Slack command, ${signing}`,
        request: () => slackSent(SLACK_COMMANDS, slashCommand('add crhost01 northeurope'), signing),
        expect: 401,
      },
      {
        name: `a Slack click, ${signing}`,
        request: () =>
          slackSent(SLACK_ACTIONS, click(JSON.stringify({ type: 'block_actions', actions: [] })), signing),
        expect: 401,
      },
      ...(signing === 'stale'
        ? []
        : [
            {
              name: `a Teams message, ${signing}`,
              request: () => teamsSent(teamsMessage('add crhost01 northeurope'), signing),
              expect: 401,
            },
          ]),
    ],
  ),
  {
    name: 'a Slack command of 70 KiB, signed',
    request: () =>
      slackSent(SLACK_COMMANDS, slashCommand('list crhost01', { pad: 'x'.repeat(70 * KIB) }), 'signed'),
    expect: 413,
    problem: 'payload-too-large',
  },
  {
    name: 'a Slack command of 70 KiB, unsigned',
    request: () => slackSent(SLACK_COMMANDS, slashCommand('x'.repeat(70 * KIB)), 'unsigned'),
    expect: 413,
    problem: 'payload-too-large',
  },
  {
    name: 'a Slack command of 1 MiB streamed without a Content-Length',
    request: () => slackSent(SLACK_COMMANDS, slashCommand('x'.repeat(MIB)), 'signed', { chunked: true }),
    expect: 413,
    problem: 'payload-too-large',
  },
  {
    name: 'a Slack click of 70 KiB',
    request: () => slackSent(SLACK_ACTIONS, click('x'.repeat(70 * KIB)), 'signed'),
    expect: 413,
    problem: 'payload-too-large',
  },
  {
    name: 'a Teams message of 130 KiB',
    request: () => teamsSent(teamsMessage('x'.repeat(130 * KIB)), 'signed'),
    expect: 413,
    problem: 'payload-too-large',
  },
  {
    name: 'a signed Slack command with a query parameter',
    request: () => slackSent(SLACK_COMMANDS, slashCommand('help'), 'signed', { query: '?debug=1' }),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'a signed Slack click with a query parameter',
    request: () => slackSent(SLACK_ACTIONS, click('{}'), 'signed', { query: '?x' }),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'a signed Teams message with a query parameter',
    request: () => teamsSent(teamsMessage('help'), 'signed', '?x=1'),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'a signed Slack command of binary noise',
    request: () => slackSent(SLACK_COMMANDS, randomBytes(512), 'signed'),
    expect: 200,
  },
  {
    name: 'a signed Slack command with control characters',
    request: () => slackSent(SLACK_COMMANDS, slashCommand('add crhost01\u0000 north\u001beurope'), 'signed'),
    expect: 200,
  },
  {
    name: 'a signed, empty Slack command',
    request: () => slackSent(SLACK_COMMANDS, '', 'signed'),
    expect: 200,
  },
  {
    name: 'a signed Slack command of 600 characters',
    request: () => slackSent(SLACK_COMMANDS, slashCommand(`add crhost01 ${'n'.repeat(600)}`), 'signed'),
    expect: 200,
  },
  {
    name: 'a signed Slack click that is not JSON',
    request: () => slackSent(SLACK_ACTIONS, click('{"type":'), 'signed'),
    expect: 200,
  },
  {
    name: 'a signed Slack click nested 8,000 deep',
    request: () => slackSent(SLACK_ACTIONS, click(nested(8000)), 'signed'),
    expect: 200,
  },
  {
    name: 'a signed Slack click with values of the wrong types',
    request: () =>
      slackSent(
        SLACK_ACTIONS,
        click(
          JSON.stringify({
            type: 'block_actions',
            user: [],
            team: 5,
            actions: [{ action_id: {}, value: [] }],
          }),
        ),
        'signed',
      ),
    expect: 200,
  },
  {
    name: 'a signed Teams message that is not JSON',
    request: () => teamsSent('{"text":', 'signed'),
    expect: 200,
  },
  { name: 'a signed Teams message that is null', request: () => teamsSent('null', 'signed'), expect: 200 },
  {
    name: 'a signed Teams message whose text is a number',
    request: () => teamsSent('{"text":5,"from":"x"}', 'signed'),
    expect: 200,
  },
  {
    name: 'a signed Teams message nested 20,000 deep',
    request: () => teamsSent(nested(20000), 'signed'),
    expect: 200,
  },
];

/** The audit export and the desired replica sets' routes: the same rules at their edges. */
const LATER_ROUTES: HostileCase[] = [
  {
    name: 'the audit export with its registry twice',
    request: () =>
      rest(
        'GET',
        `/api/audit/export?registry=${encodeURIComponent(registryTarget())}&registry=${encodeURIComponent(registryTarget())}`,
      ),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'the audit export with an unknown parameter',
    request: () =>
      rest('GET', `/api/audit/export?registry=${encodeURIComponent(registryTarget())}&format=csv`),
    expect: 400,
    problem: 'validation',
  },
  {
    name: 'a declaration of 8 MiB of unknown fields',
    request: () => rest('PUT', `${registryPath()}/desired-replicas`, unknownFields(8 * MIB)),
    expect: 413,
    audited: audit('desired-replicas', registryTarget),
    problem: 'payload-too-large',
  },
  {
    name: 'a declaration that is not JSON',
    request: () => rest('PUT', `${registryPath()}/desired-replicas`, '{"replicas": ['),
    expect: 400,
    audited: audit('desired-replicas', registryTarget),
    problem: 'validation',
  },
  {
    name: 'a declaration sent as text',
    request: () =>
      rest('PUT', `${registryPath()}/desired-replicas`, json({ replicas: [] }), {
        'content-type': 'text/plain',
      }),
    expect: 415,
    audited: audit('desired-replicas', registryTarget),
    problem: 'unsupported-media-type',
  },
  {
    name: 'a declaration read with an unknown parameter',
    request: () => rest('GET', `${registryPath()}/desired-replicas?colour=red`),
    expect: 400,
    audited: audit('desired-replicas', registryTarget),
    problem: 'validation',
  },
  {
    name: 'a declaration deleted with an unknown parameter',
    request: () =>
      rest('DELETE', `${registryPath()}/desired-replicas?force=true`, undefined, { 'if-match': '*' }),
    expect: 400,
    audited: audit('desired-replicas', registryTarget),
    problem: 'validation',
  },
  {
    name: 'the history of a declaration with an unknown parameter',
    request: () => rest('GET', `${registryPath()}/desired-replicas/history?all=1`),
    expect: 400,
    audited: audit('desired-replicas', registryTarget),
    problem: 'validation',
  },
  {
    name: 'a plan with a misspelt flag',
    request: () => rest('GET', `${registryPath()}/desired-replicas/plan?dryrun=true`),
    expect: 400,
    audited: audit('desired-replicas', registryTarget),
    problem: 'validation',
  },
  {
    name: 'an apply with a misspelt dry-run flag',
    request: () => rest('POST', `${registryPath()}/desired-replicas/apply?dryrun=true`),
    expect: 400,
    audited: audit('desired-replicas-apply', registryTarget),
    problem: 'validation',
  },
  {
    name: 'an import with an unknown parameter',
    request: () => rest('POST', `${registryPath()}/desired-replicas/import?overwrite=true`),
    expect: 400,
    audited: audit('desired-replicas', registryTarget),
    problem: 'validation',
  },
];

const CASES: HostileCase[] = [...PARAMETERS, ...BODIES, ...NAMES, ...TOKENS, ...CHAT, ...LATER_ROUTES];

// ---- What must hold -------------------------------------------------------------------------------

describe('hostile input', () => {
  const reached = new Set<string>();

  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, hostile) => {
    const sent = hostile.request();
    const answer = await send(sent);
    const expected = Array.isArray(hostile.expect) ? hostile.expect : [hostile.expect];

    expect(answer.status).toBeLessThan(500);
    expect(expected).toContain(answer.status);
    const operation = documentedOperation(sent.method, sent.path.split('?')[0] ?? sent.path);
    // A 404 without a body is the host's: the request reached no route, so the document has no say.
    if (operation !== undefined && !(answer.status === 404 && answer.text === '')) {
      reached.add(operation);
      expect(departures(sent.method, sent.path, answer)).toEqual([]);
    }
    if (hostile.problem !== undefined) {
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.json<{ type: string }>().type).toBe(`urn:acr-replica-guard:problem:${hostile.problem}`);
    }
    if ((answer.headers.get('content-type') ?? '').includes('problem+json')) {
      expect(answer.text.length).toBeLessThan(8 * KIB);
      expect((answer.json<{ errors?: unknown[] }>().errors ?? []).length).toBeLessThanOrEqual(20);
    }
    hostile.check?.(answer);
  });

  test('the cases reach every route of the OpenAPI document', () => {
    expect([...reached].sort()).toEqual(documentedOperations().sort());
  });

  test('nothing reached ARM but reads', async () => {
    const writes = (await app.sandbox.admin.requests(app.subscriptionId)).requests
      .filter((r) => !['GET', 'HEAD'].includes(r.method))
      .map((r) => `${r.method} ${r.operation}`);
    expect(writes).toEqual([]);
  });

  test('no orchestration was started', async () => {
    const answer = await send({
      method: 'GET',
      path: '/runtime/webhooks/durabletask/instances',
      headers: { 'x-functions-key': MASTER_KEY },
    });
    expect(answer.status).toBe(200);
    expect(answer.json<unknown[]>()).toEqual([]);
  });

  test('every refused change request is in the audit trail, its refusal bounded', async () => {
    const entries: AuditPage['entries'] = [];
    let continuationToken: string | undefined;
    do {
      const page = await app.audit.list(
        {},
        { pageSize: 1000, ...(continuationToken ? { continuationToken } : {}) },
      );
      entries.push(...page.entries);
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);

    const refused = entries.filter((e) => e.channel === 'api' && e.outcome === 'refused');
    const expected = CASES.flatMap((c) => (c.audited === undefined ? [] : [c.audited()]));
    const key = (e: { operation: string; target: string }): string => `${e.operation} ${e.target}`;
    expect(refused.map(key).sort()).toEqual(expected.map(key).sort());
    for (const entry of refused) {
      const detail = entry.detail as { errors?: unknown[]; omittedErrors?: number; status?: number };
      expect(detail.status).toBeGreaterThanOrEqual(400);
      expect((detail.errors ?? []).length).toBeLessThanOrEqual(20);
      expect(JSON.stringify(entry).length).toBeLessThan(16 * KIB);
    }
    expect(refused.some((e) => (e.detail as { omittedErrors?: number }).omittedErrors! > 1000)).toBe(true);
  });
});
