// `npm start`: Azurite, the ARM sandbox with the demo fleet, and the devhost running this app, in one
// terminal. Ctrl-C stops all three.
import { spawn } from 'node:child_process';
import path from 'node:path';

import { devHostMainScript } from '@acr-replica-guard/devhost';
import { demoSeedFile, readSeedFile, startSandbox } from '@acr-replica-guard/sandbox';
import { startAzurite, stopChild } from './azurite';

const repoRoot = path.resolve(__dirname, '../..');
/** The demo fleet's subscription (the sandbox's seeds/demo.json), for the example calls printed at start. */
const DEMO_SUBSCRIPTION = '0b7c1e4a-6d2f-4a8b-9e3c-5f1d7a9b2c68';

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

async function main(): Promise<void> {
  const devhostPort = Number(process.env.DEVHOST_PORT ?? 7071);
  const azurite = await startAzurite({ port: 10002, location: path.join(repoRoot, '.azurite') });
  const sandbox = await startSandbox({
    port: Number(process.env.SANDBOX_PORT ?? 8443),
    tlsDir: path.join(repoRoot, '.local/sandbox-tls'),
    seed: await readSeedFile(process.env.SANDBOX_SEED ?? demoSeedFile()),
    // Ten times real speed, so the demo fleet's slow provisioning and healing play out in minutes.
    speed: Number(process.env.SANDBOX_SPEED ?? 10),
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
  process.stdout.write(
    [
      '',
      'acr-replica-guard is running on local stand-ins:',
      `  app (devhost)   ${base}/api`,
      `  ARM sandbox     ${sandbox.url}   (CA: ${sandbox.caPath})`,
      `  Azurite tables  http://127.0.0.1:${azurite.port}   (data in .azurite/)`,
      '',
      'Try:',
      `  curl ${base}/api/health`,
      `  curl ${base}/api/registries`,
      `  curl ${base}/api/registries/${DEMO_SUBSCRIPTION}/rg-registries-prod/crcontosoprod/replicas`,
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
