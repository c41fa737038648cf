// Create, update or delete one replica, the way an operator would: check, carry out the ARM writes one
// by one, and after each watch the replica with durable timers until it settles, gives up as stuck, or
// is gone for good. A zone redundancy change is two writes: delete, then create. Before a create on a
// registry with private endpoints it makes sure the app holds the private-link permission, since a
// replica created without it stays stuck in provisioning.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';

import { CHECK_PRIVATE_LINK_ACTIVITY, GRANT_PRIVATE_LINK_ACTIVITY } from '../activities/accessContract';
import type {
  PrivateLinkCheck,
  PrivateLinkCheckInput,
  PrivateLinkGrant,
  PrivateLinkGrantInput,
} from '../activities/accessContract';
import { CHAT_APPROVAL_REQUEST_ACTIVITY, CHAT_REPLY_ACTIVITY } from '../activities/chatContract';
import type { ChatApprovalRequestInput, ChatReplyInput } from '../activities/chatContract';
import type { PreflightVerdict } from '../activities/preflight';
import { REPLICA_OPERATION_ORCHESTRATION } from './names';
import {
  PREFLIGHT_ACTIVITY,
  READ_REPLICA_ACTIVITY,
  START_ARM_OPERATION_ACTIVITY,
} from '../activities/replicaActivities';
import type { ReplicaSnapshot, StartArmAction } from '../activities/replicaActivities';
import {
  PERMISSION_CHECKS,
  PRIVATE_LINK_ACTION,
  describeArmActions,
  formatRegistryId,
  judgeState,
  parseReplicaId,
  pastDeadline,
  planArmActions,
  pollDelaySeconds,
  registryOfReplica,
} from '../domain';
import type {
  AuditOutcome,
  PrivateLinkPlan,
  OperationPhase,
  OperationProgress,
  OperationResult,
  OperationStatus,
  ReplicaOperationInput,
} from '../domain';
import { awaitApproval } from './approval';
import { ACTIVITY_RETRY, auditStep, failureMessage } from './auditStep';

export { REPLICA_OPERATION_ORCHESTRATION };

export function* replicaOperation(
  context: OrchestrationContext,
): Generator<unknown, OperationResult | undefined, unknown> {
  const { request, progress } = context.df.getInput<ReplicaOperationInput>();
  const startedAt = progress?.startedAt ?? context.df.currentUtcDateTime.toISOString();
  const result = yield* runReplicaOperation(context, startedAt);
  // Continued as new (undefined): the next generation will report. Otherwise the operation is over.
  if (result !== undefined && request.replyTo !== undefined) {
    const reply: ChatReplyInput = {
      replyTo: request.replyTo,
      operation: request.kind,
      target: request.replicaId,
      outcome: result.outcome,
      ...(result.reason === undefined ? {} : { reason: result.reason }),
      ...(result.provisioningState === undefined ? {} : { provisioningState: result.provisioningState }),
      startedAt,
      endedAt: context.df.currentUtcDateTime.toISOString(),
    };
    yield context.df.callActivityWithRetry(CHAT_REPLY_ACTIVITY, ACTIVITY_RETRY, reply);
  }
  return result;
}

