// The one place that builds Azure Storage clients (tables, blobs) from the storage settings: a connection
// string locally (Azurite), or an identity-based connection in Azure, where a managed identity gets
// tokens for Azure Storage and no account key exists. Callers never see which.
import { TableClient } from '@azure/data-tables';
import type { TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import type { StoragePipelineOptions } from '@azure/storage-blob';

import type { StorageSettings } from '../config/storageSettings';

/** A client for one table of the account the settings name. */
export function tableClientFor(
  settings: StorageSettings,
  tableName: string,
  options: TableServiceClientOptions = {},
): TableClient {
  if (settings.kind === 'connection-string') {
    // Azurite answers over plain http; a connection string's key signs the requests, no token travels.
    return TableClient.fromConnectionString(settings.connectionString, tableName, {
      allowInsecureConnection: true,
      ...options,
    });
  }
  return new TableClient(settings.tableServiceUri, tableName, credentialFor(settings), options);
}

/** A client for the blob service of the account the settings name. */
export function blobServiceClientFor(
  settings: StorageSettings,
  options: StoragePipelineOptions = {},
): BlobServiceClient {
  if (settings.kind === 'connection-string') {
    return BlobServiceClient.fromConnectionString(settings.connectionString, options);
  }
  if (settings.blobServiceUri === undefined) {
    throw new Error(
      'the app needs blob storage: set AzureWebJobsStorage__blobServiceUri (or AzureWebJobsStorage__accountName)',
    );
  }
  return new BlobServiceClient(settings.blobServiceUri, credentialFor(settings), options);
}

/** One credential per identity, so every client of it shares its token cache. */
const credentials = new Map<string, TokenCredential>();

function credentialFor(settings: Extract<StorageSettings, { kind: 'identity' }>): TokenCredential {
  const key = `${settings.credential}|${settings.clientId ?? ''}`;
  let credential = credentials.get(key);
  if (credential === undefined) {
    // `managedidentity` is what the Functions host means by it: the platform's identity endpoint only.
    // Unset, developer sign-ins are tried too, as the host does locally.
    credential =
      settings.credential === 'managedidentity'
        ? new ManagedIdentityCredential(
            settings.clientId === undefined ? {} : { clientId: settings.clientId },
          )
        : new DefaultAzureCredential(
            settings.clientId === undefined ? {} : { managedIdentityClientId: settings.clientId },
          );
    credentials.set(key, credential);
  }
  return credential;
}
