// The app's storage clients over an identity-based connection, as in Azure: no key, a managed identity's
// tokens for Azure Storage. Azurite stands in for the account, over HTTPS (a certificate from the CA this
// process trusts) with `--oauth basic`, which checks each bearer token's issuer, audience and lifetime
// (not its signature); the tokens come from the launcher sandbox's managed-identity endpoint through
// @azure/identity, as on App Service. The same code with a connection string serves Azurite locally.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TableClient } from '@azure/data-tables';
import { RestError } from '@azure/core-rest-pipeline';

import { SandboxTokenCredential, trustedServerCertificate } from '@acr-replica-guard/sandbox/testing';
import { blobServiceClientFor, tableClientFor } from '../../src/azure/storageClients';
import { WatchStore } from '../../src/azure/watchStore';
import { appStorageSettings } from '../../src/config/storageSettings';
import { parseRegistryId } from '../../src/domain';
import { startAzurite } from '../../tools/azurite';
import type { RunningAzurite } from '../../tools/azurite';
import { launcherSandbox } from '../support/appFleet';
import { storageConnectionString, uniqueTableName } from '../support/storage';

/** The app's user-assigned identity, as the infrastructure gives it (its client id in the settings). */
const IDENTITY = {
  objectId: randomUUID(),
  appId: randomUUID(),
  displayName: 'id-replica-guard',
};

let azurite: RunningAzurite;
let certificates: string;

beforeAll(async () => {
  certificates = mkdtempSync(join(tmpdir(), 'azurite-oauth-'));
  const { cert, key } = await trustedServerCertificate();
  writeFileSync(join(certificates, 'cert.pem'), cert);
  writeFileSync(join(certificates, 'key.pem'), key, { mode: 0o600 });
  azurite = await startAzurite({
    tls: { certPath: join(certificates, 'cert.pem'), keyPath: join(certificates, 'key.pem') },
  });
  const seeded = await launcherSandbox().call('POST', '/seed', { principals: [IDENTITY] });
  expect(seeded.status).toBe(200);
});

afterAll(async () => {
  await azurite?.stop();
  rmSync(certificates, { recursive: true, force: true });
});

/** The settings the infrastructure gives the Function App, pointed at the OAuth Azurite. */
function identitySettings(): Record<string, string> {
  return {
    AzureWebJobsStorage__credential: 'managedidentity',
    AzureWebJobsStorage__clientId: IDENTITY.appId,
    AzureWebJobsStorage__tableServiceUri: azurite.tableServiceUri,
    AzureWebJobsStorage__blobServiceUri: azurite.blobServiceUri ?? '',
    AzureWebJobsStorage__queueServiceUri: azurite.tableServiceUri.replace(/:\d+\//, ':1/'),
  };
}

describe('an identity-based storage connection', () => {
  test('keeps the watch table through the managed identity, with no key', async () => {
    const settings = appStorageSettings(identitySettings());
    expect(settings.kind).toBe('identity');
    const watch = new WatchStore(tableClientFor(settings, uniqueTableName('oauthwatch')));
    const registryId = `/subscriptions/${randomUUID()}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/crwatch01`;
    const seenAt = new Date().toISOString();

    const firstSeen = await watch.observe(
      parseRegistryId(registryId),
      [{ name: 'eastus', replicaId: `${registryId}/replications/eastus`, provisioningState: 'Creating' }],
      seenAt,
    );

    expect(firstSeen).toEqual({ eastus: seenAt });
    expect(await watch.watched(parseRegistryId(registryId))).toHaveLength(1);
  });

  test('writes and reads blobs through the same identity', async () => {
    const blobs = blobServiceClientFor(appStorageSettings(identitySettings()));
    const container = blobs.getContainerClient(`oauth-${randomUUID()}`);
    await container.create();
    const blob = container.getBlockBlobClient('anchor.json');

    await blob.upload('{"head":"abc"}', 14);

    expect((await blob.downloadToBuffer()).toString('utf8')).toBe('{"head":"abc"}');
  });

  test('is refused by the account with a token for another audience: the stand-in checks what Azure checks', async () => {
    // A token the sandbox issues for ARM's audience, not Azure Storage's.
    const armToken = new SandboxTokenCredential(process.env.SANDBOX_URL ?? '', IDENTITY.objectId);
    const table = new TableClient(azurite.tableServiceUri, uniqueTableName('oauthwrong'), armToken);

    const error = await table.createTable().then(
      () => undefined,
      (e: unknown) => e,
    );

    // Azurite answers 403 AuthenticationFailed "Invalid token audience." where Azure answers 401: refused.
    expect(error).toBeInstanceOf(RestError);
    expect([401, 403]).toContain((error as RestError).statusCode);
    expect((error as RestError).message).toMatch(/audience/i);
  });
});

describe('a connection-string connection', () => {
  test('still serves Azurite over http with its development key', async () => {
    const settings = appStorageSettings({
      AzureWebJobsStorage: storageConnectionString(),
      ...identitySettings(),
    });
    expect(settings.kind).toBe('connection-string');
    const table = tableClientFor(settings, uniqueTableName('plain'));

    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', value: 1 });

    expect(await table.getEntity<{ value: number }>('p', 'r')).toMatchObject({ value: 1 });
  });
});
