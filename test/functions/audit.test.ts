import { format } from 'node:util';

import { TableClient } from '@azure/data-tables';
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';

import { AuditStore } from '../../src/azure/auditStore';
import { auditPartition, canonicalJson, digest, parseAuditExport } from '../../src/domain';
import type { AuditRecord } from '../../src/domain/audit';
import { exportAudit, listAudit, verifyAudit } from '../../src/functions/audit';
import { withProblems } from '../../src/http/handler';
import { storageConnectionString, uniqueTableName } from '../support/storage';

// The handlers run in this process against Azurite, through the real AuditStore and TableClient.

const SUBSCRIPTION = '00000000-0000-0000-0000-0000000000a1';
const registryIdOf = (name: string): string =>
  `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-prod/providers/Microsoft.ContainerRegistry/registries/${name}`;
const CONTOSO = registryIdOf('contosoacr');
const FABRIKAM = registryIdOf('fabrikamacr');
const PAGED = registryIdOf('pagedacr');
const TAMPERED = registryIdOf('tamperedacr');
const DAMAGED = registryIdOf('damagedacr');

function at(minute: number): string {
  return new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();
}

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    time: at(0),
    actor: { id: 'oid-alice', name: 'alice@contoso.com' },
    channel: 'api',
    operation: 'create',
    target: `${CONTOSO}/replications/westeurope`,
    step: 'requested',
    outcome: 'accepted',
    ...overrides,
  };
}

let table: TableClient;
let store: AuditStore;

beforeAll(async () => {
  table = TableClient.fromConnectionString(storageConnectionString(), uniqueTableName('auditapi'), {
    allowInsecureConnection: true,
  });
  store = new AuditStore(table);
  await store.append(record({ time: at(1), instanceId: 'op-1' }), 'c1');
  await store.append(
    record({
      time: at(2),
      instanceId: 'op-1',
      step: 'completed',
      outcome: 'succeeded',
      detail: { provisioningState: 'Succeeded' },
    }),
    'c2',
  );
  await store.append(
    record({ time: at(3), operation: 'delete', actor: { id: 'oid-bob' }, instanceId: 'op-2' }),
    'c3',
  );
  await store.append(record({ time: at(4), operation: 'heal', channel: 'schedule', target: CONTOSO }), 'c4');
  await store.append(record({ time: at(5), target: FABRIKAM }), 'f1');
  for (let i = 1; i <= 7; i += 1) {
    await store.append(record({ time: at(10 + i), target: PAGED, step: `step-${i}` }), `p${i}`);
  }
});

afterAll(async () => {
  await table.deleteTable();
});

interface Body {
  value: Record<string, unknown>[];
  continuationToken?: string;
  errors?: { field: string; reason: string }[];
  type?: string;
  [member: string]: unknown;
}

interface Answer {
  status: number;
  body: Body;
  headers: Record<string, string>;
  /** What the handler logged through its invocation context, as the host would record it. */
  logs: { level: string; message: string }[];
}

type HandlerFactory = typeof listAudit;

async function call(factory: HandlerFactory, url: string, auditStore = store): Promise<Answer> {
  const handler = withProblems(factory(() => auditStore));
  const request = new HttpRequest({
    method: 'GET',
    url: url.startsWith('http') ? url : `http://localhost${url}`,
  });
  const logs: Answer['logs'] = [];
  const context = new InvocationContext({
    logHandler: (level, ...args) => logs.push({ level, message: format(...args) }),
  });
  const response = (await handler(request, context)) as HttpResponseInit;
  const body = (response.jsonBody ?? JSON.parse(response.body as string)) as Body;
  return {
    status: response.status ?? 200,
    body,
    headers: (response.headers ?? {}) as Record<string, string>,
    logs,
  };
}

function listUrl(params: Record<string, string>): string {
  return `/api/audit?${new URLSearchParams(params).toString()}`;
}

const ids = (body: Body): unknown[] => body.value.map((entry) => entry.entryId);

