// The storage account the app keeps its tables (and blobs) in, read the way the Functions host reads
// `AzureWebJobsStorage`: a connection string when that setting has a value (Azurite locally), otherwise
// an identity-based connection from `AzureWebJobsStorage__*` settings, with no key anywhere.
import { isUnresolvedKeyVaultReference, missingSettingReason, resolvedSetting } from './keyVaultReference';

type Env = Record<string, string | undefined>;

export type StorageSettings =
  | { kind: 'connection-string'; connectionString: string }
  | {
      kind: 'identity';
      tableServiceUri: string;
      /** Absent when neither `__blobServiceUri` nor `__accountName` is set. */
      blobServiceUri?: string;
      /** `managedidentity`: ManagedIdentityCredential; unset: DefaultAzureCredential (developer sign-in). */
      credential: 'managedidentity' | 'default';
      /** Client id of a user-assigned identity. */
      clientId?: string;
    };

/** What `UseDevelopmentStorage=true` means: Azurite's well-known account on loopback (not a secret). */
const DEVELOPMENT_STORAGE =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
  'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;' +
  'QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;' +
  'TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

/** The app's own storage account (`AzureWebJobsStorage`, or `AzureWebJobsStorage__*` for an identity). */
export function appStorageSettings(env: Env = process.env): StorageSettings {
  const connectionString = resolvedSetting(env.AzureWebJobsStorage);
  if (connectionString !== undefined) return fromConnectionString(connectionString);

  const accountName = resolvedSetting(env.AzureWebJobsStorage__accountName);
  const tableServiceUri =
    serviceUri('AzureWebJobsStorage__tableServiceUri', env.AzureWebJobsStorage__tableServiceUri) ??
    accountEndpoint(accountName, 'table');
  const blobServiceUri =
    serviceUri('AzureWebJobsStorage__blobServiceUri', env.AzureWebJobsStorage__blobServiceUri) ??
    accountEndpoint(accountName, 'blob');
  if (tableServiceUri === undefined) {
    throw new Error(
      `${missingSettingReason('AzureWebJobsStorage', env.AzureWebJobsStorage)}, and no identity-based ` +
        'connection is configured either: set AzureWebJobsStorage to a connection string, or ' +
        'AzureWebJobsStorage__tableServiceUri (or AzureWebJobsStorage__accountName) with ' +
        'AzureWebJobsStorage__credential=managedidentity',
    );
  }
  const clientId = resolvedSetting(env.AzureWebJobsStorage__clientId);
  return {
    kind: 'identity',
    tableServiceUri,
    ...(blobServiceUri === undefined ? {} : { blobServiceUri }),
    credential: credentialKind(env.AzureWebJobsStorage__credential),
    ...(clientId === undefined ? {} : { clientId }),
  };
}

/**
 * The audit trail's account: `AUDIT_STORAGE` (a connection string) when set, else the app's own. A
 * separate account that was asked for but did not resolve is an error, not a quiet fallback.
 */
export function auditStorageSettings(env: Env = process.env): StorageSettings {
  if (isUnresolvedKeyVaultReference(env.AUDIT_STORAGE)) {
    throw new Error(missingSettingReason('AUDIT_STORAGE', env.AUDIT_STORAGE));
  }
  const value = resolvedSetting(env.AUDIT_STORAGE);
  return value === undefined ? appStorageSettings(env) : fromConnectionString(value);
}

function fromConnectionString(value: string): StorageSettings {
  return {
    kind: 'connection-string',
    connectionString: value === 'UseDevelopmentStorage=true' ? DEVELOPMENT_STORAGE : value,
  };
}

function serviceUri(name: string, value: string | undefined): string | undefined {
  const text = resolvedSetting(value);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${name} must be an https URL such as https://<account>.table.core.windows.net`);
  }
  // Bearer tokens travel over https only; the storage SDKs refuse to send them otherwise.
  if (url.protocol !== 'https:') throw new Error(`${name} must be an https URL, not ${url.protocol}`);
  return text.replace(/\/+$/, '');
}

function accountEndpoint(accountName: string | undefined, service: 'table' | 'blob'): string | undefined {
  if (accountName === undefined) return undefined;
  if (!/^[a-z0-9]{3,24}$/.test(accountName)) {
    throw new Error(
      `AzureWebJobsStorage__accountName must be a storage account name (3-24 lower-case letters or digits), not "${accountName}"`,
    );
  }
  return `https://${accountName}.${service}.core.windows.net`;
}

function credentialKind(value: string | undefined): 'managedidentity' | 'default' {
  const text = resolvedSetting(value);
  if (text === undefined) return 'default';
  if (text.toLowerCase() === 'managedidentity') return 'managedidentity';
  throw new Error(`AzureWebJobsStorage__credential must be managedidentity (or unset), not "${text}"`);
}
