// Starting a sweep, whichever channel asks: the REST API and chat (a sweep of the fleet or of one
// registry, now) and the schedule. One sweep per instance id: the check and the start race with another
// starter, and the engine refuses the second start, which counts as "running" too. Either way the
// request is in the audit trail: a refused request as refused, a skipped tick as skipped.
import type { DurableClient } from 'durable-functions';

import { auditStore } from '../../azure/auditStoreFactory';
import {
  approvalTimeoutMinutes,
  healMaxAttempts,
  healParallelism,
  pollingPolicy,
} from '../../config/settings';
import { SWEEP_INSTANCE_ID, parseRegistryId, registrySweepInstanceId } from '../../domain';
import type {
  AuditActor,
  AuditChannel,
  AuditOutcome,
  ChatReplyTarget,
  RequestOrigin,
  SweepRequest,
} from '../../domain';
import { approvalPolicyOf } from '../approval/approval.useCases';
import { findOperation, isActive } from '../operations/operations.useCases';
import { SWEEP_ORCHESTRATION } from './healing.contract';
import type { SweepInput } from './healing.contract';

export type SweepStart =
  { started: true; instanceId: string } | { started: false; instanceId: string; reason: string };

/** Who runs the scheduled sweeps, in the audit trail. */
export const SCHEDULE_ACTOR: AuditActor = { id: 'schedule', name: 'heal schedule' };

/**
 * A sweep request with the settings' parallelism, polling, attempts and approval timeout, and the
 * approval policy its heals will record: who may decide when a registry's policy is `approve`.
 */
export function sweepRequest(
  origin: RequestOrigin,
  dryRun: boolean,
  registryId?: string,
  replyTo?: ChatReplyTarget,
): SweepRequest {
  return {
    ...(registryId === undefined ? {} : { registryId }),
    actor: origin.actor,
    channel: CHANNELS[origin.kind],
    requestedAt: new Date().toISOString(),
    dryRun,
    parallelism: healParallelism(),
    polling: pollingPolicy(),
    maxAttempts: healMaxAttempts(),
    approvalTimeoutMinutes: approvalTimeoutMinutes(),
    ...(replyTo === undefined ? {} : { replyTo }),
    approvalPolicy: approvalPolicyOf(origin),
  };
}

const CHANNELS: Record<RequestOrigin['kind'], AuditChannel> = {
  rest: 'api',
  schedule: 'schedule',
  slack: 'chat',
  teams: 'chat',
};

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
  const request = sweepRequest({ kind: 'schedule', actor: SCHEDULE_ACTOR }, false);
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
  try {
    const input: SweepInput = { request };
    await client.startNew(SWEEP_ORCHESTRATION, { instanceId, input });
    return { started: true, instanceId };
  } catch (error) {
    return {
      started: false,
      instanceId,
      reason: `another sweep has just started (${error instanceof Error ? error.message : String(error)})`,
    };
  }
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
