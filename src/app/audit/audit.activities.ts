// The activity that appends an orchestration step to the audit trail (name and shape in
// audit.contract.ts). The entry id makes a repeated write a no-op, so it is safe to run again.
import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

import { auditStore } from '../../azure/auditStoreFactory';
import { WRITE_AUDIT_ACTIVITY } from './audit.contract';
import type { AuditWrite } from './audit.contract';

export const writeAudit: ActivityHandler = async (write: AuditWrite): Promise<void> => {
  await auditStore().append(write.record, write.entryId);
};

df.app.activity(WRITE_AUDIT_ACTIVITY, { handler: writeAudit });
