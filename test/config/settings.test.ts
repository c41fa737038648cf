import {
  appPrincipalId,
  auditSigningKey,
  auditStorageConnectionString,
  healPolicy,
  healRoleScope,
  healParallelism,
  healRegistryTag,
  healRequestDefaults,
  healSchedule,
  healScheduleBinding,
  pollingPolicy,
  slackApprovers,
  watchTableName,
} from '../../src/config/settings';
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

describe('healing settings', () => {
  test('HEAL_POLICY defaults to auto, ignores case, and refuses unknown policies', () => {
    expect(healPolicy({})).toBe('auto');
    expect(healPolicy({ HEAL_POLICY: ' Report ' })).toBe('report');
    expect(() => healPolicy({ HEAL_POLICY: 'sometimes' })).toThrow(/HEAL_POLICY/);
  });

  test('HEAL_ROLE_SCOPE takes a subscription or resource group id and nothing else', () => {
    const sub = '/subscriptions/11111111-2222-3333-4444-555555555555';
    expect(healRoleScope({})).toBeUndefined();
    expect(healRoleScope({ HEAL_ROLE_SCOPE: `${sub}/` })).toBe(sub);
    expect(healRoleScope({ HEAL_ROLE_SCOPE: `${sub}/resourceGroups/rg-net` })).toBe(
      `${sub}/resourceGroups/rg-net`,
    );
    expect(() => healRoleScope({ HEAL_ROLE_SCOPE: 'rg-net' })).toThrow(/HEAL_ROLE_SCOPE/);
  });

  test('APP_PRINCIPAL_ID is read when set', () => {
    expect(appPrincipalId({})).toBeUndefined();
    expect(appPrincipalId({ APP_PRINCIPAL_ID: ' abc ' })).toBe('abc');
  });
});

describe('self-healing settings', () => {
  test('defaults when nothing is set', () => {
    expect(healRequestDefaults({})).toMatchObject({
      maxAttempts: 3,
      approvalTimeoutMinutes: 60,
      thresholdMinutes: 60,
      policy: 'auto',
    });
    expect(healParallelism({})).toBe(8);
    expect(healSchedule({})).toBe('0 */15 * * * *');
    expect(healScheduleBinding({})).toBe('0 */15 * * * *');
    expect(watchTableName({})).toBe('ReplicaWatch');
    expect(healRegistryTag({})).toBeUndefined();
  });

  test('the timer refers to HEAL_SCHEDULE once it is set and valid', () => {
    expect(healScheduleBinding({ HEAL_SCHEDULE: '0 0 * * * *' })).toBe('%HEAL_SCHEDULE%');
    expect(() => healScheduleBinding({ HEAL_SCHEDULE: 'hourly' })).toThrow(/HEAL_SCHEDULE/);
  });

  test('a malformed HEAL_SCHEDULE is refused with the setting, the value and the reason', () => {
    expect(() => healSchedule({ HEAL_SCHEDULE: '0 0 12 * * 7' })).toThrow(
      'HEAL_SCHEDULE must be an NCRONTAB schedule such as "0 */15 * * * *" ' +
        '({second} {minute} {hour} {day} {month} {day-of-week}), not "0 0 12 * * 7": ' +
        'its day-of-week field "7" goes beyond 0-6 (Sunday is 0)',
    );
    expect(() => healScheduleBinding({ HEAL_SCHEDULE: '0 0 12 ? * MON' })).toThrow(/^HEAL_SCHEDULE must/);
  });

  test('reads a registry tag filter as name=value', () => {
    expect(healRegistryTag({ HEAL_REGISTRY_TAG: ' team = platform ' })).toEqual({
      name: 'team',
      value: 'platform',
    });
    expect(() => healRegistryTag({ HEAL_REGISTRY_TAG: 'platform' })).toThrow(/HEAL_REGISTRY_TAG/);
  });

  test.each([
    ['HEAL_PARALLELISM', '0'],
    ['HEAL_PARALLELISM', '101'],
    ['HEAL_MAX_ATTEMPTS', '1.5'],
    ['STUCK_AFTER_MINUTES', '-1'],
    ['APPROVAL_TIMEOUT', 'soon'],
    ['HEAL_POLICY', 'sometimes'],
    ['WATCH_TABLE', 'no-dashes'],
  ])('refuses %s=%s', (name, value) => {
    const read = (): unknown => [
      healRequestDefaults({ [name]: value }),
      healParallelism({ [name]: value }),
      watchTableName({ [name]: value }),
    ];
    expect(read).toThrow(new RegExp(name));
  });
});

describe('slackApprovers', () => {
  test('reads comma-separated Slack user ids, ignoring blanks and spaces', () => {
    expect([...slackApprovers({ SLACK_APPROVERS: ' U123ABC, ,W0ENT1 ,' })]).toEqual(['U123ABC', 'W0ENT1']);
  });

  test('lets nobody approve when unset', () => {
    expect(slackApprovers({}).size).toBe(0);
  });

  test('refuses entries that are not Slack user ids (names, channels)', () => {
    expect(() => slackApprovers({ SLACK_APPROVERS: 'U123ABC,@carol' })).toThrow(/SLACK_APPROVERS/);
    expect(() => slackApprovers({ SLACK_APPROVERS: 'C0OPS1' })).toThrow(/SLACK_APPROVERS/);
  });
});

describe('auditSigningKey', () => {
  const key = Buffer.alloc(32, 9);

  test('is absent when unset or blank: the trail is kept unkeyed', () => {
    expect(auditSigningKey({})).toBeUndefined();
    expect(auditSigningKey({ AUDIT_SIGNING_KEY: '  ' })).toBeUndefined();
  });

  test('reads base64 of 32 bytes or more', () => {
    expect(auditSigningKey({ AUDIT_SIGNING_KEY: key.toString('base64') })).toEqual(key);
    expect(auditSigningKey({ AUDIT_SIGNING_KEY: Buffer.alloc(64, 1).toString('base64') })?.length).toBe(64);
  });

  test.each([
    ['a key of 31 bytes', Buffer.alloc(31, 1).toString('base64')],
    ['an unresolved Key Vault reference', '@Microsoft.KeyVault(VaultName=kv;SecretName=audit-signing-key)'],
    ['base64url instead of base64', Buffer.alloc(32, 0xfb).toString('base64url')],
    ['a passphrase', 'correct horse battery staple correct horse'],
  ])('refuses %s, naming the setting and not the value', (_name, value) => {
    expect(() => auditSigningKey({ AUDIT_SIGNING_KEY: value })).toThrow(/^AUDIT_SIGNING_KEY must be base64/);
    expect(() => auditSigningKey({ AUDIT_SIGNING_KEY: value })).not.toThrow(value);
  });
});
