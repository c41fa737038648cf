// Create, update or delete one replica, the way an operator would: check, carry out the ARM writes one
// by one, and after each watch the replica with durable timers until it settles, gives up as stuck, or
// is gone for good. A zone redundancy change is two writes: delete, then create. Before a create on a
// registry with private endpoints it makes sure the app holds the private-link permission, since a
// replica created without it stays stuck in provisioning.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';

import {
  AWAITS_PER_GENERATION,
  PRIVATE_LINK_ACTION,
  describeArmActions,
  formatRegistryId,
  judgeState,
  parseReplicaId,
  pastDeadline,
  planArmActions,
  pollDelaySeconds,
  registryOfReplica,
} from '../../domain';
import type {
  ArmAction,
  OperationPhase,
  OperationProgress,
  OperationResult,
  OperationStatus,
  PrivateLinkPlan,
  ReplicaOperationInput,
  ReplicaOperationRequest,
} from '../../domain';
import { askForApproval, decisionDetail } from '../approval/approval.steps';
import { auditTrail } from '../audit/audit.steps';
import type { AuditStep } from '../audit/audit.steps';
import type { ChatApprovalRequestInput } from '../chatFollowUp/chatFollowUp.contract';
import { replyInChat } from '../chatFollowUp/chatFollowUp.steps';
import type { PrivateLinkCheck, PrivateLinkGrantResult } from '../privateLink/privateLink.contract';
import {
  checkPrivateLink,
  grantPrivateLink,
  isGrantRefused,
  refusalDetail,
  waitUntilPermissionEffective,
} from '../privateLink/privateLink.steps';
import { ACTIVITY_RETRY } from '../common/activityRetry';
import { failureMessage } from '../common/failureMessage';
import {
  PREFLIGHT_ACTIVITY,
  READ_REPLICA_ACTIVITY,
  REPLICA_OPERATION_ORCHESTRATION,
  START_ARM_OPERATION_ACTIVITY,
} from './replicaOperation.contract';
import type {
  PreflightVerdict,
  ReplicaSnapshot,
  StartArmAction,
  StartArmResult,
} from './replicaOperation.contract';

/** What an approval costs in awaited tasks, at most (the question, the wait, the answer's record). */
const APPROVAL_AWAITS = 4;

export function* replicaOperation(
  context: OrchestrationContext,
): Generator<unknown, OperationResult | undefined, unknown> {
  const { request, progress } = context.df.getInput<ReplicaOperationInput>();
  const startedAt = progress?.startedAt ?? context.df.currentUtcDateTime.toISOString();
  const result = yield* runOperation(context, startedAt);
  // Continued as new (undefined): the next generation will report. Otherwise the operation is over.
  if (result !== undefined && request.replyTo !== undefined) {
    yield replyInChat(context, {
      replyTo: request.replyTo,
      operation: request.kind,
      target: request.replicaId,
      outcome: result.outcome,
      ...(result.reason === undefined ? {} : { reason: result.reason }),
      ...(result.provisioningState === undefined ? {} : { provisioningState: result.provisioningState }),
      startedAt,
      endedAt: context.df.currentUtcDateTime.toISOString(),
    });
  }
  return result;
}

/** One generation of an operation: its request, its progress (carried across generations), its voice. */
interface OperationRun {
  context: OrchestrationContext;
  request: ReplicaOperationRequest;
  progress: OperationProgress;
  status: (phase: OperationPhase, snapshot?: ReplicaSnapshot) => void;
  audit: AuditStep;
  now: () => Date;
  /** Tasks this generation has waited for: each costs about four history events. */
  awaited: number;
}

/** What the polls of this generation have seen so far. */
interface Watch {
  pollsThisGeneration: number;
  last?: ReplicaSnapshot;
}

/** A step either lets the operation go on, with what it found, or ends it with a result. */
type Step<T> = { ok: true; value: T } | { ok: false; result: OperationResult };

/** Ends the operation before ARM settles: its phase shows the outcome, and the result says why. */
function stopped(
  run: OperationRun,
  outcome: 'refused' | 'failed',
  reason: string,
  evidence?: Record<string, unknown>,
): { ok: false; result: OperationResult } {
  run.status(outcome);
  return {
    ok: false,
    result: { outcome, phase: outcome, reason, ...(evidence === undefined ? {} : { evidence }) },
  };
}

