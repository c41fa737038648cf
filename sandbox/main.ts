// `npm run sandbox`: serves the ARM sandbox with the demo fleet (or SANDBOX_SEED) until interrupted.
import { readSeedFile } from './seed';
import { DEFAULT_IDENTITY_HEADER, demoSeedFile, startSandbox } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.SANDBOX_PORT ?? 8443);
  const seedFile = process.env.SANDBOX_SEED ?? demoSeedFile();
  const speed = Number(process.env.SANDBOX_SPEED ?? 1);
  const identityHeader = process.env.SANDBOX_IDENTITY_HEADER ?? DEFAULT_IDENTITY_HEADER;
  const statePath = process.env.SANDBOX_STATE;
  const listLagSeconds = Number(process.env.SANDBOX_LIST_LAG_SECONDS ?? 0);
  const throttling = process.env.SANDBOX_THROTTLING !== 'off';

  const sandbox = await startSandbox({
    port,
    speed,
    identityHeader,
    seed: await readSeedFile(seedFile),
    listLagSeconds,
    throttling,
    ...(statePath === undefined || statePath === '' ? {} : { statePath }),
  });
  console.log(`ARM sandbox listening on ${sandbox.url} (seed ${seedFile}, speed ${speed})`);
  if (statePath) console.log(`State kept in ${statePath} (delete it to start from the seed again)`);
  console.log('Trust its certificate authority in Node processes that call it:');
  console.log(`  export NODE_EXTRA_CA_CERTS=${sandbox.caPath}`);
  console.log('Point the app at it:');
  console.log(`  export ARM_ENDPOINT=${sandbox.url}`);
  console.log(`  export IDENTITY_ENDPOINT=${sandbox.identityEndpoint}`);
  console.log(`  export IDENTITY_HEADER=${sandbox.identityHeader}`);
  console.log(`Admin API: ${sandbox.url}/admin/ (see sandbox/README.md)`);

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: stopping the ARM sandbox`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
