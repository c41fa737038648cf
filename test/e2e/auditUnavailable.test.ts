// Nothing changes without an audit trail: when the audit table cannot be reached, a change request is
// refused with 503 before any write reaches ARM, and no operation starts.
import { parseReplicaId, replicaInstanceId } from '../../src/domain';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-audit';
// Azurite's published development account, at a port where nothing listens.
const UNREACHABLE_AUDIT_STORAGE =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
  'TableEndpoint=http://127.0.0.1:9/devstoreaccount1;';

let app: AppHarness;

beforeAll(async () => {
  app = await startApp(
    (id) => [
      { id: id(RG, 'craudit01'), location: 'westeurope', sku: 'Premium', replicas: [{ location: 'eastus' }] },
    ],
    { env: { AUDIT_STORAGE: UNREACHABLE_AUDIT_STORAGE } },
  );
});

afterAll(async () => {
  await app?.stop();
});

const replicas = (): string => `/api/registries/${app.subscriptionId}/${RG}/craudit01/replicas`;

const armWrites = async (): Promise<string[]> =>
  (await app.sandbox.admin.requests(app.subscriptionId)).requests
    .filter((r) => !['GET', 'HEAD'].includes(r.method))
    .map((r) => `${r.method} ${r.operation}`);

describe('with the audit trail unreachable', () => {
  test.each([
    ['a create', 'POST', '', { location: 'northeurope' }],
    ['an update', 'PATCH', '/eastus', { tags: { tier: 'gold' } }],
    ['a delete', 'DELETE', '/eastus', undefined],
  ])('%s is refused with 503 audit-unavailable and changes nothing', async (_name, method, suffix, body) => {
    const answer = await app.api(`${replicas()}${suffix}`, {
      method,
      ...(body === undefined ? {} : { body }),
    });

    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answer.json()).toMatchObject({
      type: 'urn:acr-replica-guard:problem:audit-unavailable',
      status: 503,
    });
    expect(await armWrites()).toEqual([]);
  });

  test('no operation was started, and the replicas are as seeded', async () => {
    const names = (await app.api(replicas())).json<{ value: { name: string }[] }>().value.map((r) => r.name);
    expect(names.sort()).toEqual(['eastus', 'westeurope']);

    for (const replica of ['northeurope', 'eastus']) {
      const id = replicaInstanceId(
        parseReplicaId(`${app.registryId(RG, 'craudit01')}/replications/${replica}`),
      );
      expect((await app.api(`/api/operations/${encodeURIComponent(id)}`)).status).toBe(404);
    }
  });
});
