// Recording a request that starts no orchestration (a read, a usage answer, a refusal, a refused click)
// in the audit trail. Best effort: nothing changes either way, and the caller should get an answer even
// when the audit trail is down, so a failed write is logged rather than raised.
import { randomUUID } from 'node:crypto';

import { auditStore } from '../../azure/auditStoreFactory';
import type { AuditRecord } from '../../domain';

/**
 * Appends `record`, stamped now, under an entry id that starts with `keyPrefix` and is unique to this
 * write. `what` names the request in the warning when the write fails.
 */
export async function auditRequestBestEffort(
  record: Omit<AuditRecord, 'time'>,
  keyPrefix: string,
  what: string,
  warn: (message: string) => void,
): Promise<void> {
  const time = new Date().toISOString();
  try {
    await auditStore().append({ time, ...record }, `${keyPrefix}|${time}|${randomUUID()}`);
  } catch (error) {
    warn(`could not audit ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
