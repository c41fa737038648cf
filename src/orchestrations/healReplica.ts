// Heal one replica, the runbook Azure documents for replicas stuck on private-endpoint registries:
// gather evidence and diagnose; leave slow replicas alone; within the registry's policy, grant the
// missing private-link permission and wait until it is effective, delete the replica, then create it
// again with the settings it had — in bounded attempts, escalating when they run out.
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';

import { CHECK_PRIVATE_LINK_ACTIVITY, GRANT_PRIVATE_LINK_ACTIVITY } from '../activities/accessContract';
import type { PrivateLinkCheck, PrivateLinkGrant } from '../activities/accessContract';
import { CHAT_APPROVAL_REQUEST_ACTIVITY } from '../activities/chatContract';
import type { ChatApprovalRequestInput } from '../activities/chatContract';
import { CAPTURE_REPLICA_ACTIVITY, NOTIFY_ACTIVITY } from '../activities/healActivities';
import type { HealNotification } from '../activities/healActivities';
import type { ReplicaView } from '../azure/replicas';
import {
  PERMISSION_CHECKS,
  diagnose,
  formatRegistryId,
  parseReplicaId,
  pollDelaySeconds,
  registryOfReplica,
} from '../domain';
import type {
  AuditOutcome,
  Diagnosis,
  HealRequest,
  HealResult,
  OperationResult,
  PollingPolicy,
  ReplicaEvidence,
  ReplicaOperationInput,
  ReplicaOperationRequest,
} from '../domain';
import { HEAL_REPLICA_ORCHESTRATION, REPLICA_OPERATION_ORCHESTRATION } from './names';
import { awaitApproval } from './approval';
import { ACTIVITY_RETRY, auditStep, failureMessage } from './auditStep';

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
  const request = context.df.getInput<HealRequest>();
  const instanceId = context.df.instanceId;
  const now = (): Date => context.df.currentUtcDateTime;
  const replica = parseReplicaId(request.replicaId);
  const registryId = formatRegistryId(registryOfReplica(replica));
  let attempt = 0;
  let stepCount = 0;

  const status = (phase: HealPhase, diagnosis?: Diagnosis): void => {
    context.df.setCustomStatus({
      operation: 'heal',
      target: request.replicaId,
      phase,
      attempt,
      ...(diagnosis === undefined ? {} : { diagnosis }),
      policy: request.policy,
      requestedAt: request.requestedAt,
      updatedAt: now().toISOString(),
    });
  };
  const subject = {
    actor: request.actor,
    channel: request.channel,
    operation: 'heal',
    target: request.replicaId,
    requestedAt: request.requestedAt,
  };
  const audit = (step: string, outcome: AuditOutcome, detail?: Record<string, unknown>): Task => {
    stepCount += 1;
    return auditStep(context, subject, step, outcome, `${attempt}|${stepCount}`, detail);
  };
  const notify = (kind: HealNotification['kind'], summary: string, detail?: Record<string, unknown>): Task =>
    context.df.callActivityWithRetry(NOTIFY_ACTIVITY, ACTIVITY_RETRY, {
      kind,
      replicaId: request.replicaId,
      instanceId,
      summary,
      ...(detail === undefined ? {} : { detail }),
    } satisfies HealNotification);
  const finish = (result: Omit<HealResult, 'replicaId' | 'attempts'>): HealResult => {
    status('done', result.diagnosis);
    return { replicaId: request.replicaId, attempts: attempt, ...result };
  };
  const operation = (
    kind: ReplicaOperationRequest['kind'],
    extra: Partial<ReplicaOperationRequest>,
  ): Task => {
    const input: ReplicaOperationInput = {
      request: {
        kind,
        replicaId: request.replicaId,
        actor: request.actor,
        channel: request.channel,
        requestedAt: now().toISOString(),
        polling: request.polling,
        ...extra,
      },
    };
    return context.df.callSubOrchestrator(
      REPLICA_OPERATION_ORCHESTRATION,
      input,
      `${instanceId}|${kind}|${attempt}`,
    );
  };
  /** A sub-operation that crashed counts as a failed attempt, not as a failed heal. */
  const run = function* (task: Task): Generator<unknown, OperationResult, unknown> {
    try {
      return (yield task) as OperationResult;
    } catch (error) {
      return { outcome: 'failed', phase: 'failed', reason: failureMessage(error) };
    }
  };

  // 1. Evidence and diagnosis.
  status('diagnosing');
  const captured = (yield context.df.callActivityWithRetry(
    CAPTURE_REPLICA_ACTIVITY,
    ACTIVITY_RETRY,
    request.replicaId,
  )) as ReplicaView | null;
  if (captured === null) {
    yield audit('diagnosed', 'skipped', { reason: 'the replica no longer exists' });
    return finish({ diagnosis: 'healthy', outcome: 'skipped', reason: 'the replica no longer exists' });
  }
  const access = (yield context.df.callActivityWithRetry(CHECK_PRIVATE_LINK_ACTIVITY, ACTIVITY_RETRY, {
    registryId,
  })) as PrivateLinkCheck;
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
  const diagnosis = diagnose(evidence);
  const plan = healPlan(diagnosis, captured, access);
  yield audit('diagnosed', 'succeeded', { diagnosis, evidence, plan });
  status('diagnosing', diagnosis);

  if (diagnosis === 'healthy') return finish({ diagnosis, outcome: 'healthy', evidence });
  if (diagnosis === 'slow') {
    yield notify(
      'slow',
      `Replica ${captured.name} is still ${captured.provisioningState} but progressing; left alone.`,
      {
        evidence,
      },
    );
    return finish({ diagnosis, outcome: 'skipped', reason: 'still progressing: left alone', evidence, plan });
  }
  if (request.dryRun || request.policy === 'report') {
    yield audit('reported', 'skipped', { policy: request.policy, dryRun: request.dryRun });
    return finish({ diagnosis, outcome: 'reported', evidence, plan });
  }

  // 2. Approval, when the registry's policy asks for it.
  if (request.policy === 'approve') {
    status('awaiting-approval', diagnosis);
    yield notify(
      'awaiting-approval',
      `Replica ${captured.name} needs healing (${diagnosis}); waiting for approval.`,
      {
        plan,
        instanceId,
      },
    );
    if (request.replyTo !== undefined) {
      const ask: ChatApprovalRequestInput = {
        replyTo: request.replyTo,
        instanceId,
        summary: `Heal replica ${captured.name} (${diagnosis})?`,
        plan,
        requestedBy: request.actor,
        timeoutMinutes: request.approvalTimeoutMinutes,
      };
      yield context.df.callActivityWithRetry(CHAT_APPROVAL_REQUEST_ACTIVITY, ACTIVITY_RETRY, ask);
    }
    const decision = yield* awaitApproval(context, request.approvalTimeoutMinutes);
    if (decision === 'timeout') {
      yield audit('approval', 'skipped', { reason: 'no answer before the timeout' });
      return finish({
        diagnosis,
        outcome: 'rejected',
        reason: 'no approval before the timeout',
        evidence,
        plan,
      });
    }
    yield audit('approval', decision.approved ? 'accepted' : 'refused', { approver: decision.approver });
    if (!decision.approved) {
      return finish({
        diagnosis,
        outcome: 'rejected',
        reason: `rejected by ${decision.approver.id}`,
        evidence,
        plan,
      });
    }
  }

  // 3. Grant and wait (for the permission cause), delete, create — in bounded attempts. The grant comes
  //    first: when it cannot take effect, the replica is not deleted for nothing.
  const remediate = function* (): Generator<unknown, string, unknown> {
    if (diagnosis === 'missing-private-link-permission') {
      status('granting', diagnosis);
      const grant = (yield context.df.callActivityWithRetry(GRANT_PRIVATE_LINK_ACTIVITY, ACTIVITY_RETRY, {
        privateEndpoints: access.missingAt,
      })) as PrivateLinkGrant;
      yield audit('permission-granted', 'succeeded', { ...grant });
      status('waiting-for-permission', diagnosis);
      const checks = yield* waitUntilEffective(context, registryId, request.polling);
      yield audit('permission-effective', checks === undefined ? 'failed' : 'succeeded', {
        checks: checks ?? PERMISSION_CHECKS,
      });
      if (checks === undefined) {
        return 'the granted permission did not become effective in time; the replica was left as it was';
      }
    }
    status('deleting', diagnosis);
    const deleted = yield* run(operation('delete', {}));
    if (deleted.outcome !== 'succeeded' && deleted.evidence?.refusal !== 'replica-not-found') {
      return `delete ended ${deleted.outcome}: ${deleted.reason ?? ''}`;
    }
    status('creating', diagnosis);
    const created = yield* run(
      operation('create', {
        location: captured.location,
        settings: {
          regionEndpointEnabled: captured.regionEndpointEnabled,
          zoneRedundancy: captured.zoneRedundancy,
          tags: captured.tags,
        },
      }),
    );
    return created.outcome === 'succeeded' ? '' : `create ended ${created.outcome}: ${created.reason ?? ''}`;
  };

  let lastReason = '';
  for (attempt = 1; attempt <= request.maxAttempts; attempt += 1) {
    lastReason = yield* remediate();
    if (lastReason === '') {
      yield audit('healed', 'succeeded', { attempt });
      return finish({ diagnosis, outcome: 'healed', evidence, plan });
    }
    yield audit('attempt-failed', 'failed', { attempt, reason: lastReason });
    if (attempt < request.maxAttempts) {
      status('backing-off', diagnosis);
      yield context.df.createTimer(
        new Date(now().getTime() + request.polling.initialSeconds * 1000 * 2 ** attempt),
      );
    }
  }
  attempt = request.maxAttempts;
  yield audit('escalated', 'failed', { reason: lastReason, attempts: attempt });
  yield notify(
    'escalated',
    `Healing replica ${captured.name} gave up after ${attempt} attempts: ${lastReason}`,
    {
      evidence,
    },
  );
  return finish({ diagnosis, outcome: 'escalated', reason: lastReason, evidence, plan });
}

