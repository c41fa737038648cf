// A sweep's scan batch holding several slots of its window, run in this process against the launcher's
// ARM sandbox (over HTTPS, with the app's production credential) and Azurite: the batch keeps as many
// registries in flight as it holds slots and never more, scans each registry once, and when one slot
// meets a rest (ARM answers 429 with a Retry-After longer than a sweep may wait) the others take nothing
// more and the batch puts back exactly the positions it did not finish. The only thing wrapped is the
// gateway's listReplicas, to count the lists in flight; every call still goes to the sandbox.
import { randomUUID } from 'node:crypto';

import { listSweepSourceWith, scanRegistriesWith } from '../../../src/app/healing/healSweep.activities';
import type { SweepDependencies } from '../../../src/app/healing/healSweep.activities';
import type { ScanBatch, ScanBatchResult } from '../../../src/app/healing/healing.contract';
import {
  replicaSetDeclarations,
  replicaSetDriftCheck,
} from '../../../src/app/desiredReplicas/replicaSetDrift';
import { ArmBudget } from '../../../src/azure/armBudget';
import { ArmClients, armClients } from '../../../src/azure/armClients';
import { DesiredReplicaStore } from '../../../src/azure/desiredReplicaStore';
import { ReplicaGateway } from '../../../src/azure/replicas';
import { SweepListing } from '../../../src/azure/sweepListing';
import { WatchStore } from '../../../src/azure/watchStore';
import type { PositionRange } from '../../../src/domain';
import { launcherSandbox, seedFleet } from '../../support/appFleet';
import type { TestFleet } from '../../support/appFleet';
import { storageConnectionString, uniqueTableName } from '../../support/storage';

const REGISTRIES = 30;
const GROUP = 'rg-slots';
const name = (n: number): string => `crslot${String(n).padStart(4, '0')}`;

let fleet: TestFleet;

beforeAll(async () => {
  fleet = await seedFleet((f) =>
    Array.from({ length: REGISTRIES }, (_, n) => ({
      id: f.registryId(GROUP, name(n)),
      location: 'westeurope',
      sku: 'Premium' as const,
      replicas: [{ location: 'northeurope' }],
    })),
  );
});

interface Scanner {
  deps: SweepDependencies;
  listingKey: string;
  /** Lists of replicas in flight at most so far. */
  mostInFlight: () => number;
}

/** A gateway with a budget of its own, counting the lists of replicas it has in flight. */
function countingGateway(): { gateway: ReplicaGateway; budget: ArmBudget; mostInFlight: () => number } {
  const shared = armClients();
  const clients = new ArmClients(shared.credential, shared.endpoint, new ArmBudget());
  const gateway = new ReplicaGateway(clients);
  let inFlight = 0;
  let most = 0;
  const list = gateway.listReplicas.bind(gateway);
  gateway.listReplicas = async (registry) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    try {
      return await list(registry);
    } finally {
      inFlight -= 1;
    }
  };
  return { gateway, budget: clients.budget, mostInFlight: () => most };
}

/** The activity's dependencies, with a budget of its own, and the fleet's resource group listed. */
async function scanner(): Promise<Scanner> {
  const { gateway, budget, mostInFlight } = countingGateway();
  const connection = storageConnectionString();
  const table = uniqueTableName('slots');
  const declarations = DesiredReplicaStore.fromConnectionString(connection, `${table}desired`);
  const deps: SweepDependencies = {
    gateway,
    listing: SweepListing.fromConnectionString(connection, table, 'slots'),
    store: WatchStore.fromConnectionString(connection, table),
    budget,
    checkDrift: replicaSetDriftCheck(() => declarations),
    declarationsIn: replicaSetDeclarations(() => declarations),
    selection: { policy: 'auto', thresholdMinutes: 60 },
  };
  const listingKey = randomUUID();
  let written = 0;
  for (let next: string | undefined, done = false; !done;) {
    const listed = await listSweepSourceWith(deps, {
      listingKey,
      sourceIndex: 0,
      source: { kind: 'resourceGroup', subscriptionId: fleet.subscriptionId, resourceGroup: GROUP },
      ...(next === undefined ? {} : { next }),
      start: written,
      byTag: false,
    });
    written += listed.written;
    next = listed.next;
    done = listed.done;
  }
  expect(written).toBe(REGISTRIES);
  return { deps, listingKey, mostInFlight };
}

const batch = (listingKey: string, range: PositionRange, slots?: number): ScanBatch => ({
  listingKey,
  sourceIndex: 0,
  subscriptionId: fleet.subscriptionId,
  ...range,
  ...(slots === undefined ? {} : { slots }),
  now: new Date().toISOString(),
});

