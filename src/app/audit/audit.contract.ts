// Name and shape of the activity that appends an orchestration step to the audit trail, shared by the
// orchestrations that call it and the module that implements it.
import type { AuditRecord } from '../../domain';

export const WRITE_AUDIT_ACTIVITY = 'auditWrite';

export interface AuditWrite {
  record: AuditRecord;
  /** The same on every replay and retry of the step, so a repeated write is a no-op. */
  entryId: string;
}
