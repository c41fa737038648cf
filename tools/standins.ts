// Starts the local stand-ins (Azurite and the ARM sandbox) on free ports, then runs a command with the
// settings that point at them:  node dist/tools/standins.js -- jest [args]
// NODE_EXTRA_CA_CERTS is only read when a Node process starts, so the sandbox CA must exist before the
// command is spawned: that is why tests run under this launcher rather than from a jest global setup.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { startSandbox } from '@acr-replica-guard/sandbox';
import { startAzurite } from './azurite';

export const repoRoot = path.resolve(__dirname, '../..');

async function main(argv: string[]): Promise<number> {
  const separator = argv.indexOf('--');
  const command = separator >= 0 ? argv.slice(separator + 1) : argv;
  const [program, ...args] = command;
  if (program === undefined) {
    process.stderr.write('usage: standins -- <command> [args...]\n');
    return 2;
  }

  const azurite = await startAzurite();
  const sandbox = await startSandbox({
    port: 0,
    tlsDir: path.join(repoRoot, '.local/sandbox-tls'),
    // ARM's lists lag its writes by seconds; code under test must not rely on listing what it just wrote.
    listLagSeconds: 5,
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_EXTRA_CA_CERTS: sandbox.caPath,
    AzureWebJobsStorage: azurite.connectionString,
    ARM_ENDPOINT: sandbox.url,
    SANDBOX_URL: sandbox.url,
    IDENTITY_ENDPOINT: sandbox.identityEndpoint,
    IDENTITY_HEADER: sandbox.identityHeader,
    // A fresh audit key for each run: the app signs its trail as it would in Azure.
    AUDIT_SIGNING_KEY: randomBytes(32).toString('base64'),
  };
  process.stdout.write(
    `stand-ins: Azurite tables on port ${azurite.port}, blobs on port ${azurite.blobPort}, ARM sandbox at ${sandbox.url}\n`,
  );

  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(program, args, { stdio: 'inherit', env });
      const forward = (signal: NodeJS.Signals): void => {
        child.kill(signal);
      };
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
    });
  } finally {
    await Promise.allSettled([sandbox.close(), azurite.stop()]);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `stand-ins failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
