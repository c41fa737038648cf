// `npm start`: Azurite, the ARM sandbox with the demo fleet, and the devhost running this app, in one
// terminal. Ctrl-C stops all three. Azurite and the sandbox both keep their data on disk, so a restart
// finds the app's history and Azure's state as they were; `npm start -- --reset` clears both.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { devHostMainScript } from '@acr-replica-guard/devhost';
import { demoSeedFile, readSeedFile, startSandbox } from '@acr-replica-guard/sandbox';
import { startAzurite, stopChild } from './azurite';

const repoRoot = path.resolve(__dirname, '../..');
/** The demo fleet's subscription (the sandbox's seeds/demo.json), for the example calls printed at start. */
const DEMO_SUBSCRIPTION = '0b7c1e4a-6d2f-4a8b-9e3c-5f1d7a9b2c68';
/** Azurite's data: the app's audit trail and its orchestrations' history. */
const AZURITE_DIR = path.join(repoRoot, '.azurite');
/** The ARM sandbox's state: registries, replicas, roles and operations under way. */
const SANDBOX_STATE = path.join(repoRoot, '.local', 'sandbox-state.json');
/** This machine's audit key, made on first start and kept, so the trail verifies across restarts. */
const AUDIT_KEY_FILE = path.join(repoRoot, '.local', 'audit-signing-key');

/** The local audit key (base64 of 32 random bytes), made once; never used anywhere but here. */
function localAuditKey(): string {
  if (!fs.existsSync(AUDIT_KEY_FILE)) {
    fs.mkdirSync(path.dirname(AUDIT_KEY_FILE), { recursive: true });
    fs.writeFileSync(AUDIT_KEY_FILE, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return fs.readFileSync(AUDIT_KEY_FILE, 'utf8').trim();
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The demo's desired replica set: crcontosoprod declared in the regions it has and in uksouth, which it
 * lacks, so the first sweep finds drift to report and `plan` has a step to show.
 */
const DEMO_DECLARATION = {
  path: `/api/registries/${DEMO_SUBSCRIPTION}/rg-registries-prod/crcontosoprod/desired-replicas`,
  body: {
    replicas: ['westeurope', 'northeurope', 'eastus', 'southeastasia', 'uksouth'].map((location) => ({
      location,
    })),
    drift: 'report',
  },
};

/** Declares the demo's replica set through the app, unless one exists (a PUT without If-Match only creates). */
async function declareDemoReplicaSet(base: string): Promise<string> {
  const response = await fetch(`${base}${DEMO_DECLARATION.path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_DECLARATION.body),
  });
  if (response.status === 201) return 'declared (it lacks uksouth: the first sweep reports that drift)';
  if (response.status === 412) return 'kept as it was';
  return `not declared (the app answered ${response.status})`;
}

async function main(): Promise<void> {
  const devhostPort = Number(process.env.DEVHOST_PORT ?? 7071);
  // Both stores are cleared together: one without the other would leave the app remembering heals that
  // Azure forgot, or the reverse.
  const reset = process.argv.slice(2).includes('--reset');
  if (reset) {
    fs.rmSync(AZURITE_DIR, { recursive: true, force: true });
    fs.rmSync(SANDBOX_STATE, { force: true });
  }
  const azurite = await startAzurite({
    port: Number(process.env.AZURITE_PORT ?? 10002),
    blobPort: Number(process.env.AZURITE_BLOB_PORT ?? 10000),
    location: AZURITE_DIR,
  });
  const sandbox = await startSandbox({
    port: Number(process.env.SANDBOX_PORT ?? 8443),
    tlsDir: path.join(repoRoot, '.local/sandbox-tls'),
    // Used only when there is no saved state yet.
    seed: await readSeedFile(process.env.SANDBOX_SEED ?? demoSeedFile()),
    statePath: SANDBOX_STATE,
    // Ten times real speed, so the demo fleet's slow provisioning and healing play out in minutes.
    speed: Number(process.env.SANDBOX_SPEED ?? 10),
    // ARM's lists lag its writes by a few seconds.
    listLagSeconds: 5,
  });
  const devhost = spawn(process.execPath, [devHostMainScript(), repoRoot], {
    stdio: 'inherit',
    env: {
      ...process.env,
      DEVHOST_PORT: String(devhostPort),
      NODE_EXTRA_CA_CERTS: sandbox.caPath,
      AzureWebJobsStorage: azurite.connectionString,
      ARM_ENDPOINT: sandbox.url,
      IDENTITY_ENDPOINT: sandbox.identityEndpoint,
      IDENTITY_HEADER: sandbox.identityHeader,
      AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY ?? localAuditKey(),
    },
  });

  let shutdown: Promise<void> | undefined;
  const stop = (code: number): void => {
    shutdown ??= (async () => {
      process.stdout.write('\nstopping the devhost, the ARM sandbox and Azurite...\n');
      await stopChild(devhost);
      await Promise.allSettled([sandbox.close(), azurite.stop()]);
      process.exit(code);
    })();
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  devhost.once('exit', (code) => stop(code ?? 1));

  const base = `http://localhost:${devhostPort}`;
  await waitForHealth(`${base}/api/health`, 60000);
  const declared = await declareDemoReplicaSet(base);
  process.stdout.write(
    [
      '',
      'acr-replica-guard is running on local stand-ins:',
      `  app (devhost)   ${base}/api`,
      `  ARM sandbox     ${sandbox.url}   (CA: ${sandbox.caPath}; state in .local/sandbox-state.json)`,
      `  Azurite tables  http://127.0.0.1:${azurite.port}, blobs http://127.0.0.1:${azurite.blobPort}   (data in .azurite/)`,
      '  audit key       .local/audit-signing-key (this machine only)',
      '',
      reset
        ? 'Started afresh from the demo fleet (--reset).'
        : 'Both keep their data across restarts; `npm start -- --reset` starts both afresh.',
      '',
      'Try:',
      `  curl ${base}/api/health`,
      `  curl ${base}/api/registries`,
      `  curl ${base}/api/registries/${DEMO_SUBSCRIPTION}/rg-registries-prod/crcontosoprod/replicas`,
      `  curl ${base}${DEMO_DECLARATION.path}/plan`,
      '',
      `crcontosoprod's desired replica set: ${declared}.`,
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
