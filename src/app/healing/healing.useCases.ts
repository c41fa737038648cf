// Starting a sweep, whichever channel asks: the REST API and chat (of the fleet or one registry, now) and
// the schedule. One sweep per instance id: a second start that loses the race counts as "running", and is
// audited as refused (a skipped tick as skipped); an engine that cannot be reached starts nothing and
// throws EngineUnavailableError.
import type { DurableClient } from 'durable-functions';

import { auditStore } from '../../azure/auditStoreFactory';
import {
  approvalTimeoutMinutes,
  healMaxAttempts,
  healParallelism,
  pollingPolicy,
} from '../../config/settings';
import { SWEEP_INSTANCE_ID, parseRegistryId, registrySweepInstanceId } from '../../domain';
import type { AuditActor, AuditChannel, AuditOutcome, ChatReplyTarget, SweepRequest } from '../../domain';
import { findOperation, isActive, startOperation } from '../operations/operations.useCases';
import { SWEEP_ORCHESTRATION } from './healing.contract';
import type { SweepInput } from './healing.contract';

export type SweepStart =
  { started: true; instanceId: string } | { started: false; instanceId: string; reason: string };

/** Who runs the scheduled sweeps, in the audit trail. */
export const SCHEDULE_ACTOR: AuditActor = { id: 'schedule', name: 'heal schedule' };

/** A sweep request with the settings' parallelism, polling, attempts and approval timeout. */
export function sweepRequest(
  actor: AuditActor,
  channel: AuditChannel,
  dryRun: boolean,
  registryId?: string,
  replyTo?: ChatReplyTarget,
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
    ...(replyTo === undefined ? {} : { replyTo }),
  };
}

/** A sweep someone asked for: started, or refused (and audited as refused) while one is running. */
export async function requestSweep(client: DurableClient, request: SweepRequest): Promise<SweepStart> {
  const start = await startSweep(client, request);
  if (!start.started) {
    await auditSweepRequest(request, 'refused', { refusal: 'sweep-in-progress', reason: start.reason });
  }
  return start;
}

/** A tick of the schedule: a sweep of the fleet, or a skipped tick (audited) while one is running. */
export async function sweepOnSchedule(client: DurableClient): Promise<SweepStart> {
  const request = sweepRequest(SCHEDULE_ACTOR, 'schedule', false);
  const start = await startSweep(client, request);
  if (!start.started) await auditSweepRequest(request, 'skipped', { reason: start.reason });
  return start;
}

/** The sweep's instance: the fleet's, or one registry's. */
export function sweepInstanceId(request: SweepRequest): string {
  return request.registryId === undefined
    ? SWEEP_INSTANCE_ID
    : registrySweepInstanceId(parseRegistryId(request.registryId));
}

async function startSweep(client: DurableClient, request: SweepRequest): Promise<SweepStart> {
  const instanceId = sweepInstanceId(request);
  const current = await findOperation(client, instanceId);
  if (current !== undefined && isActive(current)) {
    return { started: false, instanceId, reason: `a sweep is still ${String(current.runtimeStatus)}` };
  }
  const input: SweepInput = { request };
  return (await startOperation(client, SWEEP_ORCHESTRATION, instanceId, input)) === 'started'
    ? { started: true, instanceId }
    : { started: false, instanceId, reason: 'another sweep has just started' };
}

/** An audit entry about the sweep itself, written when the request is refused or the tick skipped. */
async function auditSweepRequest(
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
