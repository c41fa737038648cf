// Drift detection at fleet scale (1,000 Premium registries, each with a desired replica set): the ARM
// requests a sweep's scans make with the drift check and without it, counted by the sandbox. Counts, not
// times, are the assertion: the check must add no ARM request. It runs in a child process under the
// stand-ins launcher, which starts Azurite and trusts the sandbox CA.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';

export const name = 'desiredReplicas';

export async function run(): Promise<unknown> {
  const dist = path.resolve(__dirname, '..');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'desired-bench-')), 'result.json');
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(dist, 'tools', 'standins.js'),
        '--',
        process.execPath,
        path.join(__dirname, 'desiredReplicas', 'drift.js'),
        out,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], env: process.env },
    );
    child.once('error', reject);
    child.once('exit', (status) => resolve(status ?? 1));
  });
  if (code !== 0) throw new Error(`the desired replicas benchmark exited with ${code}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as unknown;
}