/** The runbook: check and plan; then each ARM write in turn: start it, watch it settle; then report. */
function* runOperation(
  context: OrchestrationContext,
  startedAt: string,
): Generator<unknown, OperationResult | undefined, unknown> {
  const run = beginRun(context, startedAt);
  const { progress } = run;
  const { requestId, progress: carried } = context.df.getInput<ReplicaOperationInput>();
  // The instance knows which request started it: of several that raced to start it, only that one is
  // recorded as accepted (the others are refused by the use case that lost the race).
  if (carried === undefined && requestId !== undefined)
    yield run.audit('requested', 'accepted', { requestId });
  let actions = progress.actions;
  if (actions === undefined) {
    const planned = run.request.checked === true ? yield* planChecked(run) : yield* checkAndPlan(run);
    if (!planned.ok) return planned.result;
    actions = planned.value;
  }

  const watch: Watch = { pollsThisGeneration: 0 };
  for (; progress.step < actions.length; progress.step += 1) {
    const action = actions[progress.step];
    if (action === undefined) break;
    let armStartedAt = progress.armStartedAt;
    if (armStartedAt === undefined) {
      const started = yield* startArmWrite(run, action);
      if (!started.ok) return started.result;
      armStartedAt = started.value;
    }
    const settled = yield* watchUntilSettled(run, action, armStartedAt, watch);
    if (settled === 'continued-as-new') return undefined;
    if (!settled.ok) return settled.result;
    yield* completeStep(run, action, actions.length);
  }
  return yield* succeed(run, watch.last);
}

function beginRun(context: OrchestrationContext, startedAt: string): OperationRun {
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
  const write = auditTrail(context, subject, () => `${progress.step}|${progress.polls}`);
  const run: OperationRun = {
    context,
    request,
    progress,
    status,
    // Every audit entry is waited for.
    audit: (step, outcome, detail) => {
      run.awaited += 1;
      return write(step, outcome, detail);
    },
    now,
    awaited: 0,
  };
  return run;
}

/** Preflight against ARM, the plan of ARM writes, and the approval when the request asks for one. */
function* checkAndPlan(run: OperationRun): Generator<unknown, Step<ArmAction[]>, unknown> {
  const { context, request, progress, status, audit } = run;
  status('preflight');
  run.awaited += 1;
  const verdict = (yield context.df.callActivityWithRetry(
    PREFLIGHT_ACTIVITY,
    ACTIVITY_RETRY,
    request,
  )) as PreflightVerdict;
  if (!verdict.ok) {
    yield audit('preflight', 'refused', { refusal: verdict.refusal, detail: verdict.detail });
    return stopped(run, 'refused', verdict.detail, { refusal: verdict.refusal });
  }
  const actions = planArmActions(request, verdict.replica);
  progress.actions = actions;
  if (verdict.privateLink !== undefined) progress.privateLink = verdict.privateLink;
  yield audit('preflight', 'succeeded', { plan: actions.map((a) => a.kind) });

  if (request.approval !== undefined) {
    const approved = yield* awaitApprovalOf(run, actions, request.approval.timeoutMinutes);
    if (!approved.ok) return approved;
  }
  return { ok: true, value: actions };
}

/**
 * The plan of a caller that has just read the registry and the replica and made sure of the private-link
 * permission (a heal): its reads are not repeated, and the audit trail says who checked.
 */
function* planChecked(run: OperationRun): Generator<unknown, Step<ArmAction[]>, unknown> {
  const { request, progress, audit } = run;
  const actions = planArmActions(request);
  progress.actions = actions;
  yield audit('preflight', 'succeeded', { plan: actions.map((a) => a.kind), checkedBy: 'heal' });
  return { ok: true, value: actions };
}

