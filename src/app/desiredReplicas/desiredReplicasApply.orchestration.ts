// Apply a registry's desired replica set: plan it against ARM now, then carry the plan out the way an
// operator would. The grant comes first; then creates, updates, recreates and deletes, each group after
// the one before, a bounded number at a time, each step as the replica operation the REST API runs,
// started as an orchestration of its own under the replica's id (so one operation per replica,
// prevention, polling and the audit trail all hold). Steps that need no approval run first; the rest wait
// for one person's decision on all of them. Deletes run only when every create before them succeeded.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';

import {
  describeStep,
  formatMinutes,
  formatReplicaId,
  isChange,
  parseRegistryId,
  pollDelaySeconds,
  replicaId,
  replicaInstanceId,
} from '../../domain';
import type { AuditOutcome, PlanStep, ReplicaOperationInput, ReplicaOperationRequest } from '../../domain';
import { askForApproval } from '../approval/approval.steps';
import { auditTrail } from '../audit/audit.steps';
import type { AuditStep } from '../audit/audit.steps';
import type { ChatApprovalRequestInput } from '../chatFollowUp/chatFollowUp.contract';
import { replyInChat } from '../chatFollowUp/chatFollowUp.steps';
import { NOTIFY_ACTIVITY } from '../healing/healing.contract';
import type { HealNotification } from '../healing/healing.contract';
import type { PrivateLinkGrantResult } from '../privateLink/privateLink.contract';
import {
  grantPrivateLink,
  isGrantRefused,
  refusalDetail,
  waitUntilPermissionEffective,
} from '../privateLink/privateLink.steps';
import { ACTIVITY_RETRY } from '../common/activityRetry';
import { failureMessage } from '../common/failureMessage';
import {
  APPLY_OPERATION,
  APPLY_ORCHESTRATION,
  PLAN_ACTIVITY,
  READ_STEPS_ACTIVITY,
  START_STEP_ACTIVITY,
} from './desiredReplicas.contract';
import type {
  AppliedPlan,
  ApplyInput,
  ApplyOutcome,
  ApplyProgress,
  ApplyRequest,
  ApplySummary,
  PlanOutcome,
  PlanRequest,
  StepLaunch,
  StepOutcome,
  StepProgress,
  StepResult,
  StepStart,
} from './desiredReplicas.contract';

export type ApplyPhase = 'planning' | 'applying' | 'awaiting-approval' | 'completed';

export function* desiredReplicasApply(
  context: OrchestrationContext,
): Generator<unknown, ApplySummary | undefined, unknown> {
  const { request, progress: carried } = context.df.getInput<ApplyInput>();
  const run = beginApply(context, request, carried);

  if (carried === undefined) {
    const planned = yield* planApply(run);
    if (planned !== undefined) return yield* finish(run, planned);
  }
  for (;;) {
    const { stage } = run.progress;
    if (stage === 'first' || stage === 'second') {
      if ((yield* runStage(run)) === 'continued-as-new') return undefined;
      run.progress.stage = stage === 'first' && waitingSteps(run).length > 0 ? 'approval' : 'done';
      run.progress.queue = [];
    } else if (stage === 'approval') {
      yield* decide(run);
    } else {
      return yield* finish(run, summarise(run));
    }
  }
}

/** One generation of an apply: its request, its progress (carried across generations), its voice. */
interface ApplyRun {
  context: OrchestrationContext;
  request: ApplyRequest;
  progress: ApplyProgress;
  status: (phase: ApplyPhase) => void;
  audit: AuditStep;
  now: () => Date;
  /** Polls made by this generation, for continue-as-new. */
  pollsThisGeneration: number;
}

const EMPTY_PLAN: AppliedPlan = { declarationVersion: 0, homeRegion: '', steps: [], estimatedMinutes: 0 };

