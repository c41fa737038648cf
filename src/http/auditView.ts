// What the HTTP API shows of an audit entry: the documented fields only, in a stable order, so storage
// details never leak into answers.
import type { AuditEntry } from '../domain';

export interface AuditEntryView {
  time: string;
  actor: { id: string; name?: string };
  channel: string;
  operation: string;
  target: string;
  instanceId?: string;
  step: string;
  outcome: string;
  detail?: Record<string, unknown>;
  sequence: number;
  hash: string;
  previousHash: string;
  entryId: string;
}

export function toAuditEntryView(entry: AuditEntry): AuditEntryView {
  return {
    time: entry.time,
    actor:
      entry.actor.name === undefined
        ? { id: entry.actor.id }
        : { id: entry.actor.id, name: entry.actor.name },
    channel: entry.channel,
    operation: entry.operation,
    target: entry.target,
    ...(entry.instanceId === undefined ? {} : { instanceId: entry.instanceId }),
    step: entry.step,
    outcome: entry.outcome,
    ...(entry.detail === undefined ? {} : { detail: entry.detail }),
    sequence: entry.sequence,
    hash: entry.hash,
    previousHash: entry.previousHash,
    entryId: entry.entryId,
  };
}
