// The sweep's scan schedule without the devhost: the same activities (listing a source, scanning a batch)
// called directly in this process, in the order and with the window the orchestration keeps, so that the
// devhost's share of a sweep's time can be told from the app's own. Run as a child process that trusts
// the sandbox's CA (NODE_EXTRA_CA_CERTS); its settings come in BENCH_DIRECT as JSON, its result on stdout.
import { DefaultAzureCredential } from '@azure/identity';

import { scanRegistriesWith, listSweepSourceWith } from '../../src/app/healing/healSweep.activities';
import type { SweepDependencies } from '../../src/app/healing/healSweep.activities';
import type { ListSourceResult, ScanBatchResult } from '../../src/app/healing/healing.contract';
import { replicaSetDeclarations, replicaSetDriftCheck } from '../../src/app/desiredReplicas/replicaSetDrift';
import { ArmClients } from '../../src/azure/armClients';
import { DesiredReplicaStore } from '../../src/azure/desiredReplicaStore';
import { ReplicaGateway } from '../../src/azure/replicas';
import { SweepListing } from '../../src/azure/sweepListing';
import { WatchStore } from '../../src/azure/watchStore';
import { LISTING_LEAD, fillWindow, parseRegistryScope, refillDue, sweepSources } from '../../src/domain';

export interface DirectSettings {
  armEndpoint: string;
  subscriptionId: string;
  connectionString: string;
  tableName: string;
  parallelism: number;
}

interface Source {
  next?: string;
  listed: boolean;
  written: number;
  dispatched: number;
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.BENCH_DIRECT ?? '{}') as DirectSettings;
  const clients = new ArmClients(new DefaultAzureCredential(), settings.armEndpoint);
  const declarations = DesiredReplicaStore.fromConnectionString(
    settings.connectionString,
    `${settings.tableName}desired`,
  );
  const deps: SweepDependencies = {
    gateway: new ReplicaGateway(clients),
    listing: SweepListing.fromConnectionString(settings.connectionString, settings.tableName, 'direct'),
    store: WatchStore.fromConnectionString(settings.connectionString, settings.tableName),
    budget: clients.budget,
    // The devhost's sweep reads the (empty) declaration table as its scans do; so does this schedule.
    checkDrift: replicaSetDriftCheck(() => declarations),
    declarationsIn: replicaSetDeclarations(() => declarations),
    selection: { policy: 'auto', thresholdMinutes: 0 },
  };
  const sources = sweepSources(parseRegistryScope(settings.subscriptionId));
  const state: Source[] = sources.map(() => ({ listed: false, written: 0, dispatched: 0 }));
  const listing = new Set<number>();
  let inFlight = 0;
  let scanned = 0;
  const queue: Promise<() => void>[] = [];
  const now = new Date().toISOString();
  const started = Date.now();
  const cpuAtStart = process.cpuUsage();

  const dispatch = (): void => {
    state.forEach((source, index) => {
      if (source.listed || listing.has(index) || source.written - source.dispatched >= LISTING_LEAD) return;
      listing.add(index);
      const request = {
        listingKey: 'direct',
        sourceIndex: index,
        source: sources[index]!,
        ...(source.next === undefined ? {} : { next: source.next }),
        start: source.written,
        byTag: true,
      };
      queue.push(
        listSweepSourceWith(deps, request).then((result: ListSourceResult) => () => {
          listing.delete(index);
          source.written += result.written;
          // Without ARM's throttling nothing here stops short for a rest.
          if (result.done) source.listed = true;
          else source.next = result.next;
        }),
      );
    });
    state.forEach((source, index) => {
      // As the sweep does: the window is refilled once half of it is free (or none of it runs).
      const window = settings.parallelism;
      if (!refillDue(window, inFlight)) return;
      for (const batch of fillWindow(source.dispatched, source.written, [], window - inFlight, window)) {
        source.dispatched = batch.to;
        inFlight += batch.slots;
        const scan = {
          listingKey: 'direct',
          sourceIndex: index,
          subscriptionId: settings.subscriptionId,
          ...batch,
          now,
        };
        queue.push(
          scanRegistriesWith(deps, scan).then((result: ScanBatchResult) => () => {
            inFlight -= batch.slots;
            scanned += result.scanned;
          }),
        );
      }
    });
  };

  for (;;) {
    dispatch();
    const next = queue.shift();
    if (next === undefined) break;
    (await next)();
  }
  const scanMs = Date.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuSeconds = Number(((cpu.user + cpu.system) / 1e6).toFixed(2));
  process.stdout.write(`${JSON.stringify({ scanMs, scanned, cpuSeconds })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