function beginApply(
  context: OrchestrationContext,
  request: ApplyRequest,
  carried: ApplyProgress | undefined,
): ApplyRun {
  const now = (): Date => context.df.currentUtcDateTime;
  const progress: ApplyProgress = carried ?? {
    plan: EMPTY_PLAN,
    stage: 'first',
    queue: [],
    running: [],
    results: [],
    polls: 0,
    generation: 0,
  };
  let entries = 0;
  const subject = {
    actor: request.actor,
    channel: request.channel,
    operation: APPLY_OPERATION,
    target: request.registryId,
    requestedAt: request.requestedAt,
  };
  const run: ApplyRun = {
    context,
    request,
    progress,
    status: (phase) => {
      const counts = countOutcomes(progress.results);
      context.df.setCustomStatus({
        operation: APPLY_OPERATION,
        target: request.registryId,
        phase,
        trigger: request.trigger,
        declarationVersion: progress.plan.declarationVersion,
        steps: progress.plan.steps.filter(isChange).length,
        running: progress.running.length,
        counts,
        generation: progress.generation,
        requestedAt: request.requestedAt,
        updatedAt: now().toISOString(),
      });
    },
    // Every entry counts: the generation and a running count make each entry id unique.
    audit: auditTrail(context, subject, () => {
      entries += 1;
      return `${progress.generation}|${entries}`;
    }),
    now,
    pollsThisGeneration: 0,
  };
  return run;
}

/** Plans against ARM now; a refusal (no declaration, registry gone or not Premium) ends the apply. */
function* planApply(run: ApplyRun): Generator<unknown, ApplySummary | undefined, unknown> {
  const { context, request, progress, status, audit } = run;
  status('planning');
  const ask: PlanRequest = {
    registryId: request.registryId,
    trigger: request.trigger,
    parallelism: request.parallelism,
  };
  const planned = (yield context.df.callActivityWithRetry(PLAN_ACTIVITY, ACTIVITY_RETRY, ask)) as PlanOutcome;
  if (!planned.ok) {
    yield audit('planned', 'refused', { refusal: planned.refusal, detail: planned.detail });
    return { ...emptySummary(request), outcome: 'refused', reason: planned.detail };
  }
  progress.plan = planned.plan;
  const steps = planned.plan.steps;
  yield audit('planned', 'succeeded', {
    declarationVersion: planned.plan.declarationVersion,
    estimatedMinutes: planned.plan.estimatedMinutes,
    ...(planned.plan.sizeGiB === undefined ? {} : { sizeGiB: planned.plan.sizeGiB }),
    steps: steps.filter(isChange).map(describeStep),
  });
  // First everything that needs no approval (blocked steps too: they end at once, saying why).
  progress.queue = steps
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => isChange(step) && (!step.needsApproval || step.blocked !== undefined))
    .map(({ index }) => index);
  return undefined;
}

/** Steps that wait for the approval: changes that need one and are not blocked. */
function waitingSteps(run: ApplyRun): number[] {
  return run.progress.plan.steps
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => isChange(step) && step.needsApproval && step.blocked === undefined)
    .map(({ index }) => index);
}

/**
 * Runs the stage's queue: starts steps, `parallelism` at a time and one group of kinds at a time, and
 * follows them with durable timers until every one has ended. A long wait goes on in a fresh generation.
 */
function* runStage(run: ApplyRun): Generator<unknown, 'done' | 'continued-as-new', unknown> {
  const { context, request, progress, status } = run;
  status('applying');
  for (;;) {
    yield* startWhatMay(run);
    if (progress.running.length === 0 && progress.queue.length === 0) return 'done';
    if (progress.running.length === 0) continue;
    if (run.pollsThisGeneration >= request.polling.pollsPerGeneration) {
      context.df.continueAsNew({
        request,
        progress: { ...progress, generation: progress.generation + 1 },
      } satisfies ApplyInput);
      return 'continued-as-new';
    }
    const delay = pollDelaySeconds(progress.polls, request.polling);
    yield context.df.createTimer(new Date(run.now().getTime() + delay * 1000));
    progress.polls += 1;
    run.pollsThisGeneration += 1;
    const read = (yield context.df.callActivityWithRetry(
      READ_STEPS_ACTIVITY,
      ACTIVITY_RETRY,
      progress.running,
    )) as StepProgress[];
    const still: StepLaunch[] = [];
    for (const [i, launch] of progress.running.entries()) {
      const step = read[i];
      if (step === undefined || !step.done) {
        still.push(launch);
        continue;
      }
      const result =
        'result' in step
          ? fromOperation(run, launch, step.result.outcome, step.result.reason)
          : fromOperation(run, launch, 'failed', step.failure);
      yield* record(run, result);
    }
    if (still.length !== progress.running.length) progress.polls = 0;
    progress.running = still;
    status('applying');
  }
}

