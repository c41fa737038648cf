import { secretSettingValues, telemetryDestination } from '../../src/config/telemetrySettings';

const CONNECTION = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://x/';

test.each([
  [{}, { kind: 'none' }],
  [{ TELEMETRY_FILE: ' ' }, { kind: 'none' }],
  [{ TELEMETRY_FILE: '/tmp/t.jsonl' }, { kind: 'file', path: '/tmp/t.jsonl' }],
  [
    { APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION },
    { kind: 'azure-monitor', connectionString: CONNECTION },
  ],
  [
    {
      APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION,
      AZURE_CLIENT_ID: 'client-1',
      TELEMETRY_FILE: '/tmp/t',
    },
    { kind: 'azure-monitor', connectionString: CONNECTION, managedIdentityClientId: 'client-1' },
  ],
])('settings %j send telemetry to %j', (env, destination) => {
  expect(telemetryDestination(env)).toEqual(destination);
});

test('the secrets telemetry must not carry are the secret settings set, not unresolved Key Vault references', () => {
  expect(
    secretSettingValues({
      SLACK_SIGNING_SECRET: ' 0123456789abcdef ',
      TEAMS_WEBHOOK_SECRET: '@Microsoft.KeyVault(VaultName=kv;SecretName=teams)',
      AUDIT_SIGNING_KEY: 'c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzLi4=',
      SLACK_NOTIFY_WEBHOOK_URL: '',
      AzureWebJobsStorage: 'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=a2V5',
      REGISTRY_SCOPE: 'not a secret at all',
    }),
  ).toEqual([
    '0123456789abcdef',
    'c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzLi4=',
    'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=a2V5',
  ]);
});
