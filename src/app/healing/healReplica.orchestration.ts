// Heal one replica, the runbook Azure documents for replicas stuck on private-endpoint registries:
// gather evidence (each thing read once, and passed on) and diagnose; leave slow replicas alone; within
// the registry's policy, grant the missing private-link permission and wait until it is effective,
// delete the replica, then create it again with the settings it had — in bounded attempts, escalating
// when they run out.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';

import { diagnose, formatRegistryId, healPlan, parseReplicaId, registryOfReplica } from '../../domain';
import type {
  Diagnosis,
  HealRequest,
  HealResult,
  OperationResult,
  ReplicaEvidence,
  ReplicaOperationInput,
  ReplicaOperationRequest,
  ReplicaView,
} from '../../domain';
import { askForApproval, decisionDetail } from '../approval/approval.steps';
import { auditTrail } from '../audit/audit.steps';
import type { AuditStep } from '../audit/audit.steps';
import type { ChatApprovalRequestInput } from '../chatFollowUp/chatFollowUp.contract';
import type { PrivateLinkCheck, PrivateLinkGrantResult } from '../privateLink/privateLink.contract';
import {
  grantPrivateLink,
  isGrantRefused,
  refusalDetail,
  waitUntilPermissionEffective,
} from '../privateLink/privateLink.steps';
import { REPLICA_OPERATION_ORCHESTRATION } from '../replicaOperation/replicaOperation.contract';
import type { ScopeVerdict } from '../scope/scope.contract';
import { checkScope } from '../scope/scope.steps';
import { ACTIVITY_RETRY } from '../common/activityRetry';
import { failureMessage } from '../common/failureMessage';
import { GATHER_EVIDENCE_ACTIVITY, HEAL_REPLICA_ORCHESTRATION, NOTIFY_ACTIVITY } from './healing.contract';
import type { HealEvidenceRead, HealNotification } from './healing.contract';

export type HealPhase =
  | 'diagnosing'
  | 'awaiting-approval'
  | 'deleting'
  | 'granting'
  | 'waiting-for-permission'
  | 'creating'
  | 'backing-off'
  | 'done';

export function* healReplica(context: OrchestrationContext): Generator<unknown, HealResult, unknown> {
  const heal = beginHeal(context);

  // 0. Only registries the app looks after: the input may not have come through the REST or chat checks.
  const outside = yield* refuseOutOfScope(heal);
  if (outside !== undefined) return outside;

  // 1. Evidence and diagnosis.
  const found = yield* diagnoseReplica(heal);
  if (!found.ok) return found.result;
  const findings = found.value;

  // 2. Nothing to do for a healthy or progressing replica; only a report for dry runs and `report`.
  const left = yield* leaveAloneOrReport(heal, findings);
  if (left !== undefined) return left;

  // 3. Approval, when the registry's policy asks for it.
  if (heal.request.policy === 'approve') {
    const approved = yield* awaitApprovalOf(heal, findings);
    if (!approved.ok) return approved.result;
  }

  // 4. Grant and wait (for the permission cause), delete, create — in bounded attempts.
  return yield* remediateInAttempts(heal, findings);
}

/** One heal: its request, the attempt under way, and how it reports (status, audit, notifications). */
interface HealRun {
  context: OrchestrationContext;
  request: HealRequest;
  registryId: string;
  attempt: number;
  /** The permission was granted and seen effective in an earlier attempt. */
  granted: boolean;
  status: (phase: HealPhase, diagnosis?: Diagnosis) => void;
  audit: AuditStep;
  notify: (kind: HealNotification['kind'], summary: string, detail?: Record<string, unknown>) => Task;
  finish: (result: Omit<HealResult, 'replicaId' | 'attempts'>) => HealResult;
  now: () => Date;
}

/** What the diagnosis found, which every later step works from. */
interface Findings {
  captured: ReplicaView;
  access: PrivateLinkCheck;
  evidence: ReplicaEvidence;
  diagnosis: Diagnosis;
  plan: string[];
}

/** A step either lets the heal go on, with what it found, or ends it with a result. */
type Step<T> = { ok: true; value: T } | { ok: false; result: HealResult };

