import { auditStorageConnectionString, auditTableName } from '../config/settings';
import { AuditStore } from './auditStore';

let shared: AuditStore | undefined;

/** The app's audit store (table `AUDIT_TABLE` in `AUDIT_STORAGE`), shared within this process. */
export function auditStore(): AuditStore {
  shared ??= AuditStore.fromConnectionString(auditStorageConnectionString(), auditTableName());
  return shared;
}
