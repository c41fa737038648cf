// The app's one audit store, built from settings: the table, its anchors' container in the same account,
// and the signing key. A key setting that cannot be read makes writes and verification fail as unavailable
// (503, the reason in the log) rather than the trail being kept unsigned without anyone asking for that.
import { auditSigningKey, auditStorageConnectionString, auditTableName } from '../config/settings';
import { AuditStore } from './auditStore';

let shared: AuditStore | undefined;

/** The app's audit store (table `AUDIT_TABLE` in `AUDIT_STORAGE`), shared within this process. */
export function auditStore(): AuditStore {
  if (shared !== undefined) return shared;
  let key: { signingKey?: Uint8Array } | { keyProblem: unknown };
  try {
    const signingKey = auditSigningKey();
    key = signingKey === undefined ? {} : { signingKey };
  } catch (error) {
    key = { keyProblem: error };
  }
  shared = AuditStore.fromConnectionString(auditStorageConnectionString(), auditTableName(), key);
  return shared;
}