/**
 * Role assignments take a while to reach every ARM front end: re-check with backoff, bounded. Returns how
 * many checks it took, or undefined when the permission never became effective.
 */
function* waitUntilEffective(
  context: OrchestrationContext,
  registryId: string,
  polling: PollingPolicy,
): Generator<unknown, number | undefined, unknown> {
  for (let check = 1; check <= PERMISSION_CHECKS; check += 1) {
    const access = (yield context.df.callActivityWithRetry(CHECK_PRIVATE_LINK_ACTIVITY, ACTIVITY_RETRY, {
      registryId,
    })) as PrivateLinkCheck;
    if (access.missingAt.length === 0) return check;
    if (check === PERMISSION_CHECKS) break;
    const seconds = pollDelaySeconds(check - 1, polling);
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + seconds * 1000));
  }
  return undefined;
}

/** The steps a heal would take, for dry runs and the audit trail. */
export function healPlan(diagnosis: Diagnosis, replica: ReplicaView, access: PrivateLinkCheck): string[] {
  if (diagnosis === 'healthy') return ['nothing to do: the replica is healthy'];
  if (diagnosis === 'slow') return ['nothing: the replica is still provisioning and progressing; report it'];
  const settings = `zone redundancy ${replica.zoneRedundancy}, regional endpoint ${replica.regionEndpointEnabled ? 'enabled' : 'disabled'}, ${Object.keys(replica.tags).length} tags`;
  return [
    `capture the replica's settings (${replica.location}, ${settings})`,
    ...(diagnosis === 'missing-private-link-permission'
      ? [
          `ensure the least-privilege custom role holding only Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write`,
          `assign it to the app's identity (${access.principalId}) at ${access.missingAt.join(', ')}`,
          'wait until the permission is effective (if it never is, stop here and leave the replica as it is)',
        ]
      : []),
    `delete replica ${replica.name} and wait until it is consistently gone`,
    `create replica ${replica.name} again in ${replica.location} with the captured settings and wait for Succeeded`,
  ];
}

df.app.orchestration(HEAL_REPLICA_ORCHESTRATION, healReplica as OrchestrationHandler);
