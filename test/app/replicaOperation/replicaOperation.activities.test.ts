import { InvocationContext } from '@azure/functions';

import { startArmOperation } from '../../../src/app/replicaOperation/replicaOperation.activities';
import type { StartArmAction } from '../../../src/app/replicaOperation/replicaOperation.contract';
import { launcherSandbox, seedFleet } from '../../support/appFleet';
import type { TestFleet } from '../../support/appFleet';

// The activity runs in this process against the launcher's ARM sandbox (its clock runs at normal speed,
// so a create stays Creating for the length of the test), with the app's production credential; the
// app's scope (REGISTRY_SCOPE) is the registry's resource group.

let fleet: TestFleet;

beforeAll(async () => {
  fleet = await seedFleet((f) => [
    { id: f.registryId('rg-act', 'cractivity01'), location: 'westeurope', sku: 'Premium', sizeGiB: 100 },
    { id: f.registryId('rg-other', 'cractivity02'), location: 'westeurope', sku: 'Premium' },
  ]);
  process.env.REGISTRY_SCOPE = `/subscriptions/${fleet.subscriptionId}/resourceGroups/rg-act`;
});

const run = async (input: StartArmAction): Promise<unknown> =>
  await startArmOperation(input, new InvocationContext());

describe('starting an ARM write', () => {
  test('a repeated create, as after a lost answer, counts as started rather than failing on the conflict', async () => {
    const input: StartArmAction = {
      replicaId: `${fleet.registryId('rg-act', 'cractivity01')}/replications/northeurope`,
      action: {
        kind: 'create',
        location: 'northeurope',
        settings: { regionEndpointEnabled: true, zoneRedundancy: 'Disabled', tags: {} },
      },
    };

    await expect(run(input)).resolves.toEqual({ started: true });
    await expect(run(input)).resolves.toEqual({ started: true });
  });

  test('a conflict that is not our own operation still fails', async () => {
    const replicaId = `${fleet.registryId('rg-act', 'cractivity01')}/replications/eastus`;
    await run({
      replicaId,
      action: {
        kind: 'create',
        location: 'eastus',
        settings: { regionEndpointEnabled: true, zoneRedundancy: 'Disabled', tags: {} },
      },
    });

    // A PATCH while the replica is still Creating is refused, and Creating is not an update under way.
    await expect(run({ replicaId, action: { kind: 'update', tags: { a: 'b' } } })).rejects.toMatchObject({
      statusCode: 409,
    });
  });

  test.each<[string, StartArmAction['action']]>([
    [
      'create',
      {
        kind: 'create',
        location: 'eastus',
        settings: { regionEndpointEnabled: true, zoneRedundancy: 'Disabled', tags: {} },
      },
    ],
    ['update', { kind: 'update', tags: { a: 'b' } }],
    ['delete', { kind: 'delete' }],
  ])('a %s of a replica outside the scope is refused without calling ARM', async (_kind, action) => {
    const log = async (): Promise<number> =>
      (await launcherSandbox().requests(fleet.subscriptionId)).requests.length;
    const before = await log();

    const result = await run({
      replicaId: `${fleet.registryId('rg-other', 'cractivity02')}/replications/eastus`,
      action,
    });

    expect(result).toMatchObject({ started: false, refusal: 'out-of-scope' });
    expect((result as { reason: string }).reason).toMatch(
      /cractivity02 is outside the scope this app manages \(REGISTRY_SCOPE\)/,
    );
    expect(await log()).toBe(before);
  });
});
