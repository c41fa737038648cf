// The sweep's drift check with the declarations a scan batch read for its whole subscription: a registry
// whose declaration the batch has is checked without a read of its own, and a subscription read that
// fails leaves each registry to read its own (the check never fails a scan). On Azurite; the unreachable
// store is a real client pointed at a port where nothing listens (test/support/storage).
import { TableClient } from '@azure/data-tables';

import { DesiredReplicaStore } from '../../../src/azure/desiredReplicaStore';
import type { DeclarationVersion } from '../../../src/azure/desiredReplicaStore';
import {
  replicaSetDeclarations,
  replicaSetDriftCheck,
} from '../../../src/app/desiredReplicas/replicaSetDrift';
import { diffDeclarations, parseDesiredReplicaSet, parseRegistryId } from '../../../src/domain';
import type { ReplicaView } from '../../../src/domain';
import { storageConnectionString, uniqueTableName, unreachableTableClient } from '../../support/storage';
import { replicaView } from '../../support/replicaView';

const SUB = '00000000-0000-0000-0000-00000000d1f7';
const registryText = `/subscriptions/${SUB}/resourceGroups/rg-drift/providers/Microsoft.ContainerRegistry/registries/crdrift01`;
const registry = parseRegistryId(registryText);
const quiet = parseRegistryId(registryText.replace('crdrift01', 'crquiet01'));

const declaration = parseDesiredReplicaSet({ replicas: [{ location: 'eastus' }, { location: 'uksouth' }] });
const declared: DeclarationVersion = {
  version: 1,
  declaration,
  homeRegion: 'westeurope',
  changedBy: { id: 'oid-alice', name: 'alice' },
  changedAt: '2026-11-25T10:00:00.000Z',
  change: 'put',
  diff: diffDeclarations(undefined, declaration),
};

const replica = (location: string): ReplicaView =>
  replicaView(location, { id: `${registryText}/replications/${location}` });

/** Only eastus is there: uksouth is missing. */
const listed = (): Promise<ReplicaView[]> => Promise.resolve([replica('westeurope'), replica('eastus')]);

const unreachable = new DesiredReplicaStore(unreachableTableClient('unreachable'));

describe('the drift check with declarations read for a whole subscription', () => {
  let table: TableClient;
  let store: DesiredReplicaStore;

  beforeEach(async () => {
    table = TableClient.fromConnectionString(storageConnectionString(), uniqueTableName('drift'), {
      allowInsecureConnection: true,
    });
    store = new DesiredReplicaStore(table);
    await store.write(registry, {}, declared);
  });

  afterEach(async () => {
    await table.deleteTable();
  });

  test('one read gives each registry its declaration, and the check finds the drift from it', async () => {
    const of = await replicaSetDeclarations(() => store)(SUB);
    expect(of).toBeDefined();
    const finding = await replicaSetDriftCheck(() => store)(registry, listed(), of!(registry));
    expect(finding).toMatchObject({ registryId: registryText, declarationVersion: 1, previousDigest: '' });
    expect(finding?.drift.missing).toEqual(['uksouth']);
    expect(await replicaSetDriftCheck(() => store)(quiet, listed(), of!(quiet))).toBeUndefined();
  });

  test('a declaration the batch read is not read again: the check works with a store it cannot reach', async () => {
    const of = await replicaSetDeclarations(() => store)(SUB);
    const finding = await replicaSetDriftCheck(() => unreachable)(registry, listed(), of!(registry));
    expect(finding?.drift.missing).toEqual(['uksouth']);
  });

  test('a subscription read that fails gives no lookup, and each registry then reads its own', async () => {
    expect(await replicaSetDeclarations(() => unreachable)(SUB)).toBeUndefined();
    const finding = await replicaSetDriftCheck(() => store)(registry, listed(), undefined);
    expect(finding?.drift.missing).toEqual(['uksouth']);
  });
});
