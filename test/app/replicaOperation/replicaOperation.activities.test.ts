import { InvocationContext } from '@azure/functions';

import { startArmOperation } from '../../../src/app/replicaOperation/replicaOperation.activities';
import type { StartArmAction } from '../../../src/app/replicaOperation/replicaOperation.contract';
import { seedFleet } from '../../support/appFleet';
import type { TestFleet } from '../../support/appFleet';

// The activity runs in this process against the launcher's ARM sandbox (its clock runs at normal speed,
// so a create stays Creating for the length of the test), with the app's production credential.

let fleet: TestFleet;

beforeAll(async () => {
  fleet = await seedFleet((f) => [
    { id: f.registryId('rg-act', 'cractivity01'), location: 'westeurope', sku: 'Premium', sizeGiB: 100 },
  ]);
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

    await run(input);
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
});
