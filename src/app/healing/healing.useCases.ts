// Starting a sweep, whichever channel asks: the REST API and chat (a sweep of the fleet or of one
// registry, now) and the schedule. One sweep per instance id: what runs under the id after the start
// decides whether this one started (the host drops a start that loses a race without a word). Either
// way the request is in the audit trail: refused or skipped while a sweep runs, failed when the engine
// would not start it (the transports then answer that the engine is unavailable).
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
import { startAlone } from '../operations/operations.useCases';
import { SWEEP_ORCHESTRATION } from './healing.contract';
import type { SweepInput } from './healing.contract';

/** `busy`: another sweep holds the id; otherwise the start failed for another reason. */
export type SweepStart =
  | { started: true; instanceId: string }
  | { started: false; busy: boolean; instanceId: string; reason: string };

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
    await auditSweepRequest(
      request,
      start.busy ? 'refused' : 'failed',
      start.busy ? { refusal: 'sweep-in-progress', reason: start.reason } : { reason: start.reason },
    );
  }
  return start;
}

/** A tick of the schedule: a sweep of the fleet, or a skipped tick (audited) while one is running. */
export async function sweepOnSchedule(client: DurableClient): Promise<SweepStart> {
  const request = sweepRequest({ kind: 'schedule', actor: SCHEDULE_ACTOR }, false);
  const start = await startSweep(client, request);
  if (!start.started) {
    await auditSweepRequest(request, start.busy ? 'skipped' : 'failed', { reason: start.reason });
  }
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
  const input: SweepInput = { request };
  const start = await startAlone(client, SWEEP_ORCHESTRATION, instanceId, input);
  switch (start.outcome) {
    case 'started':
      return { started: true, instanceId };
    case 'busy':
      return { started: false, busy: true, instanceId, reason: `a sweep is still ${start.runtimeStatus}` };
    case 'failed':
      return {
        started: false,
        busy: false,
        instanceId,
        reason: `the sweep could not be started: ${start.reason.slice(0, 500)}`,
      };
  }
}

/** An audit entry about the sweep itself, written when the request is refused, the tick skipped or the start failed. */
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