/** Asks in chat when the request came from one, then waits; no answer or a rejection changes nothing. */
function* awaitApprovalOf(
  run: OperationRun,
  actions: ArmAction[],
  timeoutMinutes: number,
): Generator<unknown, Step<undefined>, unknown> {
  const { context, request, progress, status, audit } = run;
  status('awaiting-approval');
  const ask: ChatApprovalRequestInput | undefined =
    request.replyTo === undefined
      ? undefined
      : {
          replyTo: request.replyTo,
          instanceId: context.df.instanceId,
          summary: `${request.kind} replica ${parseReplicaId(request.replicaId).replicaName} of ${parseReplicaId(request.replicaId).registryName}?`,
          plan: describeArmActions(actions, progress.privateLink),
          requestedBy: request.actor,
          timeoutMinutes,
        };
  const decision = yield* askForApproval(context, ask, timeoutMinutes);
  run.awaited += APPROVAL_AWAITS;
  if (decision === 'timeout' || !decision.approved) {
    const reason =
      decision === 'timeout'
        ? 'no approval before the timeout: nothing was changed'
        : `rejected by ${decision.approver.name ?? decision.approver.id}: nothing was changed`;
    yield audit(
      'approval',
      decision === 'timeout' ? 'skipped' : 'refused',
      decision === 'timeout' ? { reason } : decisionDetail(decision),
    );
    return stopped(run, 'refused', reason);
  }
  yield audit('approval', 'accepted', decisionDetail(decision));
  return { ok: true, value: undefined };
}

/**
 * Makes sure of the private-link permission before a create that needs it, then starts the ARM write
 * (the activity only starts it; waiting is ours). Goes on with the time ARM accepted the write.
 */
function* startArmWrite(run: OperationRun, action: ArmAction): Generator<unknown, Step<string>, unknown> {
  const { context, request, progress, status, audit, now } = run;
  if (action.kind === 'create' && progress.privateLink !== undefined) {
    const permitted = yield* ensurePrivateLinkPermission(run, progress.privateLink);
    if (!permitted.ok) return permitted;
  }
  status('starting');
  const start: StartArmAction = { replicaId: request.replicaId, action };
  const firstTry = now();
  for (let refusals = 0; ; refusals += 1) {
    // Undefined in histories recorded before the activity answered with a result: it started.
    let answer: StartArmResult | undefined;
    run.awaited += 1;
    try {
      answer = (yield context.df.callActivityWithRetry(
        START_ARM_OPERATION_ACTIVITY,
        ACTIVITY_RETRY,
        start,
      )) as StartArmResult | undefined;
    } catch (error) {
      // ARM kept refusing after every retry: a result, not a crash.
      const reason = `Azure refused to start the ${action.kind}: ${failureMessage(error)}`;
      yield audit('arm-started', 'failed', { action: action.kind, reason });
      return stopped(run, 'failed', reason, { action: action.kind });
    }
    if (answer === undefined || answer.started) break;
    if ('refusal' in answer) {
      // Refused without calling ARM: the replica is outside the app's scope.
      yield audit('arm-started', 'refused', {
        action: action.kind,
        refusal: answer.refusal,
        reason: answer.reason,
      });
      return stopped(run, 'refused', `the ${action.kind} was not started: ${answer.reason}`, {
        refusal: answer.refusal,
      });
    }
    // Refused for now, with how long to wait (a name deleted moments ago): wait exactly that, up to the deadline.
    const retryAt = new Date(now().getTime() + answer.retryAfterSeconds * 1000);
    if (pastDeadline(firstTry.toISOString(), retryAt, request.polling)) {
      const reason = `Azure refused to start the ${action.kind} until the deadline: ${answer.reason}`;
      yield audit('arm-started', 'failed', { action: action.kind, reason, refusals: refusals + 1 });
      return stopped(run, 'failed', reason, { action: action.kind });
    }
    yield audit(`arm-refused-${refusals + 1}`, 'progress', {
      action: action.kind,
      reason: answer.reason,
      retryAfterSeconds: answer.retryAfterSeconds,
    });
    run.awaited += 1;
    yield context.df.createTimer(retryAt);
  }
  const armStartedAt = now().toISOString();
  progress.armStartedAt = armStartedAt;
  yield audit('arm-started', 'started', { action: action.kind });
  return { ok: true, value: armStartedAt };
}

