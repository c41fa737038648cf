// Starts the sweep under its one instance id unless a sweep is still running. The check and the start
// race with another starter; what runs under the id afterwards decides whether this one started.
import type { DurableClient } from 'durable-functions';

import { auditStore } from '../azure/auditStoreFactory';
import { startExclusive } from '../azure/exclusiveStart';
import { approvalTimeoutMinutes, healMaxAttempts, healParallelism, pollingPolicy } from '../config/settings';
import { SWEEP_INSTANCE_ID, parseRegistryId, registrySweepInstanceId } from '../domain';
import type { AuditActor, AuditChannel, AuditOutcome, SweepRequest } from '../domain';
import { SWEEP_ORCHESTRATION } from '../orchestrations/names';
import type { SweepInput } from '../orchestrations/healSweep';

/** `busy`: another sweep holds the id; otherwise the start failed for another reason. */
export type SweepStart = { started: true } | { started: false; busy: boolean; reason: string };

/** A sweep request from settings. */
export function sweepRequest(
  actor: AuditActor,
  channel: AuditChannel,
  dryRun: boolean,
  registryId?: string,
): SweepRequest {
  return {
    ...(registryId === undefined ? {} : { registryId }),
    actor,
    channel,
    requestedAt: new Date().toISOString(),
    dryRun,
    parallelism: healParallelism(),
    polling: pollingPolicy(),
    maxAttempts: healMaxAttempts(),
    approvalTimeoutMinutes: approvalTimeoutMinutes(),
  };
}

/** The sweep's instance: the fleet's, or one registry's. */
export function sweepInstanceId(request: SweepRequest): string {
  return request.registryId === undefined
    ? SWEEP_INSTANCE_ID
    : registrySweepInstanceId(parseRegistryId(request.registryId));
}

export async function startSweep(client: DurableClient, request: SweepRequest): Promise<SweepStart> {
  const input: SweepInput = { request };
  const start = await startExclusive(client, SWEEP_ORCHESTRATION, sweepInstanceId(request), input);
  switch (start.outcome) {
    case 'started':
      return { started: true };
    case 'busy':
      return { started: false, busy: true, reason: `a sweep is still ${start.runtimeStatus}` };
    case 'failed':
      return {
        started: false,
        busy: false,
        reason: `the sweep could not be started: ${start.reason.slice(0, 500)}`,
      };
  }
}

/** An audit entry about the sweep itself, written before the orchestration exists or when it is refused. */
export async function auditSweepRequest(
  request: SweepRequest,
  outcome: AuditOutcome,
  detail: Record<string, unknown>,
): Promise<void> {
  await auditStore().append(
    {
      time: request.requestedAt,
      actor: request.actor,
      channel: request.channel,
      operation: 'sweep',
      target: request.registryId ?? SWEEP_INSTANCE_ID,
      instanceId: sweepInstanceId(request),
      step: 'requested',
      outcome,
      detail: { dryRun: request.dryRun, ...detail },
    },
    `${sweepInstanceId(request)}|${request.requestedAt}|requested|${request.channel}`,
  );
}
