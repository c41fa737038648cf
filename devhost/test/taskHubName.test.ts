// The Durable extension refuses to start with a task hub name the Azure Storage provider cannot use
// (AzureStorageOptions.ValidateHubName: 3-45 letters and digits, starting with a letter); so does the
// devhost, with the extension's message.

import { startDevHost } from '../startDevHost';
import { taskHubNameProblem } from '../config/taskHubName';
import { fixtureApp, storageConnectionString, tempDir } from '../testing';

test.each([
  ['too short', 'ab'],
  ['too long', `h${'1'.repeat(45)}`],
  ['starting with a digit', '1hub'],
  ['with a hyphen', 'my-hub'],
  ['with an underscore', 'my_hub'],
])('a task hub name %s is refused', (_what, name) => {
  expect(taskHubNameProblem(name)).toBe(
    `Task hub name '${name}' should contain only alphanumeric characters, start with a letter, and have length between 3 and 45.`,
  );
});

test.each([['abc'], [`h${'1'.repeat(44)}`], ['ReplicaGuardLocal']])('%s is a valid task hub name', (name) => {
  expect(taskHubNameProblem(name)).toBeUndefined();
});

test('the devhost does not start with an invalid task hub name and says why', async () => {
  const started = startDevHost({
    appRoot: fixtureApp('durable'),
    env: {
      AzureWebJobsStorage: storageConnectionString(),
      DEVHOST_TEST_HUB: 'my-hub',
      DEVHOST_TEST_OUT: tempDir('devhost-hubname'),
      DEVHOST_LOG_LEVEL: 'error',
    },
  });
  await expect(started).rejects.toThrow(
    "Task hub name 'my-hub' should contain only alphanumeric characters, start with a letter, and have length between 3 and 45.",
  );
});
