// The app's one audit store, built from settings: the table, its anchors' container in the same account,
// and the signing key. A key setting that cannot be read makes writes and verification fail as unavailable
// (503, the reason in the log) rather than the trail being kept unsigned without anyone asking for that.
import { auditSigningKey, auditTableName } from '../config/settings';
import { auditStorageSettings } from '../config/storageSettings';
import { ANCHOR_RETRY, AuditAnchors, anchorContainerName } from './auditAnchors';
import type { ContainerClient } from '@azure/storage-blob';
import { AuditStore, BOUNDED_RETRY } from './auditStore';
import { blobServiceClientFor, tableClientFor } from './storageClients';

let shared: AuditStore | undefined;

/**
 * The app's audit store (table `AUDIT_TABLE` in `AUDIT_STORAGE`, else the app's storage, by connection
 * string or identity), shared within this process.
 */
export function auditStore(): AuditStore {
  if (shared !== undefined) return shared;
  let key: { signingKey?: Uint8Array } | { keyProblem: unknown };
  try {
    const signingKey = auditSigningKey();
    key = signingKey === undefined ? {} : { signingKey };
  } catch (error) {
    key = { keyProblem: error };
  }
  const settings = auditStorageSettings();
  const tableName = auditTableName();
  let container: ContainerClient | undefined;
  shared = new AuditStore(tableClientFor(settings, tableName, { retryOptions: BOUNDED_RETRY }), {
    // Made when first used: an account without a blob endpoint fails then, as unavailable.
    anchors: new AuditAnchors(
      () =>
        (container ??= blobServiceClientFor(settings, { retryOptions: ANCHOR_RETRY }).getContainerClient(
          anchorContainerName(tableName),
        )),
    ),
    ...key,
  });
  return shared;
}
