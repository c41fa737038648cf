// The sweep's scanning path at fleet scale, run in a process that trusts the sandbox CA (the launcher
// sets NODE_EXTRA_CA_CERTS, Azurite and the settings): an in-process ARM sandbox seeded with 1,000 Premium
// registries of 5 replicas each and a fixed latency on every ARM call, then the activities' own code
// (listSweepRegistriesWith, scanRegistryWith) driven with HEAL_PARALLELISM scans in flight. Two passes:
// the first starts the watch clock, the second (two hours later by the sweep's clock) confirms suspects.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import path from 'node:path';

import { listSweepRegistriesWith, scanRegistryWith } from '../../src/app/healing/healSweep.activities';
import type { ScanResult } from '../../src/app/healing/healing.contract';
import { ArmClients } from '../../src/azure/armClients';
import { mapWithLimit } from '../../src/azure/fleet';
import { ReplicaGateway } from '../../src/azure/replicas';
import { WatchStore } from '../../src/azure/watchStore';
import { healParallelism } from '../../src/config/settings';
import { auditStorageSettings } from '../../src/config/storageSettings';
import { tableClientFor } from '../../src/azure/storageClients';
import { startSandbox } from '@acr-replica-guard/sandbox';
import type { SeedRegistry } from '@acr-replica-guard/sandbox';
import { DefaultAzureCredential } from '@azure/identity';

const REGISTRIES = 1000;
const LOCATIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2'];
const LATENCY_MS = 20;
const STUCK_EVERY = 100; // 10 registries with a replica stuck in Creating (private endpoint)
const FAILED_EVERY = 200; // 5 with a Failed replica
const APP = { objectId: randomUUID(), appId: randomUUID(), displayName: 'bench-app', systemAssigned: true };

function fleet(subscriptionId: string): SeedRegistry[] {
  return Array.from({ length: REGISTRIES }, (_, i) => {
    const [home = 'westeurope', ...others] = LOCATIONS;
    const id = `/subscriptions/${subscriptionId}/resourceGroups/rg-${i % 20}/providers/Microsoft.ContainerRegistry/registries/cr${String(i).padStart(4, '0')}`;
    const stuck = i % STUCK_EVERY === 7;
    const failed = i % FAILED_EVERY === 13;
    return {
      id,
      location: home,
      sku: 'Premium',
      ...(stuck
        ? {
            privateEndpoints: [
              `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-${i}`,
            ],
          }
        : {}),
      replicas: others.map((location, r) => ({
        location,
        ...(stuck && r === 0 ? { creating: { createdBy: APP.objectId } } : {}),
        ...(failed && r === 1 ? { failed: true } : {}),
      })),
    };
  });
}

async function main(out: string): Promise<void> {
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (ca === undefined) throw new Error('run under the stand-ins launcher (NODE_EXTRA_CA_CERTS)');
  const subscriptionId = randomUUID();
  const sandbox = await startSandbox({
    port: 0,
    tlsDir: path.dirname(ca),
    pageSize: 100,
    seed: {
      principals: [APP],
      subscriptions: [{ subscriptionId, locations: LOCATIONS }],
      roleDefinitions: [
        {
          roleName: 'bench operator',
          permissions: [{ actions: ['Microsoft.ContainerRegistry/*', '*/read'] }],
          assignableScopes: [`/subscriptions/${subscriptionId}`],
        },
      ],
      roleAssignments: [
        { principalId: APP.objectId, role: 'bench operator', scope: `/subscriptions/${subscriptionId}` },
      ],
      registries: fleet(subscriptionId),
      faults: [{ kind: 'latency', latencyMs: LATENCY_MS, match: { subscriptionId } }],
    },
  });
  try {
    process.env.IDENTITY_ENDPOINT = sandbox.identityEndpoint;
    process.env.IDENTITY_HEADER = sandbox.identityHeader;
    const gateway = new ReplicaGateway(new ArmClients(new DefaultAzureCredential(), sandbox.url));
    const store = new WatchStore(
      tableClientFor(auditStorageSettings(), `benchwatch${randomUUID().slice(0, 8)}`),
    );
    const parallelism = healParallelism();
    const admin = async (method: string, route: string): Promise<{ counts: Record<string, number> }> => {
      const text = await (await fetch(`${sandbox.url}/admin${route}`, { method })).text();
      return (text === '' ? { counts: {} } : JSON.parse(text)) as { counts: Record<string, number> };
    };

    const listStarted = Date.now();
    const registries = await listSweepRegistriesWith(gateway, {
      scope: { subscriptions: [subscriptionId], resourceGroups: [], registries: [] },
      policy: 'auto',
      thresholdMinutes: 60,
    });
    const listMs = Date.now() - listStarted;
    await admin('DELETE', '/requests');

    const t0 = Date.now();
    const pass = async (now: string): Promise<Record<string, unknown>> => {
      await admin('DELETE', '/requests');
      const started = Date.now();
      const scans: ScanResult[] = await mapWithLimit(registries, parallelism, (r) =>
        scanRegistryWith(gateway, store, {
          registryId: r.registryId,
          now,
          thresholdMinutes: r.thresholdMinutes,
        }),
      );
      const wallMs = Date.now() - started;
      const { counts } = await admin('GET', `/requests?subscriptionId=${subscriptionId}`);
      const lists = counts['Replications_List 200'] ?? 0;
      const gets = counts['Replications_Get 200'] ?? 0;
      const suspects = scans.reduce((n, s) => n + s.suspects.length, 0);
      const idealMs = (registries.length * LATENCY_MS) / parallelism;
      return {
        registries: registries.length,
        suspects,
        armRequests: counts,
        listsPerRegistry: lists / registries.length,
        getsPerSuspect: suspects === 0 ? gets : gets / suspects,
        armRequestsPerRegistry: (lists + gets) / registries.length,
        withinRequestTarget: lists <= registries.length && gets <= suspects,
        wallMs,
        idealMs,
        ratioToIdeal: Number((wallMs / idealMs).toFixed(2)),
        withinTimeTarget: wallMs <= idealMs * 1.5,
      };
    };
    const first = await pass(new Date(t0).toISOString());
    const second = await pass(new Date(t0 + 2 * 3600_000).toISOString());

    const result = {
      mode: 'activities called directly in one process (no devhost): listSweepRegistriesWith, then scanRegistryWith per registry via mapWithLimit; real ARM SDK over HTTPS to an in-process sandbox, watch store on Azurite',
      fleet: {
        registries: REGISTRIES,
        replicasPerRegistry: LOCATIONS.length,
        stuckRegistries: REGISTRIES / STUCK_EVERY,
        failedRegistries: REGISTRIES / FAILED_EVERY,
      },
      latencyMsPerArmCall: LATENCY_MS,
      parallelism,
      sandboxPageSize: 100,
      listRegistriesMs: listMs,
      firstPass: first,
      secondPassTwoHoursLater: second,
    };
    fs.writeFileSync(out, JSON.stringify(result));
  } finally {
    await sandbox.close();
  }
}

main(process.argv[2] ?? 'sweep-bench.json').catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
