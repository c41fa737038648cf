import { auditTableName } from '../config/settings';
import { auditStorageSettings } from '../config/storageSettings';
import { AuditStore, BOUNDED_RETRY } from './auditStore';
import { tableClientFor } from './storageClients';

let shared: AuditStore | undefined;

/**
 * The app's audit store (table `AUDIT_TABLE` in `AUDIT_STORAGE`, else the app's storage, by connection
 * string or identity), shared within this process.
 */
export function auditStore(): AuditStore {
  shared ??= new AuditStore(
    tableClientFor(auditStorageSettings(), auditTableName(), { retryOptions: BOUNDED_RETRY }),
  );
  return shared;
}
