import {
  appPrincipalId,
  auditSigningKey,
  healPolicy,
  healParallelism,
  healRegistryTag,
  healRequestDefaults,
  healSchedule,
  healScheduleBinding,
  approvalAllowRestForChat,
  approvalAllowSelf,
  approvalSettings,
  notifyWebhookUrl,
  pollingPolicy,
  privateLinkRoleSource,
  slackApprovers,
  slackHealers,
  slackTeamId,
  trustAppServiceAuth,
  slackSigningSecret,
  teamsWebhookSecret,
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

describe('healing settings', () => {
  test('HEAL_POLICY defaults to auto, ignores case, and refuses unknown policies', () => {
    expect(healPolicy({})).toBe('auto');
    expect(healPolicy({ HEAL_POLICY: ' Report ' })).toBe('report');
    expect(() => healPolicy({ HEAL_POLICY: 'sometimes' })).toThrow(/HEAL_POLICY/);
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

describe('slackHealers', () => {
  test('reads Slack user ids like SLACK_APPROVERS, and lets nobody heal when unset', () => {
    expect([...slackHealers({ SLACK_HEALERS: 'U0HEAL1, W0HEAL2' })]).toEqual(['U0HEAL1', 'W0HEAL2']);
    expect(slackHealers({}).size).toBe(0);
    expect(() => slackHealers({ SLACK_HEALERS: 'everyone' })).toThrow(/SLACK_HEALERS/);
  });
});

describe('slackTeamId', () => {
  test('is the workspace id when set, and undefined when unset or blank', () => {
    expect(slackTeamId({ SLACK_TEAM_ID: ' T0CONTOSO ' })).toBe('T0CONTOSO');
    expect(slackTeamId({ SLACK_TEAM_ID: ' ' })).toBeUndefined();
    expect(slackTeamId({})).toBeUndefined();
  });

  test('refuses what is not a workspace id', () => {
    expect(() => slackTeamId({ SLACK_TEAM_ID: 'contoso' })).toThrow(/SLACK_TEAM_ID/);
    expect(() => slackTeamId({ SLACK_TEAM_ID: 'U0USER1' })).toThrow(/SLACK_TEAM_ID/);
  });
});

describe('the security switches are off unless set to true', () => {
  const switches: [string, (env: Record<string, string>) => boolean][] = [
    ['APPROVAL_ALLOW_SELF', approvalAllowSelf],
    ['APPROVAL_ALLOW_REST_FOR_CHAT', approvalAllowRestForChat],
    ['TRUST_APP_SERVICE_AUTH', trustAppServiceAuth],
  ];

  test.each(switches)('%s', (name, read) => {
    expect(read({})).toBe(false);
    expect(read({ [name]: '' })).toBe(false);
    expect(read({ [name]: 'false' })).toBe(false);
    expect(read({ [name]: 'TRUE' })).toBe(true);
    expect(() => read({ [name]: 'yes' })).toThrow(new RegExp(name));
    expect(() => read({ [name]: '1' })).toThrow(new RegExp(name));
  });
});

describe('approvalSettings', () => {
  test('gathers what an approval policy is made from', () => {
    expect(
      approvalSettings({
        APPROVAL_ALLOW_SELF: 'true',
        SLACK_APPROVERS: 'U0A1',
        SLACK_TEAM_ID: 'T0CONTOSO',
      }),
    ).toEqual({
      allowSelf: true,
      restForChat: false,
      slackApprovers: new Set(['U0A1']),
      slackTeamId: 'T0CONTOSO',
    });
    expect(approvalSettings({})).toEqual({ allowSelf: false, restForChat: false, slackApprovers: new Set() });
  });
});

describe('the private-link role the app may assign itself', () => {
  const sub = '/subscriptions/11111111-2222-3333-4444-555555555555';
  const guid = '2f1a8c3e-5b7d-4e9f-a1c3-6d8e0f2b4a97';

  test('HEAL_ROLE_DEFINITION_ID takes the GUID, or a subscription or tenant role definition id', () => {
    const assign = { kind: 'assign', roleDefinitionGuid: guid };
    expect(privateLinkRoleSource({ HEAL_ROLE_DEFINITION_ID: ` ${guid.toUpperCase()} ` })).toEqual(assign);
    expect(
      privateLinkRoleSource({
        HEAL_ROLE_DEFINITION_ID: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
      }),
    ).toEqual(assign);
    expect(
      privateLinkRoleSource({
        HEAL_ROLE_DEFINITION_ID: `/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
      }),
    ).toEqual(assign);
    for (const bad of ['Private Link Proxy Writer', `${sub}/roleDefinitions/${guid}`, `${guid}x`]) {
      expect(() => privateLinkRoleSource({ HEAL_ROLE_DEFINITION_ID: bad })).toThrow(
        /HEAL_ROLE_DEFINITION_ID/,
      );
    }
  });

  test('creating a role is an explicit opt-in, with HEAL_ROLE_SCOPE meaning only where it is assignable', () => {
    expect(privateLinkRoleSource({})).toEqual({ kind: 'none' });
    expect(privateLinkRoleSource({ HEAL_ROLE_CREATE: 'false' })).toEqual({ kind: 'none' });
    expect(privateLinkRoleSource({ HEAL_ROLE_CREATE: 'TRUE' })).toEqual({ kind: 'create' });
    expect(
      privateLinkRoleSource({ HEAL_ROLE_CREATE: 'true', HEAL_ROLE_SCOPE: `${sub}/resourceGroups/rg-net/` }),
    ).toEqual({ kind: 'create', assignableScope: `${sub}/resourceGroups/rg-net` });
    expect(() => privateLinkRoleSource({ HEAL_ROLE_CREATE: 'yes' })).toThrow(/HEAL_ROLE_CREATE/);
    expect(() => privateLinkRoleSource({ HEAL_ROLE_CREATE: 'true', HEAL_ROLE_SCOPE: 'rg-net' })).toThrow(
      /HEAL_ROLE_SCOPE must be a subscription or resource group id/,
    );
  });

  test('refuses settings that contradict each other rather than picking one', () => {
    expect(() => privateLinkRoleSource({ HEAL_ROLE_DEFINITION_ID: guid, HEAL_ROLE_CREATE: 'true' })).toThrow(
      /exclude each other/,
    );
    expect(() => privateLinkRoleSource({ HEAL_ROLE_SCOPE: sub })).toThrow(/only with HEAL_ROLE_CREATE=true/);
    expect(() => privateLinkRoleSource({ HEAL_ROLE_DEFINITION_ID: guid, HEAL_ROLE_SCOPE: sub })).toThrow(
      /only with HEAL_ROLE_CREATE=true/,
    );
  });
});

describe('secrets from Key Vault references', () => {
  const unresolved = '@Microsoft.KeyVault(VaultName=kv-guard;SecretName=slack-signing-secret)';

  test('a reference the platform did not resolve counts as unset, never as the secret', () => {
    expect(slackSigningSecret({ SLACK_SIGNING_SECRET: unresolved })).toBeUndefined();
    expect(teamsWebhookSecret({ TEAMS_WEBHOOK_SECRET: ` ${unresolved.toLowerCase()}` })).toBeUndefined();
    expect(notifyWebhookUrl({ SLACK_NOTIFY_WEBHOOK_URL: unresolved })).toBeUndefined();
  });

  test('a resolved value is used as it is', () => {
    expect(slackSigningSecret({ SLACK_SIGNING_SECRET: ' s3cret ' })).toBe('s3cret');
    expect(teamsWebhookSecret({ TEAMS_WEBHOOK_SECRET: 'dG9rZW4=' })).toBe('dG9rZW4=');
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