/**
 * Check → grant → wait until effective, before a create on a registry with private endpoints. Stops the
 * operation when the registry's policy forbids the grant, or when the grant fails or never takes effect.
 */
function* ensurePrivateLinkPermission(
  run: OperationRun,
  plan: PrivateLinkPlan,
): Generator<unknown, Step<undefined>, unknown> {
  const { context, request, status, audit } = run;
  const registryId = formatRegistryId(registryOfReplica(parseReplicaId(request.replicaId)));

  status('checking-permission');
  run.awaited += 1;
  const first = (yield checkPrivateLink(context, registryId)) as PrivateLinkCheck;
  yield audit('permission-checked', 'succeeded', {
    action: PRIVATE_LINK_ACTION,
    principalId: first.principalId,
    privateEndpoints: first.privateEndpoints,
    missingAt: first.missingAt,
  });
  if (first.missingAt.length === 0) return { ok: true, value: undefined };
  if (plan.policy !== 'auto') {
    const reason = `the app's identity lacks ${PRIVATE_LINK_ACTION} at ${first.missingAt.join(', ')} and the registry's heal policy (${plan.policy}) does not let the app grant it; a replica created now would stay stuck in provisioning`;
    yield audit('completed', 'refused', {
      refusal: 'missing-private-link-permission',
      missingAt: first.missingAt,
    });
    return stopped(run, 'refused', reason, {
      refusal: 'missing-private-link-permission',
      missingAt: first.missingAt,
    });
  }

  status('granting-permission');
  let grant: PrivateLinkGrantResult;
  try {
    run.awaited += 1;
    grant = (yield grantPrivateLink(context, registryId, first.missingAt)) as PrivateLinkGrantResult;
  } catch (error) {
    const reason = `granting ${PRIVATE_LINK_ACTION} failed: ${error instanceof Error ? error.message : String(error)}`;
    yield audit('permission-granted', 'failed', { missingAt: first.missingAt, reason });
    return stopped(run, 'failed', reason, { missingAt: first.missingAt });
  }
  if (isGrantRefused(grant)) {
    // Nothing was assigned. Without a role the app may assign, a replica created now would stay stuck
    // (refused); otherwise the registry is out of scope, or the role found is not the one the app makes.
    const noRole = grant.refused === 'no-role';
    const reason = noRole
      ? `the app's identity lacks ${PRIVATE_LINK_ACTION} at ${first.missingAt.join(', ')} and may not grant it: ${grant.reason}; a replica created now would stay stuck in provisioning`
      : `${PRIVATE_LINK_ACTION} was not granted: ${grant.reason}; the replica was not created`;
    yield audit('permission-granted', 'refused', refusalDetail(grant, first.missingAt));
    return stopped(run, noRole ? 'refused' : 'failed', reason, {
      refusal: noRole ? 'missing-private-link-permission' : grant.refused,
      missingAt: first.missingAt,
    });
  }
  yield audit('permission-granted', 'succeeded', {
    roleDefinitionId: grant.roleDefinitionId,
    roleCreated: grant.roleCreated,
    assignments: grant.assignments,
  });

  const wait = yield* waitUntilPermissionEffective(context, first.missingAt, request.polling);
  run.awaited += 2 * wait.checks - 1;
  if (wait.effective) {
    yield audit('permission-effective', 'succeeded', { checks: wait.checks });
    return { ok: true, value: undefined };
  }
  const reason = `${PRIVATE_LINK_ACTION} was granted but still not effective at ${wait.missingAt.join(', ')} after ${wait.checks} checks; the replica was not created, so nothing is stuck: try again later`;
  yield audit('permission-effective', 'failed', { checks: wait.checks, missingAt: wait.missingAt });
  return stopped(run, 'failed', reason, { missingAt: wait.missingAt, checks: wait.checks });
}

/**
 * Polls the replica with durable timers, soon after ARM accepted the write and then less often as it
 * takes longer (a tenth of the time so far), until the write settles: Succeeded (for a
 * delete: gone, consistently), failed, or stuck past its deadline. A long wait goes on in a fresh
 * generation (continue-as-new), so the history stays bounded however long provisioning takes.
 */
