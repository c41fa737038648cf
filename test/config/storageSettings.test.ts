import { appStorageSettings, auditStorageSettings } from '../../src/config/storageSettings';

// The storage settings the way the Functions host reads AzureWebJobsStorage: a connection string when the
// setting has a value, else identity-based AzureWebJobsStorage__* settings.

const account =
  'DefaultEndpointsProtocol=https;AccountName=appstate;AccountKey=a2V5;EndpointSuffix=core.windows.net';
const auditAccount =
  'DefaultEndpointsProtocol=https;AccountName=auditlog;AccountKey=a2V5;EndpointSuffix=core.windows.net';
const unresolved = '@Microsoft.KeyVault(VaultName=kv-guard;SecretName=storage)';
const identity = {
  AzureWebJobsStorage__credential: 'managedidentity',
  AzureWebJobsStorage__clientId: '6b1d2f3a-4c5e-4f7a-9b0c-1d2e3f4a5b6c',
  AzureWebJobsStorage__tableServiceUri: 'https://stguard.table.core.windows.net/',
  AzureWebJobsStorage__blobServiceUri: 'https://stguard.blob.core.windows.net/',
  AzureWebJobsStorage__queueServiceUri: 'https://stguard.queue.core.windows.net/',
};

describe('the app storage connection', () => {
  test('is the connection string when AzureWebJobsStorage has one, identity settings or not', () => {
    expect(appStorageSettings({ AzureWebJobsStorage: account, ...identity })).toEqual({
      kind: 'connection-string',
      connectionString: account,
    });
  });

  test('reads UseDevelopmentStorage=true as Azurite on loopback, blobs and tables', () => {
    const settings = appStorageSettings({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(settings.kind === 'connection-string' && settings.connectionString).toEqual(
      expect.stringContaining('TableEndpoint=http://127.0.0.1:10002/devstoreaccount1'),
    );
    expect(settings.kind === 'connection-string' && settings.connectionString).toEqual(
      expect.stringContaining('BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1'),
    );
  });

  test('is identity-based from the AzureWebJobsStorage__ settings the infrastructure sets', () => {
    expect(appStorageSettings(identity)).toEqual({
      kind: 'identity',
      tableServiceUri: 'https://stguard.table.core.windows.net',
      blobServiceUri: 'https://stguard.blob.core.windows.net',
      credential: 'managedidentity',
      clientId: identity.AzureWebJobsStorage__clientId,
    });
  });

  test('derives the endpoints from __accountName, and uses developer credentials without __credential', () => {
    expect(appStorageSettings({ AzureWebJobsStorage__accountName: 'stguard' })).toEqual({
      kind: 'identity',
      tableServiceUri: 'https://stguard.table.core.windows.net',
      blobServiceUri: 'https://stguard.blob.core.windows.net',
      credential: 'default',
    });
  });

  test('treats an unresolved Key Vault reference as unset: identity settings still apply', () => {
    expect(appStorageSettings({ AzureWebJobsStorage: unresolved, ...identity }).kind).toBe('identity');
  });

  test('says why when there is no usable connection, naming an unresolved reference as such', () => {
    expect(() => appStorageSettings({})).toThrow(/AzureWebJobsStorage is not set/);
    expect(() => appStorageSettings({ AzureWebJobsStorage: unresolved })).toThrow(
      /AzureWebJobsStorage is a Key Vault reference that did not resolve/,
    );
  });

  test('refuses endpoints tokens cannot travel to, unknown credentials and malformed account names', () => {
    expect(() =>
      appStorageSettings({ AzureWebJobsStorage__tableServiceUri: 'http://stguard.table.core.windows.net' }),
    ).toThrow(/AzureWebJobsStorage__tableServiceUri must be an https URL/);
    expect(() =>
      appStorageSettings({ ...identity, AzureWebJobsStorage__credential: 'clientsecret' }),
    ).toThrow(/AzureWebJobsStorage__credential must be managedidentity/);
    expect(() => appStorageSettings({ AzureWebJobsStorage__accountName: 'St-Guard' })).toThrow(
      /AzureWebJobsStorage__accountName must be a storage account name/,
    );
  });
});

describe('the audit trail storage connection', () => {
  test('is AUDIT_STORAGE when set, else the app storage, by connection string or identity', () => {
    expect(auditStorageSettings({ AUDIT_STORAGE: auditAccount, ...identity })).toEqual({
      kind: 'connection-string',
      connectionString: auditAccount,
    });
    expect(auditStorageSettings({ AUDIT_STORAGE: '  ', AzureWebJobsStorage: account })).toEqual({
      kind: 'connection-string',
      connectionString: account,
    });
    expect(auditStorageSettings(identity).kind).toBe('identity');
  });

  test('refuses an unresolved AUDIT_STORAGE reference rather than writing the audit trail elsewhere', () => {
    expect(() => auditStorageSettings({ AUDIT_STORAGE: unresolved, AzureWebJobsStorage: account })).toThrow(
      /AUDIT_STORAGE is a Key Vault reference that did not resolve/,
    );
  });
});