function beginHeal(context: OrchestrationContext): HealRun {
  const request = context.df.getInput<HealRequest>();
  const now = (): Date => context.df.currentUtcDateTime;
  let stepCount = 0;
  const subject = {
    actor: request.actor,
    channel: request.channel,
    operation: 'heal',
    target: request.replicaId,
    requestedAt: request.requestedAt,
  };
  const heal: HealRun = {
    context,
    request,
    registryId: formatRegistryId(registryOfReplica(parseReplicaId(request.replicaId))),
    attempt: 0,
    granted: false,
    status: (phase, diagnosis) => {
      context.df.setCustomStatus({
        operation: 'heal',
        target: request.replicaId,
        phase,
        attempt: heal.attempt,
        ...(diagnosis === undefined ? {} : { diagnosis }),
        policy: request.policy,
        requestedAt: request.requestedAt,
        updatedAt: now().toISOString(),
      });
    },
    // Every entry of a heal counts: the attempt and the running count make each entry id unique.
    audit: auditTrail(context, subject, () => {
      stepCount += 1;
      return `${heal.attempt}|${stepCount}`;
    }),
    notify: (kind, summary, detail) =>
      context.df.callActivityWithRetry(NOTIFY_ACTIVITY, ACTIVITY_RETRY, {
        kind,
        replicaId: request.replicaId,
        instanceId: context.df.instanceId,
        summary,
        ...(detail === undefined ? {} : { detail }),
      } satisfies HealNotification),
    finish: (result) => {
      heal.status('done', result.diagnosis);
      return { replicaId: request.replicaId, attempts: heal.attempt, ...result };
    },
    now,
  };
  return heal;
}

/** Nothing is read or changed for a replica whose registry is outside REGISTRY_SCOPE. */
function* refuseOutOfScope(heal: HealRun): Generator<unknown, HealResult | undefined, unknown> {
  const { context, request, status, audit, finish } = heal;
  status('diagnosing');
  const scope = (yield checkScope(context, request.replicaId)) as ScopeVerdict;
  if (scope.inScope) return undefined;
  yield audit('scope-checked', 'refused', { refusal: 'out-of-scope', reason: scope.reason });
  return finish({ outcome: 'skipped', reason: `${scope.reason}: nothing was read or changed` });
}

/** Reads the replica (settings included), its registry's private endpoints and our permission there, once. */
function* diagnoseReplica(heal: HealRun): Generator<unknown, Step<Findings>, unknown> {
  const { context, request, status, audit, finish, now } = heal;
  status('diagnosing');
  const read = (yield context.df.callActivityWithRetry(
    GATHER_EVIDENCE_ACTIVITY,
    ACTIVITY_RETRY,
    request.replicaId,
  )) as HealEvidenceRead;
  const captured = read.replica;
  if (captured === null) {
    yield audit('diagnosed', 'skipped', { reason: 'the replica no longer exists' });
    return {
      ok: false,
      result: finish({ diagnosis: 'healthy', outcome: 'skipped', reason: 'the replica no longer exists' }),
    };
  }
  const access: PrivateLinkCheck = {
    privateEndpoints: read.privateEndpoints,
    missingAt: read.missingAt,
    principalId: read.principalId,
  };
  const minutesInState =
    request.firstSeenAt === undefined
      ? undefined
      : (now().getTime() - Date.parse(request.firstSeenAt)) / 60000;
  const evidence: ReplicaEvidence = {
    replicaId: request.replicaId,
    location: captured.location,
    provisioningState: captured.provisioningState,
    ...(captured.displayStatus === undefined ? {} : { displayStatus: captured.displayStatus }),
    ...(captured.statusMessage === undefined ? {} : { statusMessage: captured.statusMessage }),
    ...(request.firstSeenAt === undefined ? {} : { firstSeenAt: request.firstSeenAt }),
    ...(minutesInState === undefined ? {} : { minutesInState: Math.round(minutesInState * 10) / 10 }),
    thresholdMinutes: request.thresholdMinutes,
    privateEndpoints: access.privateEndpoints,
    missingPermissionAt: access.missingAt,
  };
  // Judged on the exact time in state; the evidence shows it rounded to a tenth of a minute.
  const diagnosis = diagnose(minutesInState === undefined ? evidence : { ...evidence, minutesInState });
  const plan = healPlan(diagnosis, captured, access);
  yield audit('diagnosed', 'succeeded', { diagnosis, evidence, plan });
  status('diagnosing', diagnosis);
  return { ok: true, value: { captured, access, evidence, diagnosis, plan } };
}