function* watchUntilSettled(
  run: OperationRun,
  action: ArmAction,
  armStartedAt: string,
  watch: Watch,
): Generator<unknown, Step<undefined> | 'continued-as-new', unknown> {
  const { context, request, progress, status, audit, now } = run;
  const waitingPhase: OperationPhase = action.kind === 'delete' ? 'deleting' : 'provisioning';
  status(waitingPhase, watch.last);

  for (;;) {
    // A poll waits for two tasks; what may follow the last one (state, result, chat) for three more.
    if (
      watch.pollsThisGeneration >= request.polling.pollsPerGeneration ||
      run.awaited + 5 > AWAITS_PER_GENERATION
    ) {
      context.df.continueAsNew({ request, progress: { ...progress, generation: progress.generation + 1 } });
      return 'continued-as-new';
    }
    const delay =
      progress.consecutiveGone > 0
        ? request.polling.initialSeconds
        : pollDelaySeconds((now().getTime() - Date.parse(armStartedAt)) / 1000, request.polling);
    run.awaited += 2;
    yield context.df.createTimer(new Date(now().getTime() + delay * 1000));
    const snapshot = (yield context.df.callActivityWithRetry(
      READ_REPLICA_ACTIVITY,
      ACTIVITY_RETRY,
      request.replicaId,
    )) as ReplicaSnapshot;
    watch.last = snapshot;
    progress.polls += 1;
    watch.pollsThisGeneration += 1;
    const verdict = judgeState(action.kind, snapshot.exists ? snapshot.provisioningState : undefined);

    if (action.kind === 'delete' && verdict === 'gone') {
      progress.consecutiveGone += 1;
      status('confirming-deletion', snapshot);
      if (progress.consecutiveGone >= request.polling.goneConfirmations)
        return { ok: true, value: undefined };
      continue;
    }
    progress.consecutiveGone = 0;
    status(waitingPhase, snapshot);

    if (snapshot.provisioningState !== progress.lastState) {
      progress.lastState = snapshot.provisioningState;
      if (verdict === 'in-progress')
        yield audit(`state-${snapshot.provisioningState ?? 'absent'}`, 'progress');
    }
    if (verdict === 'succeeded') return { ok: true, value: undefined };
    if (verdict === 'failed') {
      const evidence = { ...snapshot, action: action.kind };
      yield audit('completed', 'failed', evidence);
      status('failed', snapshot);
      return {
        ok: false,
        result: {
          outcome: 'failed',
          phase: 'failed',
          provisioningState: snapshot.provisioningState,
          reason: snapshot.statusMessage ?? `the replica ended ${snapshot.provisioningState ?? 'absent'}`,
          evidence,
        },
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
        ok: false,
        result: {
          outcome: 'stuck',
          phase: 'stuck',
          provisioningState: snapshot.provisioningState,
          reason: `still ${snapshot.provisioningState ?? 'unknown'} after ${request.polling.deadlineMinutes} minutes`,
          evidence,
        },
      };
    }
  }
}

/** Records a write that settled (unless it was the last) and clears what was about that write. */
function* completeStep(
  run: OperationRun,
  action: ArmAction,
  steps: number,
): Generator<unknown, void, unknown> {
  const { progress, audit } = run;
  if (progress.step < steps - 1) yield audit('step-completed', 'succeeded', { action: action.kind });
  delete progress.armStartedAt;
  delete progress.lastState;
  progress.stepStartPolls = progress.polls;
  progress.consecutiveGone = 0;
}

function* succeed(
  run: OperationRun,
  last: ReplicaSnapshot | undefined,
): Generator<unknown, OperationResult, unknown> {
  yield run.audit('completed', 'succeeded', {
    ...(last?.provisioningState === undefined ? {} : { provisioningState: last.provisioningState }),
  });
  run.status('succeeded', last);
  return {
    outcome: 'succeeded',
    phase: 'succeeded',
    ...(last?.provisioningState === undefined ? {} : { provisioningState: last.provisioningState }),
  };
}

df.app.orchestration(REPLICA_OPERATION_ORCHESTRATION, replicaOperation as OrchestrationHandler);
