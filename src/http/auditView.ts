// What the HTTP API shows of an audit entry: the documented fields only, in a stable order, so storage
// details never leak into answers. A damaged entry shows what could be read and names the rest.
import type { AuditEntry, ChainVerdict } from '../domain';

export interface AuditEntryView {
  time?: string;
  actor?: { id: string; name?: string };
  channel?: string;
  operation?: string;
  target?: string;
  instanceId?: string;
  step?: string;
  outcome?: string;
  detail?: Record<string, unknown>;
  sequence?: number;
  hash?: string;
  previousHash?: string;
  mac?: string;
  entryId?: string;
  /** The stored fields that cannot be read; present only for a damaged entry. */
  damaged?: string[];
}

/** Which field of the view each stored field feeds. */
const VIEW_FIELD: Record<string, keyof AuditEntryView> = { actorId: 'actor', actorName: 'actor' };

export function toAuditEntryView(entry: AuditEntry): AuditEntryView {
  const view: AuditEntryView = {
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
    ...(entry.mac === undefined ? {} : { mac: entry.mac }),
    entryId: entry.entryId,
  };
  if (entry.damaged === undefined || entry.damaged.length === 0) return view;
  for (const field of entry.damaged) delete view[VIEW_FIELD[field] ?? (field as keyof AuditEntryView)];
  return { ...view, damaged: [...entry.damaged] };
}

/** What `GET /api/audit/verify` answers about a registry's partition. */
export function toChainVerdictView(
  registry: string,
  verdict: ChainVerdict & { partition: string; keyId?: string },
): Record<string, unknown> {
  return {
    registry,
    partition: verdict.partition,
    intact: verdict.intact,
    entries: verdict.entries,
    protection: verdict.protection,
    ...(verdict.keyId === undefined ? {} : { keyId: verdict.keyId }),
    ...(verdict.legacy === undefined ? {} : { legacy: verdict.legacy }),
    anchors: verdict.anchors,
    ...(verdict.firstBreak === undefined ? {} : { firstBreak: verdict.firstBreak }),
  };
}
