// The entry file as the Functions worker loads it (package.json `main`, built by `npm run build`): a
// malformed HEAL_SCHEDULE, or storage it cannot use, must stop the app before any function is registered,
// naming the setting.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..');
const entry = path.join(
  REPO_ROOT,
  (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { main: string }).main,
);

function load(
  schedule: string,
  settings: Record<string, string> = {},
): { status: number | null; stderr: string } {
  const { HEAL_SCHEDULE: _unused, ...env } = process.env;
  const result = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(entry)})`], {
    env: { ...env, HEAL_SCHEDULE: schedule, ...settings },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr };
}

beforeAll(() => {
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
});

test('a malformed HEAL_SCHEDULE stops the app before any function is registered', () => {
  const { status, stderr } = load('0 0 12 * * 7');
  expect(status).not.toBe(0);
  expect(stderr).toContain('HEAL_SCHEDULE must be an NCRONTAB schedule');
  expect(stderr).not.toMatch(/register function/);
});

test('a valid HEAL_SCHEDULE lets the app load and register its functions', () => {
  const { status, stderr } = load('0 0 */6 * * *');
  expect(status).toBe(0);
  expect(stderr).toMatch(/register function "healSchedule"/);
});

test('an unresolved Key Vault reference as the storage connection stops the app, naming it', () => {
  const { status, stderr } = load('0 0 */6 * * *', {
    AzureWebJobsStorage: '@Microsoft.KeyVault(VaultName=kv-guard;SecretName=storage)',
  });
  expect(status).not.toBe(0);
  expect(stderr).toContain('AzureWebJobsStorage is a Key Vault reference that did not resolve');
  expect(stderr).not.toMatch(/register function/);
});