const size = (ranges: readonly PositionRange[]): number => ranges.reduce((n, r) => n + r.to - r.from, 0);

/** Lists of each registry ARM answered 200 since `from` (an index into the subscription's request log). */
async function listsByRegistry(from: number): Promise<Map<string, number>> {
  const log = await launcherSandbox().requests(fleet.subscriptionId);
  const counts = new Map<string, number>();
  for (const request of log.requests.slice(from)) {
    if (request.operation !== 'Replications_List' || request.status !== 200) continue;
    const registry = /\/registries\/([^/]+)\//i.exec(request.path)?.[1]?.toLowerCase() ?? '';
    counts.set(registry, (counts.get(registry) ?? 0) + 1);
  }
  return counts;
}

const logLength = async (): Promise<number> =>
  (await launcherSandbox().requests(fleet.subscriptionId)).requests.length;

test('a batch of four slots keeps four lists in flight, never more, and scans each registry once', async () => {
  const { deps, listingKey, mostInFlight } = await scanner();
  const before = await logLength();

  const result = await scanRegistriesWith(deps, batch(listingKey, { from: 0, to: REGISTRIES }, 4));

  expect(result).toMatchObject({ scanned: REGISTRIES, failures: [], suspects: [] });
  expect(result.restMs).toBeUndefined();
  expect(result.unscanned).toBeUndefined();
  expect(mostInFlight()).toBe(4);
  const lists = await listsByRegistry(before);
  expect(lists.size).toBe(REGISTRIES);
  expect([...lists.values()].every((n) => n === 1)).toBe(true);
});

test('a batch without slots, as sweeps started before them send, scans one registry at a time', async () => {
  const { deps, listingKey, mostInFlight } = await scanner();

  const result = await scanRegistriesWith(deps, batch(listingKey, { from: 3, to: 9 }));

  expect(result.scanned).toBe(6);
  expect(mostInFlight()).toBe(1);
});

test('a rest met by one slot stops the others, and the positions put back are exactly those not scanned', async () => {
  const { deps, listingKey } = await scanner();
  const listed = await deps.listing.read(listingKey, 0, 0, REGISTRIES);
  const throttledAt = 9;
  const throttledName = listed[throttledAt]?.registryId.split('/').at(-1) ?? '';
  // One 429 for that registry's list, asking for longer than a sweep's read may wait.
  const fault = await launcherSandbox().call('POST', '/faults', {
    kind: 'throttle',
    retryAfterSeconds: 3,
    count: 1,
    match: {
      subscriptionId: fleet.subscriptionId,
      pathIncludes: `/registries/${throttledName}/replications`,
    },
  });
  expect(fault.status).toBe(201);
  const before = await logLength();

  const first = await scanRegistriesWith(deps, batch(listingKey, { from: 0, to: REGISTRIES }, 4));

  expect(first.restMs).toBe(3000);
  const unscanned = first.unscanned ?? [];
  expect(unscanned.some((r) => r.from <= throttledAt && throttledAt < r.to)).toBe(true);
  // In order, apart, inside the batch, and together with what was scanned the whole batch.
  unscanned.forEach((r, i) => {
    expect(r.from).toBeLessThan(r.to);
    expect(r.from).toBeGreaterThanOrEqual((unscanned[i - 1]?.to ?? -1) + 1);
  });
  expect(unscanned.at(-1)?.to ?? 0).toBeLessThanOrEqual(REGISTRIES);
  expect(first.scanned + size(unscanned)).toBe(REGISTRIES);
  expect(first.scanned).toBeLessThan(REGISTRIES);

  // Once the subscription has rested (here: a budget of its own), what was put back is scanned.
  const { gateway, budget } = countingGateway();
  const again: ScanBatchResult[] = [];
  for (const range of unscanned) {
    again.push(await scanRegistriesWith({ ...deps, gateway, budget }, batch(listingKey, range, 4)));
  }
  expect(again.every((r) => r.restMs === undefined)).toBe(true);
  expect(again.reduce((n, r) => n + r.scanned, 0)).toBe(size(unscanned));

  // Every registry was listed; no more than one list per slot was spent on a registry put back.
  const lists = await listsByRegistry(before);
  expect(lists.size).toBe(REGISTRIES);
  const extra = [...lists.values()].reduce((n, count) => n + count - 1, 0);
  expect(extra).toBeLessThanOrEqual(4);
});
