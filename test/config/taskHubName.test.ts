// The task hub name the app is configured with must be one the Durable host accepts (3-45 letters and
// digits, starting with a letter): the TASK_HUB_NAME setting, and host.json's hubName that reads it.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { taskHubNameProblem } from '@acr-replica-guard/devhost';
import { taskHubName } from '../../src/config/settings';

const ROOT = path.resolve(__dirname, '..', '..');
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;

describe('TASK_HUB_NAME', () => {
  test.each([['ReplicaGuardLocal'], ['abc'], [`h${'1'.repeat(44)}`]])('accepts %s', (name) => {
    expect(taskHubName({ TASK_HUB_NAME: name })).toBe(name);
  });

  test.each([['ab'], [`h${'1'.repeat(45)}`], ['1hub'], ['replica-guard'], ['replica_guard'], ['hub name']])(
    'refuses %s, as the host would',
    (name) => {
      expect(taskHubNameProblem(name)).toBeDefined();
      expect(() => taskHubName({ TASK_HUB_NAME: name })).toThrow(/^TASK_HUB_NAME must be 3-45 letters/);
    },
  );

  test('is left to the host when unset', () => {
    expect(taskHubName({})).toBeUndefined();
  });
});

test("host.json's hubName is TASK_HUB_NAME, and the local settings give it a valid value", () => {
  const host = readJson<{ extensions: { durableTask: { hubName: string } } }>('host.json');
  expect(host.extensions.durableTask.hubName).toBe('%TASK_HUB_NAME%');
  const local = readJson<{ Values: Record<string, string> }>('local.settings.json');
  const name = taskHubName(local.Values);
  expect(name).toBeDefined();
  expect(taskHubNameProblem(name ?? '')).toBeUndefined();
});