function* runReplicaOperation(
  context: OrchestrationContext,
  startedAt: string,
): Generator<unknown, OperationResult | undefined, unknown> {
  const { request, progress: carried } = context.df.getInput<ReplicaOperationInput>();
  const now = (): Date => context.df.currentUtcDateTime;
  const progress: OperationProgress = carried ?? {
    startedAt,
    step: 0,
    polls: 0,
    consecutiveGone: 0,
    generation: 0,
  };

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
  const subject = {
    actor: request.actor,
    channel: request.channel,
    operation: request.kind,
    target: request.replicaId,
    requestedAt: request.requestedAt,
  };
  const audit = (step: string, outcome: AuditOutcome, detail?: Record<string, unknown>): df.Task =>
    auditStep(context, subject, step, outcome, `${progress.step}|${progress.polls}`, detail);

  if (progress.actions === undefined) {
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
    progress.actions = planArmActions(request, verdict.replica);
    if (verdict.privateLink !== undefined) progress.privateLink = verdict.privateLink;
    yield audit('preflight', 'succeeded', { plan: progress.actions.map((a) => a.kind) });

    if (request.approval !== undefined) {
      status('awaiting-approval');
      if (request.replyTo !== undefined) {
        const ask: ChatApprovalRequestInput = {
          replyTo: request.replyTo,
          instanceId: context.df.instanceId,
          summary: `${request.kind} replica ${parseReplicaId(request.replicaId).replicaName} of ${parseReplicaId(request.replicaId).registryName}?`,
          plan: describeArmActions(progress.actions, progress.privateLink),
          requestedBy: request.actor,
          timeoutMinutes: request.approval.timeoutMinutes,
        };
        yield context.df.callActivityWithRetry(CHAT_APPROVAL_REQUEST_ACTIVITY, ACTIVITY_RETRY, ask);
      }
      const decision = yield* awaitApproval(context, request.approval.timeoutMinutes);
      if (decision === 'timeout' || !decision.approved) {
        const reason =
          decision === 'timeout'
            ? 'no approval before the timeout: nothing was changed'
            : `rejected by ${decision.approver.name ?? decision.approver.id}: nothing was changed`;
        yield audit(
          'approval',
          decision === 'timeout' ? 'skipped' : 'refused',
          decision === 'timeout' ? { reason } : { approver: decision.approver },
        );
        status('refused');
        return { outcome: 'refused', phase: 'refused', reason };
      }
      yield audit('approval', 'accepted', { approver: decision.approver });
    }
  }
  const actions = progress.actions;

  let pollsThisGeneration = 0;
  let last: ReplicaSnapshot | undefined;
  for (; progress.step < actions.length; progress.step += 1) {
    const action = actions[progress.step];
    if (action === undefined) break;
    if (progress.armStartedAt === undefined) {
      if (action.kind === 'create' && progress.privateLink !== undefined) {
        const refused = yield* ensurePrivateLinkPermission(
          context,
          request,
          progress.privateLink,
          audit,
          status,
        );
        if (refused !== undefined) return refused;
      }
      status('starting');
      const start: StartArmAction = { replicaId: request.replicaId, action };
      try {
        yield context.df.callActivityWithRetry(START_ARM_OPERATION_ACTIVITY, ACTIVITY_RETRY, start);
      } catch (error) {
        // ARM kept refusing after every retry (e.g. a name deleted moments ago): a result, not a crash.
        const reason = `Azure refused to start the ${action.kind}: ${failureMessage(error)}`;
        yield audit('arm-started', 'failed', { action: action.kind, reason });
        status('failed');
        return { outcome: 'failed', phase: 'failed', reason, evidence: { action: action.kind } };
      }
      progress.armStartedAt = now().toISOString();
      yield audit('arm-started', 'started', { action: action.kind });
    }
    const armStartedAt = progress.armStartedAt;
    const waitingPhase: OperationPhase = action.kind === 'delete' ? 'deleting' : 'provisioning';
    status(waitingPhase, last);

    for (;;) {
      if (pollsThisGeneration >= request.polling.pollsPerGeneration) {
        // A fresh history for the next stretch of waiting, however long provisioning takes.
        context.df.continueAsNew({ request, progress: { ...progress, generation: progress.generation + 1 } });
        return undefined;
      }
      const delay =
        progress.consecutiveGone > 0
          ? request.polling.initialSeconds
          : pollDelaySeconds(progress.polls - (progress.stepStartPolls ?? 0), request.polling);
      yield context.df.createTimer(new Date(now().getTime() + delay * 1000));
      const snapshot = (yield context.df.callActivityWithRetry(
        READ_REPLICA_ACTIVITY,
        ACTIVITY_RETRY,
        request.replicaId,
      )) as ReplicaSnapshot;
      last = snapshot;
      progress.polls += 1;
      pollsThisGeneration += 1;
      const verdict = judgeState(action.kind, snapshot.exists ? snapshot.provisioningState : undefined);

      if (action.kind === 'delete' && verdict === 'gone') {
        progress.consecutiveGone += 1;
        status('confirming-deletion', snapshot);
        if (progress.consecutiveGone >= request.polling.goneConfirmations) break;
        continue;
      }
      progress.consecutiveGone = 0;
      status(waitingPhase, snapshot);

      if (snapshot.provisioningState !== progress.lastState) {
        progress.lastState = snapshot.provisioningState;
        if (verdict === 'in-progress')
          yield audit(`state-${snapshot.provisioningState ?? 'absent'}`, 'progress');
      }
      if (verdict === 'succeeded') break;
      if (verdict === 'failed') {
        const evidence = { ...snapshot, action: action.kind };
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
          action: action.kind,
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
    if (progress.step < actions.length - 1)
      yield audit('step-completed', 'succeeded', { action: action.kind });
    delete progress.armStartedAt;
    delete progress.lastState;
    progress.stepStartPolls = progress.polls;
    progress.consecutiveGone = 0;
  }

  yield audit('completed', 'succeeded', {
    ...(last?.provisioningState === undefined ? {} : { provisioningState: last.provisioningState }),
  });
  status('succeeded', last);
  return {
    outcome: 'succeeded',
    phase: 'succeeded',
    ...(last?.provisioningState === undefined ? {} : { provisioningState: last.provisioningState }),
  };
}

type Audit = (step: string, outcome: AuditOutcome, detail?: Record<string, unknown>) => df.Task;

/**
 * Check → grant → wait until effective, before a create on a registry with private endpoints. Returns
 * the operation's result when it must stop there, undefined when the create may go ahead.
 */
function* ensurePrivateLinkPermission(
  context: OrchestrationContext,
  request: ReplicaOperationInput['request'],
  plan: PrivateLinkPlan,
  audit: Audit,
  status: (phase: OperationPhase) => void,
): Generator<unknown, OperationResult | undefined, unknown> {
  const checkInput: PrivateLinkCheckInput = {
    registryId: formatRegistryId(registryOfReplica(parseReplicaId(request.replicaId))),
  };
  const check = (): df.Task =>
    context.df.callActivityWithRetry(CHECK_PRIVATE_LINK_ACTIVITY, ACTIVITY_RETRY, checkInput);

  status('checking-permission');
  const first = (yield check()) as PrivateLinkCheck;
  yield audit('permission-checked', 'succeeded', {
    action: PRIVATE_LINK_ACTION,
    principalId: first.principalId,
    privateEndpoints: first.privateEndpoints,
    missingAt: first.missingAt,
  });
  if (first.missingAt.length === 0) return undefined;
  if (plan.policy !== 'auto') {
    const reason = `the app's identity lacks ${PRIVATE_LINK_ACTION} at ${first.missingAt.join(', ')} and the registry's heal policy (${plan.policy}) does not let the app grant it; a replica created now would stay stuck in provisioning`;
    yield audit('completed', 'refused', {
      refusal: 'missing-private-link-permission',
      missingAt: first.missingAt,
    });
    status('refused');
    return {
      outcome: 'refused',
      phase: 'refused',
      reason,
      evidence: { refusal: 'missing-private-link-permission', missingAt: first.missingAt },
    };
  }

  status('granting-permission');
  const grantInput: PrivateLinkGrantInput = { privateEndpoints: first.missingAt };
  let grant: PrivateLinkGrant;
  try {
    grant = (yield context.df.callActivityWithRetry(
      GRANT_PRIVATE_LINK_ACTIVITY,
      ACTIVITY_RETRY,
      grantInput,
    )) as PrivateLinkGrant;
  } catch (error) {
    const reason = `granting ${PRIVATE_LINK_ACTION} failed: ${error instanceof Error ? error.message : String(error)}`;
    yield audit('permission-granted', 'failed', { missingAt: first.missingAt, reason });
    status('failed');
    return { outcome: 'failed', phase: 'failed', reason, evidence: { missingAt: first.missingAt } };
  }
  yield audit('permission-granted', 'succeeded', {
    roleDefinitionId: grant.roleDefinitionId,
    roleCreated: grant.roleCreated,
    assignments: grant.assignments,
  });

  // Role assignments take a while to reach every ARM instance: wait with durable timers, bounded.
  for (let checks = 1; ; checks += 1) {
    const recheck = (yield check()) as PrivateLinkCheck;
    if (recheck.missingAt.length === 0) {
      yield audit('permission-effective', 'succeeded', { checks });
      return undefined;
    }
    if (checks >= PERMISSION_CHECKS) {
      const reason = `${PRIVATE_LINK_ACTION} was granted but still not effective at ${recheck.missingAt.join(', ')} after ${checks} checks; the replica was not created, so nothing is stuck: try again later`;
      yield audit('permission-effective', 'failed', { checks, missingAt: recheck.missingAt });
      status('failed');
      return {
        outcome: 'failed',
        phase: 'failed',
        reason,
        evidence: { missingAt: recheck.missingAt, checks },
      };
    }
    const delay = pollDelaySeconds(checks - 1, request.polling);
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + delay * 1000));
  }
}

df.app.orchestration(REPLICA_OPERATION_ORCHESTRATION, replicaOperation as OrchestrationHandler);