/** The heal's result when there is nothing to change, or nothing the policy lets it change. */
function* leaveAloneOrReport(
  heal: HealRun,
  { captured, evidence, diagnosis, plan }: Findings,
): Generator<unknown, HealResult | undefined, unknown> {
  const { request, audit, notify, finish } = heal;
  if (diagnosis === 'healthy') return finish({ diagnosis, outcome: 'healthy', evidence });
  if (diagnosis === 'slow') {
    yield notify(
      'slow',
      `Replica ${captured.name} is still ${captured.provisioningState} but progressing; left alone.`,
      { evidence },
    );
    return finish({ diagnosis, outcome: 'skipped', reason: 'still progressing: left alone', evidence, plan });
  }
  if (request.dryRun || request.policy === 'report') {
    yield audit('reported', 'skipped', { policy: request.policy, dryRun: request.dryRun });
    return finish({ diagnosis, outcome: 'reported', evidence, plan });
  }
  return undefined;
}

/** Tells people a heal waits for them (and asks in chat when it came from one), then waits. */
function* awaitApprovalOf(
  heal: HealRun,
  { captured, evidence, diagnosis, plan }: Findings,
): Generator<unknown, Step<undefined>, unknown> {
  const { context, request, status, audit, notify, finish } = heal;
  const instanceId = context.df.instanceId;
  status('awaiting-approval', diagnosis);
  yield notify(
    'awaiting-approval',
    `Replica ${captured.name} needs healing (${diagnosis}); waiting for approval.`,
    {
      plan,
      instanceId,
    },
  );
  const ask: ChatApprovalRequestInput | undefined =
    request.replyTo === undefined
      ? undefined
      : {
          replyTo: request.replyTo,
          instanceId,
          summary: `Heal replica ${captured.name} (${diagnosis})?`,
          plan,
          requestedBy: request.actor,
          timeoutMinutes: request.approvalTimeoutMinutes,
        };
  const decision = yield* askForApproval(context, ask, request.approvalTimeoutMinutes);
  if (decision === 'timeout') {
    yield audit('approval', 'skipped', { reason: 'no answer before the timeout' });
    return {
      ok: false,
      result: finish({
        diagnosis,
        outcome: 'rejected',
        reason: 'no approval before the timeout',
        evidence,
        plan,
      }),
    };
  }
  yield audit('approval', decision.approved ? 'accepted' : 'refused', decisionDetail(decision));
  if (!decision.approved) {
    return {
      ok: false,
      result: finish({
        diagnosis,
        outcome: 'rejected',
        reason: `rejected by ${decision.approver.id}`,
        evidence,
        plan,
      }),
    };
  }
  return { ok: true, value: undefined };
}

/** Why an attempt did not heal; `final` when another attempt cannot do better. */
interface AttemptFailure {
  reason: string;
  final: boolean;
}

/**
 * Up to `maxAttempts` remediations, backing off in between; escalates when none of them heals, or at once
 * when one fails in a way trying again cannot change.
 */
function* remediateInAttempts(heal: HealRun, findings: Findings): Generator<unknown, HealResult, unknown> {
  const { context, request, status, audit, notify, finish, now } = heal;
  const { captured, evidence, diagnosis, plan } = findings;
  let failure: AttemptFailure = { reason: '', final: false };
  for (heal.attempt = 1; heal.attempt <= request.maxAttempts; heal.attempt += 1) {
    const failed = yield* remediate(heal, findings);
    if (failed === undefined) {
      yield audit('healed', 'succeeded', { attempt: heal.attempt, requestedAt: request.requestedAt });
      return finish({ diagnosis, outcome: 'healed', evidence, plan });
    }
    failure = failed;
    yield audit('attempt-failed', 'failed', { attempt: heal.attempt, reason: failure.reason });
    if (failure.final) break;
    if (heal.attempt < request.maxAttempts) {
      status('backing-off', diagnosis);
      yield context.df.createTimer(
        new Date(now().getTime() + request.polling.initialSeconds * 1000 * 2 ** heal.attempt),
      );
    }
  }
  heal.attempt = Math.min(heal.attempt, request.maxAttempts);
  const lastReason = failure.reason;
  yield audit('escalated', 'failed', {
    reason: lastReason,
    attempts: heal.attempt,
    requestedAt: request.requestedAt,
  });
  yield notify(
    'escalated',
    `Healing replica ${captured.name} gave up after ${heal.attempt} attempts: ${lastReason}`,
    { evidence },
  );
  return finish({ diagnosis, outcome: 'escalated', reason: lastReason, evidence, plan });
}

