import { TableClient } from '@azure/data-tables';

import { SweepListing } from '../../src/azure/sweepListing';
import { LISTING_PAGE_SIZE } from '../../src/domain';
import type { ListedRegistry } from '../../src/domain';
import { storageConnectionString, uniqueTableName } from '../support/storage';

const listed = (n: number, prefix = 'cr'): ListedRegistry => ({
  registryId: `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/${prefix}${String(n).padStart(5, '0')}`,
  policy: 'auto',
  thresholdMinutes: 60,
});

describe('SweepListing on Azurite', () => {
  let table: TableClient;

  beforeEach(() => {
    table = TableClient.fromConnectionString(storageConnectionString(), uniqueTableName('listing'), {
      allowInsecureConnection: true,
    });
  });

  afterEach(async () => {
    await table.deleteTable();
  });

  test('positions written across pages read back in order, a page at a time', async () => {
    const listing = new SweepListing(table, 'hubone');
    const registries = Array.from({ length: 250 }, (_, n) => listed(n));
    await listing.write('sweep', 0, 0, registries.slice(0, 130));
    await listing.write('sweep', 0, 130, registries.slice(130));

    expect(await listing.read('sweep', 0, 0, LISTING_PAGE_SIZE)).toEqual(registries.slice(0, 100));
    expect(await listing.read('sweep', 0, 120, 140)).toEqual(registries.slice(120, 140));
    expect(await listing.read('sweep', 0, 200, 250)).toEqual(registries.slice(200));
  });

  test('a later sweep overwrites the positions it lists again, and the listings of another source stay apart', async () => {
    const listing = new SweepListing(table, 'hubone');
    await listing.write('sweep', 0, 0, [listed(1), listed(2)]);
    await listing.write('sweep', 1, 0, [listed(9)]);
    await listing.write('sweep', 0, 0, [listed(3)]);

    expect(await listing.read('sweep', 0, 0, 1)).toEqual([listed(3)]);
    expect(await listing.read('sweep', 1, 0, 1)).toEqual([listed(9)]);
  });

  test("apps that share the table (each with its task hub) never read each other's listing of the same operation", async () => {
    const one = new SweepListing(table, 'hubone');
    const two = new SweepListing(table, 'hubtwo');
    await one.write('sweep', 0, 0, [listed(1, 'crone')]);
    await two.write('sweep', 0, 0, [listed(1, 'crtwo')]);

    expect(await one.read('sweep', 0, 0, 1)).toEqual([listed(1, 'crone')]);
    expect(await two.read('sweep', 0, 0, 1)).toEqual([listed(1, 'crtwo')]);
  });
});
