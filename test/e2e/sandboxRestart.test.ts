// Azure does not forget a grant or a deletion when a local process restarts. With its state kept in a
// file (as `npm start` keeps it), the ARM sandbox restarted in the middle of a heal comes back as it
// was: the heal, waiting for its grant to take effect, goes on and heals the replica. A sandbox that
// started afresh would put the replica back into its stuck state with the grant forgotten.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { APP_IDENTITY } from '../support/appFleet';
import { CREATE_OWN_ROLE, rbacAdministration } from '../support/rbacAdministration';
import { startApp } from './appHarness';
import type { AppHarness } from './appHarness';
import { healRequest, healResult, startHeal } from './healHarness';

const RG = 'rg-restart';

let app: AppHarness;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-restart-'));
  app = await startApp(
    (id, subscriptionId) => [
      {
        id: id(RG, 'crrestart01'),
        location: 'westeurope',
        sku: 'Premium',
        privateEndpoints: [
          `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-restart`,
        ],
        replicas: [{ location: 'northeurope', creating: { createdBy: APP_IDENTITY.objectId } }],
      },
    ],
    {
      seed: rbacAdministration,
      env: CREATE_OWN_ROLE,
      // The grant takes about a second and a half of wall time to take effect: the restart falls inside.
      sandbox: { rbacPropagationSeconds: 1500, statePath: path.join(dir, 'sandbox-state.json') },
    },
  );
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function granted(): Promise<boolean> {
  const log = await app.sandbox.admin.requests(app.subscriptionId);
  return log.requests.some((r) => r.operation === 'RoleAssignments_Create' && r.status === 201);
}

test('a heal goes on to heal the replica across a restart of the sandbox while its grant propagates', async () => {
  const replicaId = `${app.registryId(RG, 'crrestart01')}/replications/northeurope`;
  await startHeal(
    app,
    healRequest(replicaId, {
      thresholdMinutes: 1,
      maxAttempts: 1,
      polling: { ...healRequest(replicaId).polling, maxSeconds: 1 },
    }),
    'heal-restart',
  );
  const deadline = Date.now() + 30_000;
  while (!(await granted())) {
    if (Date.now() > deadline) throw new Error('the heal never granted the permission');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  await app.restartSandbox();

  expect(await healResult(app, 'heal-restart')).toMatchObject({ outcome: 'healed' });
  const list = (await app.api(`/api/registries/${app.subscriptionId}/${RG}/crrestart01/replicas`)).json<{
    value: { name: string; provisioningState: string }[];
  }>();
  expect(list.value.find((r) => r.name === 'northeurope')?.provisioningState).toBe('Succeeded');
});
