// The sweep's scan with and without the desired-replica drift check, over 1,000 Premium registries with 5
// replicas each and a declaration each (some drifted: a region missing, an extra replica, a zone
// redundancy that differs), in a process that trusts the sandbox CA. Both passes run the scan activity's
// own code (scanRegistryWith) with HEAL_PARALLELISM scans in flight against an in-process sandbox; the
// sandbox's request log counts every ARM request. Exits non-zero when the drift check adds any.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import path from 'node:path';

import { DefaultAzureCredential } from '@azure/identity';
import { startSandbox } from '@acr-replica-guard/sandbox';
import type { SeedRegistry } from '@acr-replica-guard/sandbox';

import { scanRegistryWith } from '../../src/app/healing/healSweep.activities';
import { replicaSetDriftCheck } from '../../src/app/desiredReplicas/replicaSetDrift';
import { ArmClients } from '../../src/azure/armClients';
import { DesiredReplicaStore } from '../../src/azure/desiredReplicaStore';
import { mapWithLimit } from '../../src/azure/fleet';
import { ReplicaGateway } from '../../src/azure/replicas';
import { WatchStore } from '../../src/azure/watchStore';
import { healParallelism } from '../../src/config/settings';
import { diffDeclarations, parseDesiredReplicaSet, parseRegistryId } from '../../src/domain';

/** The launcher's Azurite (a connection string: the benchmark runs on the local stand-ins only). */
function storageConnection(): string {
  const value = process.env.AzureWebJobsStorage;
  if (value === undefined || value === '') throw new Error('AzureWebJobsStorage is not set');
  return value;
}

const REGISTRIES = 1000;
const LOCATIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2'];
const MISSING_EVERY = 100; // 10 registries lack a declared region
const EXTRA_EVERY = 200; // 5 have a replica the declaration does not list
const ZONES_EVERY = 250; // 4 have a replica whose zone redundancy differs
const APP = { objectId: randomUUID(), appId: randomUUID(), displayName: 'bench-app', systemAssigned: true };