/** Starts queued steps while the group under way and the parallelism allow. */
function* startWhatMay(run: ApplyRun): Generator<unknown, void, unknown> {
  const { request, progress } = run;
  while (progress.queue.length > 0 && progress.running.length < request.parallelism) {
    const index = progress.queue[0] ?? 0;
    const step = progress.plan.steps[index];
    if (step === undefined) {
      progress.queue.shift();
      continue;
    }
    // Groups run in order: nothing of a later kind starts while an earlier kind is still running.
    if (progress.running.some((launch) => progress.plan.steps[launch.index]?.kind !== step.kind)) return;
    progress.queue.shift();
    const ended = yield* begin(run, index, step);
    if (ended !== undefined) yield* record(run, ended);
  }
}

/** Starts one step; returns its result when it ends at once (blocked, skipped, busy, failed to start). */
function* begin(
  run: ApplyRun,
  index: number,
  step: PlanStep,
): Generator<unknown, StepResult | undefined, unknown> {
  const { context, progress, audit } = run;
  const about = aboutStep(index, step);
  if (step.blocked !== undefined) return result(about, 'blocked', step.blocked);
  if (step.kind === 'delete' && additionsFailed(progress)) {
    return result(about, 'skipped', DELETES_WAIT);
  }
  if (step.kind === 'grant') return yield* grant(run, about, step);

  const launch = launchOf(run, index, step);
  yield audit('step-started', 'started', { ...about, operationId: launch.instanceId });
  let start: StepStart;
  try {
    start = (yield context.df.callActivityWithRetry(
      START_STEP_ACTIVITY,
      ACTIVITY_RETRY,
      launch,
    )) as StepStart;
  } catch (error) {
    return result(about, 'failed', `the replica operation could not be started: ${failureMessage(error)}`);
  }
  if (start.outcome === 'busy') {
    const holder = `${start.name}${start.operation === undefined ? '' : ` ${start.operation}`}`;
    return {
      ...result(
        about,
        'busy',
        `another operation on the replica is ${start.runtimeStatus} (${holder}); left alone`,
      ),
      operationId: launch.instanceId,
    };
  }
  if (start.outcome === 'failed') {
    return result(
      about,
      'failed',
      `the replica operation could not be started: ${start.reason.slice(0, 300)}`,
    );
  }
  progress.running.push(launch);
  progress.polls = 0;
  return undefined;
}

/** The replica operation that carries a step out, under the replica's own instance id. */
function launchOf(run: ApplyRun, index: number, step: PlanStep): StepLaunch {
  const { context, request, now } = run;
  const replica = replicaId(parseRegistryId(request.registryId), step.replicaName ?? step.location ?? '');
  const base = {
    replicaId: formatReplicaId(replica),
    actor: request.actor,
    channel: request.channel,
    requestedAt: now().toISOString(),
    polling: request.polling,
  };
  const operation: ReplicaOperationRequest =
    step.kind === 'create'
      ? {
          ...base,
          kind: 'create',
          location: step.location ?? '',
          ...(step.settings ? { settings: step.settings } : {}),
        }
      : step.kind === 'delete'
        ? { ...base, kind: 'delete' }
        : { ...base, kind: 'update', update: step.update ?? {} };
  const input: ReplicaOperationInput = { request: operation };
  return { index, instanceId: replicaInstanceId(replica), input, applyId: context.df.instanceId };
}

