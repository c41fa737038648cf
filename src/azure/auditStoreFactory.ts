import { auditTableName, storageConnectionString } from '../config/settings';
import { AuditStore } from './auditStore';

let shared: AuditStore | undefined;

/** The app's audit store (table `AUDIT_TABLE` in `AzureWebJobsStorage`), shared within this process. */
export function auditStore(): AuditStore {
  shared ??= AuditStore.fromConnectionString(storageConnectionString(), auditTableName());
  return shared;
}