function registryAt(subscriptionId: string, i: number): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/rg-${i % 20}/providers/Microsoft.ContainerRegistry/registries/cr${String(i).padStart(4, '0')}`;
}

function fleet(subscriptionId: string): SeedRegistry[] {
  return Array.from({ length: REGISTRIES }, (_, i) => {
    const [home = 'westeurope', ...others] = LOCATIONS;
    const missing = i % MISSING_EVERY === 3;
    const zones = i % ZONES_EVERY === 11;
    return {
      id: registryAt(subscriptionId, i),
      location: home,
      sku: 'Premium',
      replicas: others
        .filter((_, r) => !(missing && r === 0))
        .map((location, r) => ({
          location,
          ...(zones && r === 1 ? { zoneRedundancy: 'Enabled' as const } : {}),
        })),
    };
  });
}

/** Each registry's declaration: its home and the three regions every registry should have. */
function declared(i: number): unknown {
  const extra = i % EXTRA_EVERY === 7;
  const regions = extra ? LOCATIONS.slice(0, 4) : LOCATIONS;
  return {
    defaults: { zoneRedundancy: 'Disabled' },
    replicas: regions.map((location) => ({ location })),
    drift: 'report',
  };
}

async function main(out: string): Promise<void> {
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (ca === undefined) throw new Error('run under the stand-ins launcher (NODE_EXTRA_CA_CERTS)');
  const subscriptionId = randomUUID();
  const sandbox = await startSandbox({
    port: 0,
    tlsDir: path.dirname(ca),
    pageSize: 100,
    // Requests are counted here, not paced: the scans call ARM without the sweep's budget, so ARM's token
    // bucket would answer most of 2,000 quick lists 429 (the sweep benchmark covers the bucket).
    throttling: false,
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
    },
  });
  try {
    process.env.IDENTITY_ENDPOINT = sandbox.identityEndpoint;
    process.env.IDENTITY_HEADER = sandbox.identityHeader;
    const gateway = new ReplicaGateway(new ArmClients(new DefaultAzureCredential(), sandbox.url));
    const suffix = randomUUID().slice(0, 8);
    const watch = WatchStore.fromConnectionString(storageConnection(), `benchwatch${suffix}`);
    const declarations = DesiredReplicaStore.fromConnectionString(
      storageConnection(),
      `benchdesired${suffix}`,
    );
    const registries = Array.from({ length: REGISTRIES }, (_, i) => registryAt(subscriptionId, i));
    await mapWithLimit(
      registries.map((registryId, i) => ({ registryId, i })),
      16,
      async ({ registryId, i }) => {
        const declaration = parseDesiredReplicaSet(declared(i));
        await declarations.write(
          parseRegistryId(registryId),
          {},
          {
            version: 1,
            declaration,
            homeRegion: 'westeurope',
            changedBy: { id: 'bench' },
            changedAt: new Date().toISOString(),
            change: 'put',
            diff: diffDeclarations(undefined, declaration),
          },
        );
      },
    );

    const parallelism = healParallelism();
    const admin = async (method: string, route: string): Promise<{ counts: Record<string, number> }> => {
      const text = await (await fetch(`${sandbox.url}/admin${route}`, { method })).text();
      return (text === '' ? { counts: {} } : JSON.parse(text)) as { counts: Record<string, number> };
    };
    const pass = async (withDrift: boolean): Promise<Record<string, unknown>> => {
      await admin('DELETE', '/requests');
      const check = withDrift ? replicaSetDriftCheck(() => declarations) : () => Promise.resolve(undefined);
      const started = Date.now();
      const scans = await mapWithLimit(registries, parallelism, (registryId) =>
        scanRegistryWith(
          gateway,
          watch,
          { registryId, now: new Date().toISOString(), thresholdMinutes: 60 },
          (read) => read(),
          check,
        ),
      );
      const wallMs = Date.now() - started;
      const { counts } = await admin('GET', `/requests?subscriptionId=${subscriptionId}`);
      const findings = scans.flatMap((scan) => (scan.drift === undefined ? [] : [scan.drift]));
      return {
        armRequests: counts,
        armRequestsTotal: Object.values(counts).reduce((a, b) => a + b, 0),
        listsPerRegistry: (counts['Replications_List 200'] ?? 0) / registries.length,
        drifted: findings.length,
        missing: findings.reduce((n, f) => n + f.drift.missing.length, 0),
        extra: findings.reduce((n, f) => n + f.drift.extra.length, 0),
        misconfigured: findings.reduce((n, f) => n + f.drift.misconfigured.length, 0),
        wallMs,
      };
    };
    const without = await pass(false);
    const withDrift = await pass(true);
    const sameRequests =
      JSON.stringify(without.armRequests) === JSON.stringify(withDrift.armRequests) &&
      without.listsPerRegistry === 1;
    const expected = {
      missing: REGISTRIES / MISSING_EVERY,
      extra: REGISTRIES / EXTRA_EVERY,
      misconfigured: REGISTRIES / ZONES_EVERY,
    };
    const foundAll =
      withDrift.missing === expected.missing &&
      withDrift.extra === expected.extra &&
      withDrift.misconfigured === expected.misconfigured;
    const result = {
      mode: 'the scan activity’s own code (scanRegistryWith) called directly in one process, HEAL_PARALLELISM at a time; real ARM SDK over HTTPS to an in-process sandbox; watch store and declarations on Azurite',
      fleet: {
        registries: REGISTRIES,
        replicasPerRegistry: LOCATIONS.length,
        declarations: REGISTRIES,
        expected,
      },
      parallelism,
      withoutDriftCheck: without,
      withDriftCheck: withDrift,
      driftAddsNoArmRequest: sameRequests,
      foundEveryDrift: foundAll,
      declarationReadsPerRegistry: 1,
    };
    fs.writeFileSync(out, JSON.stringify(result));
    if (!sameRequests || !foundAll) {
      process.stderr.write(`desired replicas benchmark failed its assertion: ${JSON.stringify(result)}\n`);
      process.exitCode = 1;
    }
  } finally {
    await sandbox.close();
  }
}

main(process.argv[2] ?? 'desired-replicas-bench.json').catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