/** The prevention grant, before any create: the same steps a replica operation takes, once for all. */
function* grant(
  run: ApplyRun,
  about: Omit<StepResult, 'outcome'>,
  step: PlanStep,
): Generator<unknown, StepResult, unknown> {
  const { context, request, audit } = run;
  yield audit('step-started', 'started', about);
  let granted: PrivateLinkGrantResult;
  try {
    granted = (yield grantPrivateLink(
      context,
      request.registryId,
      step.privateEndpoints ?? [],
    )) as PrivateLinkGrantResult;
  } catch (error) {
    return result(about, 'failed', `the grant failed: ${failureMessage(error)}`);
  }
  if (isGrantRefused(granted)) {
    yield audit('permission-granted', 'refused', refusalDetail(granted, step.privateEndpoints ?? []));
    return result(about, 'failed', `the permission was not granted: ${granted.reason}`);
  }
  yield audit('permission-granted', 'succeeded', { ...granted });
  const wait = yield* waitUntilPermissionEffective(context, step.privateEndpoints ?? [], request.polling);
  if (!wait.effective) {
    return result(
      about,
      'failed',
      `the granted permission was still not effective after ${wait.checks} checks; creates would get stuck`,
    );
  }
  return result(about, 'succeeded');
}

const DELETES_WAIT =
  'a grant, create or recreate of this apply did not succeed, and deletes never go before the replicas meant to take over';

function aboutStep(index: number, step: PlanStep): Omit<StepResult, 'outcome'> {
  return { index, kind: step.kind, location: step.location, replicaName: step.replicaName };
}

function additionsFailed(progress: ApplyProgress): boolean {
  return progress.results.some(
    (r) => (r.kind === 'create' || r.kind === 'recreate' || r.kind === 'grant') && r.outcome !== 'succeeded',
  );
}

function result(about: Omit<StepResult, 'outcome'>, outcome: StepOutcome, reason?: string): StepResult {
  return {
    index: about.index,
    kind: about.kind,
    ...(about.location === undefined ? {} : { location: about.location }),
    ...(about.replicaName === undefined ? {} : { replicaName: about.replicaName }),
    outcome,
    ...(reason === undefined ? {} : { reason }),
  };
}

function fromOperation(
  run: ApplyRun,
  launch: StepLaunch,
  outcome: 'succeeded' | 'failed' | 'stuck' | 'refused',
  reason: string | undefined,
): StepResult {
  const step = run.progress.plan.steps[launch.index];
  return {
    ...result(
      step === undefined ? { index: launch.index, kind: 'none' } : aboutStep(launch.index, step),
      outcome,
      reason?.slice(0, 500),
    ),
    operationId: launch.instanceId,
  };
}

const AUDIT_OUTCOMES: Record<StepOutcome, AuditOutcome> = {
  succeeded: 'succeeded',
  failed: 'failed',
  stuck: 'failed',
  refused: 'refused',
  rejected: 'refused',
  busy: 'skipped',
  blocked: 'skipped',
  skipped: 'skipped',
};

function* record(run: ApplyRun, ended: StepResult): Generator<unknown, void, unknown> {
  run.progress.results.push(ended);
  yield run.audit('step-ended', AUDIT_OUTCOMES[ended.outcome], { ...ended });
}

/** One decision on every step that waits: approved, they run; otherwise none of them does. */
function* decide(run: ApplyRun): Generator<unknown, void, unknown> {
  const { context, request, progress, status, audit } = run;
  let waiting = waitingSteps(run);
  if (additionsFailed(progress)) {
    // Deletes would be skipped after the approval anyway: say so now rather than ask about them.
    for (const index of waiting.filter((i) => progress.plan.steps[i]?.kind === 'delete')) {
      const step = progress.plan.steps[index] as PlanStep;
      yield* record(run, result(aboutStep(index, step), 'skipped', DELETES_WAIT));
    }
    waiting = waiting.filter((i) => progress.plan.steps[i]?.kind !== 'delete');
    if (waiting.length === 0) {
      progress.stage = 'done';
      return;
    }
  }
  const lines = waiting.map((index) => describeStep(progress.plan.steps[index] as PlanStep));
  const registry = parseRegistryId(request.registryId).registryName;
  const summary = `Apply the desired replicas of ${registry}: ${waiting.length} step(s) need approval`;
  status('awaiting-approval');
  yield audit('awaiting-approval', 'progress', {
    steps: lines,
    timeoutMinutes: request.approvalTimeoutMinutes,
  });
  try {
    yield context.df.callActivityWithRetry(NOTIFY_ACTIVITY, ACTIVITY_RETRY, {
      kind: 'awaiting-approval',
      replicaId: request.registryId,
      instanceId: context.df.instanceId,
      summary: `${summary} (${request.trigger === 'drift' ? 'found by a sweep' : 'asked for'}); waiting for approval.`,
      detail: { steps: lines },
    } satisfies HealNotification);
  } catch {
    // A notification hook that is down must not end the apply: the status and the audit trail tell too.
  }
  const ask: ChatApprovalRequestInput | undefined =
    request.replyTo === undefined
      ? undefined
      : {
          replyTo: request.replyTo,
          instanceId: context.df.instanceId,
          summary: `${summary}?`,
          plan: lines,
          requestedBy: request.actor,
          timeoutMinutes: request.approvalTimeoutMinutes,
        };
  const decision = yield* askForApproval(context, ask, request.approvalTimeoutMinutes);
  if (decision !== 'timeout' && decision.approved) {
    yield audit('approval', 'accepted', { approver: decision.approver });
    progress.stage = 'second';
    progress.queue = waiting;
    return;
  }
  const reason =
    decision === 'timeout'
      ? 'no approval before the timeout: left as it is'
      : `rejected by ${decision.approver.name ?? decision.approver.id}: left as it is`;
  yield audit(
    'approval',
    decision === 'timeout' ? 'skipped' : 'refused',
    decision === 'timeout' ? { reason } : { approver: decision.approver },
  );
  for (const index of waiting) {
    yield* record(run, result(aboutStep(index, progress.plan.steps[index] as PlanStep), 'rejected', reason));
  }
  progress.stage = 'done';
}

