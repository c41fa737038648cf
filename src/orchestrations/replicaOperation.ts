// Create, update or delete one replica, the way an operator would: check, start ARM's operation, then
// watch the replica with durable timers until it settles, gives up as stuck, or is gone for good.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';

import {
  PREFLIGHT_ACTIVITY,
  READ_REPLICA_ACTIVITY,
  START_ARM_OPERATION_ACTIVITY,
  WRITE_AUDIT_ACTIVITY,
} from '../activities/replicaActivities';
import type { AuditWrite, ReplicaSnapshot } from '../activities/replicaActivities';
import type { PreflightVerdict } from '../activities/preflight';
import { judgeState, pastDeadline, pollDelaySeconds } from '../domain';
import type {
  AuditOutcome,
  OperationPhase,
  OperationProgress,
  OperationResult,
  OperationStatus,
  ReplicaOperationInput,
} from '../domain';

export const REPLICA_OPERATION_ORCHESTRATION = 'replicaOperation';

/** Transient failures (throttling, ARM hiccups, storage blips) are retried by Durable with backoff. */
const ACTIVITY_RETRY = new df.RetryOptions(2000, 5);
ACTIVITY_RETRY.backoffCoefficient = 2;
ACTIVITY_RETRY.maxRetryIntervalInMilliseconds = 60000;

export function* replicaOperation(
  context: OrchestrationContext,
): Generator<unknown, OperationResult | undefined, unknown> {
  const { request, progress: carried } = context.df.getInput<ReplicaOperationInput>();
  const instanceId = context.df.instanceId;
  const now = (): Date => context.df.currentUtcDateTime;
  const progress: OperationProgress = carried ?? { polls: 0, consecutiveGone: 0, generation: 0 };

  const status = (phase: OperationPhase, snapshot?: ReplicaSnapshot): void => {
    const value: OperationStatus = {
      operation: request.kind,
      target: request.replicaId,
      phase,
      ...(snapshot?.provisioningState === undefined ? {} : { provisioningState: snapshot.provisioningState }),
      ...(snapshot?.displayStatus === undefined ? {} : { displayStatus: snapshot.displayStatus }),
      polls: progress.polls,
      generation: progress.generation,
      requestedAt: request.requestedAt,
      ...(progress.armStartedAt === undefined ? {} : { armStartedAt: progress.armStartedAt }),
      updatedAt: now().toISOString(),
    };
    context.df.setCustomStatus(value);
  };
  const audit = (step: string, outcome: AuditOutcome, detail?: Record<string, unknown>): df.Task => {
    const write: AuditWrite = {
      entryId: `${instanceId}|${request.requestedAt}|${step}|${progress.polls}`,
      record: {
        time: now().toISOString(),
        actor: request.actor,
        channel: request.channel,
        operation: request.kind,
        target: request.replicaId,
        instanceId,
        step,
        outcome,
        ...(detail === undefined ? {} : { detail }),
      },
    };
    return context.df.callActivityWithRetry(WRITE_AUDIT_ACTIVITY, ACTIVITY_RETRY, write);
  };

  if (progress.armStartedAt === undefined) {
    status('preflight');
    const verdict = (yield context.df.callActivityWithRetry(
      PREFLIGHT_ACTIVITY,
      ACTIVITY_RETRY,
      request,
    )) as PreflightVerdict;
    if (!verdict.ok) {
      yield audit('preflight', 'refused', { refusal: verdict.refusal, detail: verdict.detail });
      status('refused');
      return {
        outcome: 'refused',
        phase: 'refused',
        reason: verdict.detail,
        evidence: { refusal: verdict.refusal },
      };
    }
    yield audit('preflight', 'succeeded');

    status('starting');
    yield context.df.callActivityWithRetry(START_ARM_OPERATION_ACTIVITY, ACTIVITY_RETRY, request);
    progress.armStartedAt = now().toISOString();
    yield audit('arm-started', 'started');
  }
  const armStartedAt = progress.armStartedAt;
  const waitingPhase: OperationPhase = request.kind === 'delete' ? 'deleting' : 'provisioning';
  status(waitingPhase);

  for (let pollsThisGeneration = 0; ; pollsThisGeneration += 1) {
    if (pollsThisGeneration >= request.polling.pollsPerGeneration) {
      // A fresh history for the next stretch of waiting, however long provisioning takes.
      context.df.continueAsNew({ request, progress: { ...progress, generation: progress.generation + 1 } });
      return undefined;
    }
    const delay =
      progress.consecutiveGone > 0
        ? request.polling.initialSeconds
        : pollDelaySeconds(progress.polls, request.polling);
    yield context.df.createTimer(new Date(now().getTime() + delay * 1000));
    const snapshot = (yield context.df.callActivityWithRetry(
      READ_REPLICA_ACTIVITY,
      ACTIVITY_RETRY,
      request.replicaId,
    )) as ReplicaSnapshot;
    progress.polls += 1;
    const verdict = snapshot.exists
      ? judgeState(request.kind, snapshot.provisioningState)
      : judgeState(request.kind, undefined);

    if (request.kind === 'delete' && verdict === 'gone') {
      progress.consecutiveGone += 1;
      status('confirming-deletion', snapshot);
      if (progress.consecutiveGone >= request.polling.goneConfirmations) {
        yield audit('completed', 'succeeded', { confirmations: progress.consecutiveGone });
        status('succeeded');
        return { outcome: 'succeeded', phase: 'succeeded' };
      }
      continue;
    }
    progress.consecutiveGone = 0;
    status(waitingPhase, snapshot);

    if (snapshot.provisioningState !== progress.lastState) {
      progress.lastState = snapshot.provisioningState;
      if (verdict === 'in-progress')
        yield audit(`state-${snapshot.provisioningState ?? 'absent'}`, 'progress');
    }
    if (verdict === 'succeeded') {
      yield audit('completed', 'succeeded', { provisioningState: snapshot.provisioningState });
      status('succeeded', snapshot);
      return { outcome: 'succeeded', phase: 'succeeded', provisioningState: snapshot.provisioningState };
    }
    if (verdict === 'failed') {
      const evidence = { ...snapshot };
      yield audit('completed', 'failed', evidence);
      status('failed', snapshot);
      return {
        outcome: 'failed',
        phase: 'failed',
        provisioningState: snapshot.provisioningState,
        reason: snapshot.statusMessage ?? `the replica ended ${snapshot.provisioningState ?? 'absent'}`,
        evidence,
      };
    }
    if (pastDeadline(armStartedAt, now(), request.polling)) {
      const evidence = {
        ...snapshot,
        armStartedAt,
        deadlineMinutes: request.polling.deadlineMinutes,
        polls: progress.polls,
      };
      yield audit('completed', 'failed', { stuck: true, ...evidence });
      status('stuck', snapshot);
      return {
        outcome: 'stuck',
        phase: 'stuck',
        provisioningState: snapshot.provisioningState,
        reason: `still ${snapshot.provisioningState ?? 'unknown'} after ${request.polling.deadlineMinutes} minutes`,
        evidence,
      };
    }
  }
}

df.app.orchestration(REPLICA_OPERATION_ORCHESTRATION, replicaOperation as OrchestrationHandler);
