// Without App Service authentication in front of the app (TRUST_APP_SERVICE_AUTH unset), nothing
// removes x-ms-client-principal* headers a caller sends, so any key holder could name any actor: the
// app records a key caller as `function-key`, whatever headers it sends. Against the real app on the
// devhost, with function keys enforced as in Azure.
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';

const RG = 'rg-caller';
const KEY = 'caller-test-function-key';
const FORGED = {
  'x-ms-client-principal-id': 'oid-of-the-ceo',
  'x-ms-client-principal-name': 'ceo@contoso.com',
  'x-ms-client-principal': Buffer.from(
    JSON.stringify({
      claims: [
        { typ: 'oid', val: 'oid-of-the-ceo' },
        { typ: 'name', val: 'Head of Platform' },
      ],
    }),
  ).toString('base64'),
};

let app: AppHarness;

beforeAll(async () => {
  app = await startApp((id) => [{ id: id(RG, 'crcaller01'), location: 'westeurope', sku: 'Premium' }], {
    env: { DEVHOST_FUNCTION_KEY: KEY },
  });
});

afterAll(async () => {
  await app?.stop();
});

async function finished(operation: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = await app.api(`/api/operations/${encodeURIComponent(operation)}`, {
      headers: { 'x-functions-key': KEY },
    });
    if (view.json<{ runtimeStatus: string }>().runtimeStatus === 'Completed') return;
    if (Date.now() > deadline) throw new Error(`not finished: ${view.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a key holder sending principal headers is recorded as the function-key holder, in every audit entry of what it started', async () => {
  const created = await app.api(`/api/registries/${app.subscriptionId}/${RG}/crcaller01/replicas`, {
    method: 'POST',
    body: { location: 'northeurope' },
    headers: { 'x-functions-key': KEY, ...FORGED },
  });
  expect(created.status).toBe(202);
  const operation = created.json<{ operationId: string }>().operationId;
  await finished(operation);

  const trail = await app.audit.listByInstance(app.registryId(RG, 'crcaller01'), operation);
  expect(trail.length).toBeGreaterThan(2);
  expect(new Set(trail.map((e) => JSON.stringify(e.actor)))).toEqual(
    new Set([JSON.stringify({ id: 'function-key', name: 'function key holder' })]),
  );
  expect((await app.audit.list({ actor: 'oid-of-the-ceo' })).entries).toEqual([]);
});