function emptySummary(request: ApplyRequest): ApplySummary {
  return {
    registryId: request.registryId,
    trigger: request.trigger,
    outcome: 'in-sync',
    counts: {},
    steps: [],
  };
}

function countOutcomes(results: readonly StepResult[]): Partial<Record<StepOutcome, number>> {
  const counts: Partial<Record<StepOutcome, number>> = {};
  for (const ended of results) counts[ended.outcome] = (counts[ended.outcome] ?? 0) + 1;
  return counts;
}

function summarise(run: ApplyRun): ApplySummary {
  const { request, progress } = run;
  const steps = [...progress.results].sort((a, b) => a.index - b.index);
  const succeeded = steps.filter((s) => s.outcome === 'succeeded').length;
  const outcome: ApplyOutcome =
    steps.length === 0
      ? 'in-sync'
      : succeeded === steps.length
        ? 'applied'
        : succeeded > 0
          ? 'partial'
          : 'not-applied';
  return {
    ...emptySummary(request),
    outcome,
    declarationVersion: progress.plan.declarationVersion,
    counts: countOutcomes(steps),
    steps,
  };
}

/** The summary in the audit trail, the status and (for a chat-started apply) the chat. */
function* finish(run: ApplyRun, summary: ApplySummary): Generator<unknown, ApplySummary, unknown> {
  const { context, request, audit, status } = run;
  const clean = summary.outcome === 'applied' || summary.outcome === 'in-sync';
  yield audit('completed', clean ? 'succeeded' : summary.outcome === 'refused' ? 'refused' : 'failed', {
    outcome: summary.outcome,
    counts: summary.counts,
    ...(summary.reason === undefined ? {} : { reason: summary.reason }),
  });
  status('completed');
  if (request.replyTo !== undefined) {
    yield replyInChat(context, {
      replyTo: request.replyTo,
      operation: 'apply',
      target: request.registryId,
      outcome: clean ? 'succeeded' : summary.outcome === 'refused' ? 'refused' : 'failed',
      reason: summary.reason ?? describeSummary(summary, run.progress.plan),
      startedAt: request.requestedAt,
      endedAt: context.df.currentUtcDateTime.toISOString(),
    });
  }
  return summary;
}

function describeSummary(summary: ApplySummary, plan: AppliedPlan): string {
  if (summary.outcome === 'in-sync') return 'the replicas already match the declaration';
  const counts = Object.entries(summary.counts)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  const estimate = plan.estimatedMinutes > 0 ? ` (estimated ${formatMinutes(plan.estimatedMinutes)})` : '';
  return `${summary.steps.length} step(s)${estimate}: ${counts}`;
}

df.app.orchestration(APPLY_ORCHESTRATION, desiredReplicasApply as OrchestrationHandler);