/**
 * One attempt: grant and wait (wherever the permission is missing: a replica created without it would
 * be stuck too), delete, create. The grant comes first: when it cannot take effect, or is refused, the
 * replica is not deleted for nothing. The delete and the create work from what the heal read; they do
 * not read it again. Returns why the attempt failed, or undefined when healed.
 */
function* remediate(
  heal: HealRun,
  findings: Findings,
): Generator<unknown, AttemptFailure | undefined, unknown> {
  if (findings.access.missingAt.length > 0 && !heal.granted) {
    const failed = yield* grantAndWait(heal, findings);
    if (failed !== undefined) return failed;
    heal.granted = true;
  }
  heal.status('deleting', findings.diagnosis);
  const deleted = yield* runOperation(heal, 'delete', {});
  if (deleted.outcome !== 'succeeded' && deleted.evidence?.refusal !== 'replica-not-found') {
    return { reason: `delete ended ${deleted.outcome}: ${deleted.reason ?? ''}`, final: false };
  }
  heal.status('creating', findings.diagnosis);
  const { captured } = findings;
  const created = yield* runOperation(heal, 'create', {
    location: captured.location,
    settings: {
      regionEndpointEnabled: captured.regionEndpointEnabled,
      zoneRedundancy: captured.zoneRedundancy,
      tags: captured.tags,
    },
  });
  return created.outcome === 'succeeded'
    ? undefined
    : { reason: `create ended ${created.outcome}: ${created.reason ?? ''}`, final: false };
}

/**
 * Grants the permission where it is missing and waits until it is effective. A refused grant (outside the
 * scope, a role under the app's role name that holds more than the private-link action, or no role the
 * app may assign) assigns nothing and is final for this heal: the replica is left as it was.
 */
function* grantAndWait(
  heal: HealRun,
  { access, diagnosis }: Findings,
): Generator<unknown, AttemptFailure | undefined, unknown> {
  const { context, request, status, audit } = heal;
  status('granting', diagnosis);
  let grant: PrivateLinkGrantResult;
  try {
    grant = (yield grantPrivateLink(context, heal.registryId, access.missingAt)) as PrivateLinkGrantResult;
  } catch (error) {
    const reason = `granting the private-link permission failed: ${failureMessage(error)}`;
    yield audit('permission-granted', 'failed', { missingAt: access.missingAt, reason });
    return { reason, final: false };
  }
  if (isGrantRefused(grant)) {
    yield audit('permission-granted', 'refused', refusalDetail(grant, access.missingAt));
    return {
      reason: `the permission was not granted: ${grant.reason}; the replica was left as it was`,
      final: true,
    };
  }
  yield audit('permission-granted', 'succeeded', { ...grant });
  status('waiting-for-permission', diagnosis);
  const wait = yield* waitUntilPermissionEffective(context, access.missingAt, request.polling);
  yield audit('permission-effective', wait.effective ? 'succeeded' : 'failed', { checks: wait.checks });
  return wait.effective
    ? undefined
    : {
        reason: 'the granted permission did not become effective in time; the replica was left as it was',
        final: false,
      };
}

/**
 * A replica operation as a sub-orchestration, under an id of this heal's attempt. One that crashed counts
 * as a failed attempt, not as a failed heal.
 */
function* runOperation(
  heal: HealRun,
  kind: ReplicaOperationRequest['kind'],
  extra: Partial<ReplicaOperationRequest>,
): Generator<unknown, OperationResult, unknown> {
  const { context, request, now } = heal;
  const input: ReplicaOperationInput = {
    request: {
      kind,
      replicaId: request.replicaId,
      actor: request.actor,
      channel: request.channel,
      requestedAt: now().toISOString(),
      polling: request.polling,
      // The heal has just read the registry and the replica, and made sure of the permission.
      checked: true,
      ...extra,
    },
  };
  const task = context.df.callSubOrchestrator(
    REPLICA_OPERATION_ORCHESTRATION,
    input,
    `${context.df.instanceId}|${kind}|${heal.attempt}`,
  );
  try {
    return (yield task) as OperationResult;
  } catch (error) {
    return { outcome: 'failed', phase: 'failed', reason: failureMessage(error) };
  }
}

df.app.orchestration(HEAL_REPLICA_ORCHESTRATION, healReplica as OrchestrationHandler);
