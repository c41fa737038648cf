// App settings override host.json values (`AzureFunctionsJobHost__<path>`, levels separated by `__`), and
// the task hub's storage is the connection host.json's durableTask.storageProvider names
// (`connectionName`, or the older `connectionStringName`), AzureWebJobsStorage when it names none.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { readHostConfig, withOverrides } from '../config/hostJson';
import { startDevHost } from '../startDevHost';
import { DurableApi, fixtureApp, storageConnectionString, tempDir, uniqueHub } from '../testing';

function appWithHostJson(hostJson: unknown): string {
  const appRoot = tempDir('devhost-hostjson');
  fs.writeFileSync(path.join(appRoot, 'host.json'), JSON.stringify(hostJson));
  return appRoot;
}

describe('withOverrides', () => {
  test('sets a nested value, matching the levels case-insensitively', () => {
    const json = { extensions: { durableTask: { hubName: 'A', storageProvider: {} } } };
    expect(
      withOverrides(json, {
        AzureFunctionsJobHost__Extensions__DURABLETASK__hubname: 'B',
        AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionName: 'HubStorage',
      }),
    ).toEqual({
      extensions: { durableTask: { hubName: 'B', storageProvider: { connectionName: 'HubStorage' } } },
    });
    expect(json.extensions.durableTask.hubName).toBe('A');
  });

  test('adds the levels that are not there, and leaves other settings alone', () => {
    expect(
      withOverrides(
        { version: '2.0' },
        { AzureFunctionsJobHost__extensions__http__routePrefix: 'v1', OTHER: 'x' },
      ),
    ).toEqual({ version: '2.0', extensions: { http: { routePrefix: 'v1' } } });
  });

  test('a name with an empty level is not an override', () => {
    expect(withOverrides({}, { AzureFunctionsJobHost__extensions____http: 'x' })).toEqual({});
  });
});

describe('readHostConfig', () => {
  test('the task hub storage connection: connectionName, then connectionStringName, then AzureWebJobsStorage', () => {
    const provider = (storageProvider: object): string =>
      readHostConfig(appWithHostJson({ extensions: { durableTask: { storageProvider } } }), {})
        .storageConnectionName;
    expect(provider({ connectionName: 'A', connectionStringName: 'B' })).toBe('A');
    expect(provider({ connectionStringName: 'B' })).toBe('B');
    expect(provider({})).toBe('AzureWebJobsStorage');
  });

  test('overridden numbers and flags are read as the host binds them', () => {
    const config = readHostConfig(appWithHostJson({ version: '2.0' }), {
      AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions: '4',
      AzureFunctionsJobHost__extensions__durableTask__localRpcEndpointEnabled: 'False',
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval: '00:00:05',
    });
    expect(config).toMatchObject({
      maxConcurrentActivityFunctions: 4,
      localRpcEndpointEnabled: false,
      maxQueuePollingIntervalMs: 5000,
    });
  });

  test.each([
    ['maxConcurrentActivityFunctions', 'many', 'must be a whole number above zero, not "many"'],
    ['maxConcurrentOrchestratorFunctions', '0', 'must be a whole number above zero, not "0"'],
    ['localRpcEndpointEnabled', 'yes', 'must be true or false, not "yes"'],
  ])('an override of %s to "%s" is refused', (name, value, message) => {
    expect(() =>
      readHostConfig(appWithHostJson({ version: '2.0' }), {
        [`AzureFunctionsJobHost__extensions__durableTask__${name}`]: value,
      }),
    ).toThrow(`host.json extensions.durableTask.${name} ${message}`);
  });
});

describe('the task hub lives where the named connection points', () => {
  const override = 'AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionName';

  test('an orchestration runs on the named connection, with AzureWebJobsStorage pointing nowhere', async () => {
    const host = await startDevHost({
      appRoot: fixtureApp('durable'),
      env: {
        // Nothing listens here: a task hub that used this account could not run anything.
        AzureWebJobsStorage:
          'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;',
        TaskHubStorage: storageConnectionString(),
        [override]: 'TaskHubStorage',
        DEVHOST_TEST_HUB: uniqueHub('Named'),
        DEVHOST_TEST_OUT: tempDir('devhost-named-storage'),
        DEVHOST_LOG_LEVEL: 'error',
      },
    });
    try {
      const api = new DurableApi(host.url);
      const id = await api.start('Sequence', ['Oslo']);
      expect(await api.waitFor(id)).toMatchObject({ runtimeStatus: 'Completed', output: ['Hello Oslo!'] });
    } finally {
      await host.stop();
    }
  });

  test('a named connection that is not set stops the start and says which setting is missing', async () => {
    const started = startDevHost({
      appRoot: fixtureApp('durable'),
      env: {
        AzureWebJobsStorage: storageConnectionString(),
        [override]: 'TaskHubStorage',
        DEVHOST_TEST_HUB: uniqueHub('Unnamed'),
        DEVHOST_TEST_OUT: tempDir('devhost-named-storage'),
        DEVHOST_LOG_LEVEL: 'error',
      },
    });
    await expect(started).rejects.toThrow(
      "Durable functions need the TaskHubStorage setting that host.json's durableTask.storageProvider names for the task hub's storage",
    );
  });
});
