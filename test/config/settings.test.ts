import { auditStorageConnectionString, pollingPolicy } from '../../src/config/settings';
import { DEFAULT_POLLING } from '../../src/domain';

describe('pollingPolicy', () => {
  test('uses the defaults when nothing is set', () => {
    expect(pollingPolicy({})).toEqual(DEFAULT_POLLING);
  });

  test('reads every setting', () => {
    expect(
      pollingPolicy({
        POLL_INITIAL_SECONDS: '0.2',
        POLL_MAX_SECONDS: '30',
        REPLICA_DEADLINE_MINUTES: '0.03',
        DELETE_CONFIRMATIONS: '3',
        POLLS_PER_GENERATION: '7',
      }),
    ).toEqual({
      initialSeconds: 0.2,
      maxSeconds: 30,
      deadlineMinutes: 0.03,
      goneConfirmations: 3,
      pollsPerGeneration: 7,
    });
  });

  test.each([['0'], ['-5'], ['2.5'], ['many'], ['Infinity']])('refuses POLLS_PER_GENERATION=%s', (value) => {
    expect(() => pollingPolicy({ POLLS_PER_GENERATION: value })).toThrow(/POLLS_PER_GENERATION/);
  });
});

describe('auditStorageConnectionString', () => {
  const own =
    'DefaultEndpointsProtocol=https;AccountName=auditlog;AccountKey=a2V5;EndpointSuffix=core.windows.net';
  const app =
    'DefaultEndpointsProtocol=https;AccountName=appstate;AccountKey=a2V5;EndpointSuffix=core.windows.net';

  test('is AUDIT_STORAGE when set', () => {
    expect(auditStorageConnectionString({ AUDIT_STORAGE: own, AzureWebJobsStorage: app })).toBe(own);
  });

  test('falls back to AzureWebJobsStorage when AUDIT_STORAGE is unset or blank', () => {
    expect(auditStorageConnectionString({ AzureWebJobsStorage: app })).toBe(app);
    expect(auditStorageConnectionString({ AUDIT_STORAGE: '  ', AzureWebJobsStorage: app })).toBe(app);
  });

  test('understands UseDevelopmentStorage=true as the local emulator', () => {
    expect(auditStorageConnectionString({ AUDIT_STORAGE: 'UseDevelopmentStorage=true' })).toContain(
      'TableEndpoint=http://127.0.0.1:10002/devstoreaccount1',
    );
  });

  test('fails when neither is set', () => {
    expect(() => auditStorageConnectionString({})).toThrow(/AzureWebJobsStorage/);
  });
});