describe('GET /api/audit', () => {
  test('lists a registry’s entries newest first, its replicas’ entries included', async () => {
    const { status, body, headers } = await call(listAudit, listUrl({ registry: CONTOSO }));

    expect(status).toBe(200);
    expect(ids(body)).toEqual(['c4', 'c3', 'c2', 'c1']);
    expect(body.continuationToken).toBeUndefined();
    expect(headers.link).toBeUndefined();
    expect(body.value[2]).toEqual({
      time: at(2),
      actor: { id: 'oid-alice', name: 'alice@contoso.com' },
      channel: 'api',
      operation: 'create',
      target: `${CONTOSO}/replications/westeurope`,
      instanceId: 'op-1',
      step: 'completed',
      outcome: 'succeeded',
      detail: { provisioningState: 'Succeeded' },
      sequence: 2,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      previousHash: body.value[3]!.hash,
      entryId: 'c2',
    });
    expect(Object.keys(body.value[1]!)).not.toContain('detail');
  });

  test('filters by operation, actor and instance id; a replica id selects its registry', async () => {
    const replica = `${CONTOSO}/replications/westeurope`;
    const deletes = await call(listAudit, listUrl({ registry: replica, operation: 'delete' }));
    const bob = await call(listAudit, listUrl({ registry: CONTOSO, actor: 'oid-bob' }));
    const op1 = await call(listAudit, listUrl({ registry: CONTOSO, instanceId: 'op-1' }));
    const creates = await call(listAudit, listUrl({ operation: 'create', registry: FABRIKAM }));

    expect(ids(deletes.body)).toEqual(['c3']);
    expect(ids(bob.body)).toEqual(['c3']);
    expect(ids(op1.body)).toEqual(['c2', 'c1']);
    expect(ids(creates.body)).toEqual(['f1']);
  });

  test('without a registry, lists entries of every registry', async () => {
    const { body } = await call(
      listAudit,
      listUrl({ operation: 'create', actor: 'oid-alice', pageSize: '1000' }),
    );
    expect([...ids(body)].sort()).toEqual(['c1', 'c2', 'f1', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']);
  });

  test('from and to bound the window, both ends included, in any offset', async () => {
    const { body } = await call(
      listAudit,
      listUrl({ registry: CONTOSO, from: at(2), to: '2026-11-25T11:03:00+01:00' }),
    );
    expect(ids(body)).toEqual(['c3', 'c2']);
  });

  test('pages through three pages by following the Link header, then stops', async () => {
    const pages: Answer[] = [await call(listAudit, listUrl({ registry: PAGED, pageSize: '3' }))];
    for (let next = linkOf(pages[0]!); next !== undefined; next = linkOf(pages[pages.length - 1]!)) {
      expect(new URL(next).searchParams.get('continuationToken')).toBe(
        pages[pages.length - 1]!.body.continuationToken,
      );
      pages.push(await call(listAudit, next));
    }

    expect(pages.map((page) => page.status)).toEqual([200, 200, 200]);
    expect(pages.map((page) => ids(page.body))).toEqual([['p7', 'p6', 'p5'], ['p4', 'p3', 'p2'], ['p1']]);
    expect(pages[2]!.body.continuationToken).toBeUndefined();
  });

  test('the continuation token works as a query parameter and keeps the other filters', async () => {
    const first = await call(listAudit, listUrl({ registry: PAGED, pageSize: '2', from: at(13) }));
    const second = await call(
      listAudit,
      listUrl({
        registry: PAGED,
        pageSize: '2',
        from: at(13),
        continuationToken: first.body.continuationToken!,
      }),
    );

    expect(ids(first.body)).toEqual(['p7', 'p6']);
    expect(ids(second.body)).toEqual(['p5', 'p4']);
    expect(first.body.continuationToken).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test('the Link header does not repeat a function key passed as code', async () => {
    const { headers } = await call(listAudit, `${listUrl({ registry: PAGED, pageSize: '3' })}&code=s3cret`);
    expect(headers.link).toMatch(/^<http:\/\/localhost\/api\/audit\?.*continuationToken=.*>; rel="next"$/);
    expect(headers.link).not.toContain('s3cret');
  });

  test('a token used with other filters than the ones that issued it is refused', async () => {
    const first = await call(listAudit, listUrl({ registry: PAGED, pageSize: '3' }));
    const { status, body } = await call(
      listAudit,
      listUrl({ registry: CONTOSO, pageSize: '3', continuationToken: first.body.continuationToken! }),
    );
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.field)).toEqual(['continuationToken']);
  });

  /** A token whose outer check is right but whose store token is not one the table service issued. */
  const wrapped = (storeToken: string, query: Record<string, unknown> = {}): string =>
    Buffer.from(
      JSON.stringify({
        v: 1,
        s: storeToken,
        c: digest(`${canonicalJson(query)}\n${storeToken}`).slice(0, 32),
      }),
      'utf8',
    ).toString('base64url');
  const base64 = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64');

  test.each([
    ['a store token that is not base64', wrapped('***')],
    ['a store token that is not JSON', wrapped(Buffer.from('{not json', 'utf8').toString('base64'))],
    ['a store token that is a JSON array', wrapped(base64([1, 2]))],
    ['a store token without a partition key', wrapped(base64({ nextRowKey: 'x' }))],
    ['a store token with a key Table Storage forbids', wrapped(base64({ nextPartitionKey: 'a/b' }))],
    [
      'a store token with a key too long for Table Storage',
      wrapped(base64({ nextPartitionKey: 'k'.repeat(600) })),
    ],
    [
      'a store token with a control character in its row key',
      wrapped(base64({ nextPartitionKey: 'p', nextRowKey: 'x\u0001' })),
    ],
    [
      'a store token with members the service never sends',
      wrapped(base64({ nextPartitionKey: 'p', extra: 1 })),
    ],
  ])('%s is a 400 problem, not a storage failure', async (_scenario, token) => {
    const { status, body, headers } = await call(listAudit, listUrl({ continuationToken: token }));
    expect(status).toBe(400);
    expect(headers['content-type']).toBe('application/problem+json');
    expect(body.errors?.map((e) => e.field)).toEqual(['continuationToken']);
  });

  test('a well-formed store token still pages, whoever wraps it', async () => {
    const first = await call(listAudit, listUrl({ registry: PAGED, pageSize: '3' }));
    const inner = JSON.parse(Buffer.from(first.body.continuationToken!, 'base64url').toString('utf8')) as {
      s: string;
    };
    const { status, body } = await call(
      listAudit,
      listUrl({ registry: PAGED, pageSize: '3', continuationToken: wrapped(inner.s, { target: PAGED }) }),
    );
    expect(status).toBe(200);
    expect(ids(body)).toEqual(['p4', 'p3', 'p2']);
  });

  const tooLong = 'x'.repeat(257);
  test.each([
    ['a malformed registry id', { registry: '/subscriptions/nope' }, 'registry'],
    ['a registry name ACR rejects', { registry: registryIdOf('no') }, 'registry'],
    ['a timestamp that is not ISO 8601', { from: '25/11/2026' }, 'from'],
    ['a date the calendar does not have', { to: '2026-02-30T00:00:00Z' }, 'to'],
    ['a time without an offset', { to: '2026-11-25T10:00:00' }, 'to'],
    ['an offset whose + arrived as a space', { from: '2026-11-25T10:00:00 01:00' }, 'from'],
    ['from later than to', { from: at(5), to: at(1) }, 'from'],
    ['pageSize 0', { pageSize: '0' }, 'pageSize'],
    ['pageSize 1001', { pageSize: '1001' }, 'pageSize'],
    ['a pageSize that is not a number', { pageSize: '10abc' }, 'pageSize'],
    ['an unknown parameter', { regsitry: CONTOSO }, 'regsitry'],
    ['a malformed continuation token', { continuationToken: 'not-a-token' }, 'continuationToken'],
    ['a continuation token that is not base64url', { continuationToken: 'a+b/c=' }, 'continuationToken'],
    ['an operation longer than 256 characters', { operation: tooLong }, 'operation'],
    ['an actor longer than 256 characters', { actor: tooLong }, 'actor'],
    ['an empty filter', { operation: '' }, 'operation'],
  ])('%s is a 400 naming the parameter', async (_scenario, params, field) => {
    const { status, body, headers } = await call(listAudit, listUrl(params));
    expect(status).toBe(400);
    expect(headers['content-type']).toBe('application/problem+json');
    expect(body.errors?.map((e) => e.field)).toEqual([field]);
  });

  test('an unencoded + in an offset is explained', async () => {
    const { body } = await call(listAudit, '/api/audit?from=2026-11-25T10:00:00+01:00');
    expect(body.errors?.map((e) => e.field)).toEqual(['from']);
    expect(body.errors?.[0]?.reason).toContain('%2B');
  });

  test('a repeated parameter is a 400 naming it', async () => {
    const { status, body } = await call(listAudit, `/api/audit?registry=${CONTOSO}&registry=${FABRIKAM}`);
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.field)).toEqual(['registry']);
  });

  test('every bad parameter is reported in one answer', async () => {
    const { status, body } = await call(
      listAudit,
      listUrl({ registry: 'x', from: 'yesterday', pageSize: '0', colour: 'blue' }),
    );
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.field).sort()).toEqual(['colour', 'from', 'pageSize', 'registry']);
  });
});

