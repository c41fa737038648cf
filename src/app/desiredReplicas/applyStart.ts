// Starting the apply of a registry's desired replica set, whoever asks (a person through REST or chat, or
// a sweep that found drift): one apply per registry, under the registry's own instance id, started only
// when none runs there, and the request in the audit trail before anything starts.
import type { DurableClient } from 'durable-functions';

import { auditStore } from '../../azure/auditStoreFactory';
import { startExclusive } from '../../azure/exclusiveStart';
import { desiredReplicasInstanceId, parseRegistryId } from '../../domain';
import type { AuditOutcome } from '../../domain';
import { APPLY_OPERATION, APPLY_ORCHESTRATION } from './desiredReplicas.contract';
import type { ApplyInput, ApplyRequest } from './desiredReplicas.contract';

export type ApplyStart =
  | { outcome: 'started'; instanceId: string }
  | { outcome: 'busy'; instanceId: string; detail: string }
  | { outcome: 'failed'; instanceId: string; reason: string };

/**
 * Audits the request, then starts the apply unless one holds the registry. Safe to run again with the
 * same request (an activity may): the entries have the same ids, and a start that finds its own run
 * counts as started. An audit trail that cannot be written throws, and then nothing has started.
 */
export async function startApply(client: DurableClient, request: ApplyRequest): Promise<ApplyStart> {
  const instanceId = desiredReplicasInstanceId(parseRegistryId(request.registryId));
  await auditApply(request, instanceId, 'requested', 'accepted', { trigger: request.trigger });
  const input: ApplyInput = { request };
  const start = await startExclusive(client, APPLY_ORCHESTRATION, instanceId, input);
  if (start.outcome === 'started') return { outcome: 'started', instanceId };
  if (start.outcome === 'busy') {
    await auditApply(request, instanceId, 'start', 'refused', { refusal: 'apply-in-progress' });
    return {
      outcome: 'busy',
      instanceId,
      detail: `An apply of this registry's desired replicas is still ${start.runtimeStatus}.`,
    };
  }
  await auditApply(request, instanceId, 'start', 'failed', { reason: start.reason.slice(0, 500) });
  return { outcome: 'failed', instanceId, reason: start.reason };
}

async function auditApply(
  request: ApplyRequest,
  instanceId: string,
  step: string,
  outcome: AuditOutcome,
  detail: Record<string, unknown>,
): Promise<void> {
  await auditStore().append(
    {
      time: request.requestedAt,
      actor: request.actor,
      channel: request.channel,
      operation: APPLY_OPERATION,
      target: request.registryId,
      instanceId,
      step,
      outcome,
      detail,
    },
    `${instanceId}|${request.requestedAt}|${step}`,
  );
}