describe('GET /api/audit/verify', () => {
  test('reports an intact chain, then the first entry changed in the table', async () => {
    for (const i of [1, 2, 3]) {
      await store.append(record({ time: at(30 + i), target: `${TAMPERED}/replications/eastus` }), `t${i}`);
    }
    const before = await call(verifyAudit, `/api/audit/verify?registry=${encodeURIComponent(TAMPERED)}`);

    for await (const row of table.listEntities({ queryOptions: { filter: "entryId eq 't2'" } })) {
      await table.updateEntity(
        { partitionKey: row.partitionKey!, rowKey: row.rowKey!, outcome: 'failed' },
        'Merge',
      );
    }
    const after = await call(verifyAudit, `/api/audit/verify?registry=${encodeURIComponent(TAMPERED)}`);

    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      registry: TAMPERED,
      partition: `${SUBSCRIPTION}|rg-prod|tamperedacr`,
      intact: true,
      entries: 3,
      protection: 'unkeyed',
      anchors: { count: 0, unanchoredEntries: 3 },
    });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({
      registry: TAMPERED,
      intact: false,
      entries: 3,
      firstBreak: { kind: 'changed', sequence: 2, entryId: 't2', reason: expect.any(String) as unknown },
    });
  });

  test('a replica id verifies its registry’s chain', async () => {
    const { status, body } = await call(
      verifyAudit,
      `/api/audit/verify?registry=${encodeURIComponent(`${CONTOSO}/replications/westeurope`)}`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      registry: CONTOSO,
      partition: `${SUBSCRIPTION}|rg-prod|contosoacr`,
      intact: true,
      entries: 4,
      protection: 'unkeyed',
      anchors: { count: 0, unanchoredEntries: 4 },
    });
  });

  test.each([
    ['a missing registry', '', 'registry'],
    ['a malformed registry', '?registry=contosoacr', 'registry'],
    ['an unknown parameter', `?registry=${encodeURIComponent(CONTOSO)}&from=${at(1)}`, 'from'],
  ])('%s is a 400 naming the parameter', async (_scenario, query, field) => {
    const { status, body } = await call(verifyAudit, `/api/audit/verify${query}`);
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.field)).toEqual([field]);
  });
});

describe('a damaged row', () => {
  beforeAll(async () => {
    for (const i of [1, 2, 3]) {
      await store.append(
        record({ time: at(40 + i), target: DAMAGED, detail: { n: i }, actor: { id: 'oid-dora' } }),
        `d${i}`,
      );
    }
    for await (const row of table.listEntities({ queryOptions: { filter: "entryId eq 'd2'" } })) {
      await table.updateEntity(
        { partitionKey: row.partitionKey!, rowKey: row.rowKey!, detail: '{"n": 2, cut off' },
        'Merge',
      );
    }
  });

  test('is listed with what can be read, marked damaged', async () => {
    const { status, body } = await call(listAudit, listUrl({ registry: DAMAGED }));

    expect(status).toBe(200);
    expect(ids(body)).toEqual(['d3', 'd2', 'd1']);
    expect(body.value[1]).toEqual({
      time: at(42),
      actor: { id: 'oid-dora' },
      channel: 'api',
      operation: 'create',
      target: DAMAGED,
      step: 'requested',
      outcome: 'accepted',
      sequence: 2,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      previousHash: body.value[2]!.hash,
      entryId: 'd2',
      damaged: ['detail'],
    });
    expect(body.value[0]!.detail).toEqual({ n: 3 });
  });

  test('is reported by verify as changed, with an answer rather than an error', async () => {
    const { status, body } = await call(
      verifyAudit,
      `/api/audit/verify?registry=${encodeURIComponent(DAMAGED)}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      intact: false,
      entries: 3,
      firstBreak: { kind: 'changed', sequence: 2, entryId: 'd2' },
    });
  });

  test('does not stop the registry’s trail: listings across registries and new entries go on', async () => {
    const all = await call(listAudit, listUrl({ actor: 'oid-dora', pageSize: '1000' }));
    await store.append(record({ time: at(44), target: DAMAGED, actor: { id: 'oid-dora' } }), 'd4');
    const after = await call(listAudit, listUrl({ registry: DAMAGED }));

    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual(['d3', 'd2', 'd1']);
    expect(ids(after.body)).toEqual(['d4', 'd3', 'd2', 'd1']);
  });
});

describe('GET /api/audit/export', () => {
  test('hands out the registry’s trail as JSON Lines: header, entries in order, head, seal', async () => {
    const response = (await withProblems(
      exportAudit(
        () => store,
        () => new Date(at(59)),
      ),
    )(
      new HttpRequest({
        method: 'GET',
        url: `http://localhost/api/audit/export?registry=${encodeURIComponent(CONTOSO)}`,
      }),
      new InvocationContext(),
    )) as HttpResponseInit;
    const text = response.body as string;
    const parsed = parseAuditExport(text);

    expect(response.status).toBe(200);
    expect((response.headers as Record<string, string>)['content-type']).toBe('application/x-ndjson');
    expect(parsed.problems).toEqual([]);
    expect(parsed.header).toMatchObject({
      format: 'acr-replica-guard-audit-export',
      version: 1,
      registry: CONTOSO,
      partition: auditPartition(CONTOSO),
      exportedAt: at(59),
      protection: 'unkeyed',
    });
    expect(parsed.evidence.entries.map((e) => e.entryId)).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(parsed.evidence.head).toMatchObject({ sequence: 4 });
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { type: string }).type),
    ).toEqual(['header', 'entry', 'entry', 'entry', 'entry', 'head', 'seal']);
  });

  test('needs a registry', async () => {
    const { status, body } = await call(exportAudit, '/api/audit/export');
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.field)).toEqual(['registry']);
  });
});

describe('an unreachable audit store', () => {
  // Port 9 (discard) has no listener on loopback: the connection is refused at once.
  const unreachable = (): AuditStore =>
    new AuditStore(
      TableClient.fromConnectionString(
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=' +
          'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
          'TableEndpoint=http://127.0.0.1:9/devstoreaccount1;',
        'audit',
        { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
      ),
    );

  test.each([
    ['listing', listAudit, listUrl({ registry: CONTOSO })],
    ['verifying', verifyAudit, `/api/audit/verify?registry=${encodeURIComponent(CONTOSO)}`],
    ['exporting', exportAudit, `/api/audit/export?registry=${encodeURIComponent(CONTOSO)}`],
  ])('makes %s answer 503 problem', async (_scenario, factory, url) => {
    const { status, body, headers } = await call(factory, url, unreachable());
    expect(status).toBe(503);
    expect(headers['content-type']).toBe('application/problem+json');
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
    expect(body.type).toBe('urn:acr-replica-guard:problem:audit-unavailable');
    // A read that fails changed nothing and was not a write: the answer says so.
    expect(body.detail).toBe('The audit trail cannot be read just now. Try again later.');
  });
});

function linkOf(answer: Answer): string | undefined {
  const link = answer.headers.link;
  if (link === undefined) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  if (match === null) throw new Error(`not a next link: ${link}`);
  return match[1];
}
