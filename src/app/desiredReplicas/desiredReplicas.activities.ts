// Activities of the desired-replicas feature: plan a registry against ARM now, start one step's replica
// operation as an orchestration of its own (never a sub-orchestration: that would replace a running
// operation on the replica), read how the started steps are doing, and act on the drift a sweep found.
// Each may run more than once: starts find their own earlier run, entries and records have fixed ids.
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ActivityHandler, DurableOrchestrationStatus } from 'durable-functions';

import { AccessGateway } from '../../azure/access';
import { armClients } from '../../azure/armClients';
import { auditStore } from '../../azure/auditStoreFactory';
import { desiredReplicaStore } from '../../azure/desiredReplicaStoreFactory';
import { instanceStatus, isActive, startExclusive } from '../../azure/exclusiveStart';
import { ReplicaGateway } from '../../azure/replicas';
import {
  approvalSettings,
  approvalTimeoutMinutes,
  desiredReplicasParallelism,
  pollingPolicy,
} from '../../config/settings';
import { approvalPolicyFor, canonicalJson, parseRegistryId } from '../../domain';
import type { OperationResult, ReplicaOperationInput } from '../../domain';
import { REPLICA_OPERATION_ORCHESTRATION } from '../replicaOperation/replicaOperation.contract';
import { startApply } from './applyStart';
import {
  DRIFT_OPERATION,
  HAND_OVER_DRIFT_ACTIVITY,
  PLAN_ACTIVITY,
  READ_STEPS_ACTIVITY,
  START_STEP_ACTIVITY,
} from './desiredReplicas.contract';
import type {
  DriftAction,
  DriftFinding,
  DriftHandOver,
  PlanOutcome,
  PlanRequest,
  StepLaunch,
  StepProgress,
  StepStart,
} from './desiredReplicas.contract';
import { planRegistry } from './replicaSetPlanner';

export const planApply: ActivityHandler = async (request: PlanRequest): Promise<PlanOutcome> => {
  const clients = armClients();
  const verdict = await planRegistry(
    {
      replicas: new ReplicaGateway(clients),
      access: new AccessGateway(clients),
      clients,
      store: desiredReplicaStore(),
    },
    parseRegistryId(request.registryId),
    request.trigger,
    request.parallelism,
  );
  if (!verdict.ok) return { ok: false, refusal: verdict.refusal, detail: verdict.detail };
  return {
    ok: true,
    plan: {
      declarationVersion: verdict.declaration.version,
      homeRegion: verdict.registry.location,
      ...(verdict.sizeGiB === undefined ? {} : { sizeGiB: verdict.sizeGiB }),
      steps: verdict.plan.steps,
      estimatedMinutes: verdict.plan.estimatedMinutes,
    },
  };
};

/**
 * Starts the step's replica operation under the replica's id unless another operation holds it. The
 * request is audited first, as a REST request is; the operation's own steps follow under its id.
 */
export async function startStep(launch: StepLaunch, context: InvocationContext): Promise<StepStart> {
  const client = df.getClient(context);
  const before = await instanceStatus(client, launch.instanceId);
  if (before !== undefined && carriesRequest(before, launch)) return { outcome: 'started' };
  if (before === undefined || !isActive(before)) {
    const { request } = launch.input;
    await auditStore().append(
      {
        time: request.requestedAt,
        actor: request.actor,
        channel: request.channel,
        operation: request.kind,
        target: request.replicaId,
        instanceId: launch.instanceId,
        step: 'requested',
        outcome: 'accepted',
        detail: { apply: launch.applyId },
      },
      `${launch.instanceId}|${request.requestedAt}|requested`,
    );
  }
  const start = await startExclusive(
    client,
    REPLICA_OPERATION_ORCHESTRATION,
    launch.instanceId,
    launch.input,
  );
  if (start.outcome !== 'busy') return start;
  // Ours may already have gone on as new (its input then carries progress too): the request decides.
  const after = await instanceStatus(client, launch.instanceId);
  return after !== undefined && carriesRequest(after, launch) ? { outcome: 'started' } : start;
}

/**
 * Whether the instance runs the step's replica operation, in any generation: a long operation goes on as
 * new with its progress beside the request, and the request (with its time) is the step's alone.
 */
function carriesRequest(status: DurableOrchestrationStatus, launch: StepLaunch): boolean {
  const input = status.input as Partial<ReplicaOperationInput> | null | undefined;
  return sameJson(input?.request, launch.input.request);
}

const sameJson = (a: unknown, b: unknown): boolean =>
  canonicalJson(JSON.parse(JSON.stringify(a ?? null))) ===
  canonicalJson(JSON.parse(JSON.stringify(b ?? null)));

export async function readSteps(launches: StepLaunch[], context: InvocationContext): Promise<StepProgress[]> {
  const client = df.getClient(context);
  return Promise.all(
    launches.map(async (launch): Promise<StepProgress> => {
      const { index, instanceId } = launch;
      const status = await instanceStatus(client, instanceId);
      if (status === undefined) {
        return { index, done: true, failure: 'the operation was purged before the apply read its result' };
      }
      if (!carriesRequest(status, launch)) {
        return {
          index,
          done: true,
          failure: 'a later operation on the replica replaced this one before the apply read its result',
        };
      }
      if (isActive(status)) return { index, done: false };
      if (status.runtimeStatus === df.OrchestrationRuntimeStatus.Completed) {
        return { index, done: true, result: status.output as OperationResult };
      }
      const output = typeof status.output === 'string' ? status.output : JSON.stringify(status.output);
      return { index, done: true, failure: `the operation ended ${String(status.runtimeStatus)}: ${output}` };
    }),
  );
}

/**
 * What a sweep does with the drift it found, per the declaration's policy: report it (once per distinct
 * drift), start an apply that asks for approval (`approve`, once per distinct drift), or start an apply
 * (`auto`, every sweep while something it may do without approval remains). A dry run only reports.
 */
export async function handOverDrift(
  handOver: DriftHandOver,
  context: InvocationContext,
): Promise<DriftAction[]> {
  const client = df.getClient(context);
  const actions: DriftAction[] = [];
  for (const finding of handOver.findings) {
    try {
      actions.push(await handOverOne(handOver, finding, client));
    } catch (error) {
      actions.push({
        registryId: finding.registryId,
        action: 'failed',
        reason: (error instanceof Error ? error.message : String(error)).slice(0, 300),
      });
    }
  }
  return actions;
}

async function handOverOne(
  handOver: DriftHandOver,
  finding: DriftFinding,
  client: ReturnType<typeof df.getClient>,
): Promise<DriftAction> {
  const registry = parseRegistryId(finding.registryId);
  const store = desiredReplicaStore();
  const changed = finding.digest !== finding.previousDigest;
  const record = async (): Promise<void> => {
    if (!handOver.dryRun && changed) {
      await store.recordReportedDrift(registry, { digest: finding.digest, reportedAt: handOver.requestedAt });
    }
  };
  if (finding.digest === '') {
    await audit(handOver, finding, 'in-sync', { policy: finding.policy });
    await record();
    return { registryId: finding.registryId, action: 'cleared' };
  }
  if (changed) {
    await audit(handOver, finding, 'drift-detected', {
      policy: finding.policy,
      dryRun: handOver.dryRun,
      declarationVersion: finding.declarationVersion,
      ...finding.drift,
    });
  }
  const wantsApply =
    !handOver.dryRun &&
    (finding.policy === 'auto'
      ? changed || autoApplicable(finding)
      : finding.policy === 'approve' && changed);
  if (!wantsApply) {
    await record();
    return { registryId: finding.registryId, action: changed ? 'reported' : 'unchanged' };
  }
  const start = await startApply(client, {
    registryId: finding.registryId,
    trigger: 'drift',
    actor: handOver.actor,
    channel: handOver.channel,
    requestedAt: handOver.requestedAt,
    polling: pollingPolicy(),
    parallelism: desiredReplicasParallelism(),
    approvalTimeoutMinutes: approvalTimeoutMinutes(),
    // A sweep's apply is decided as a scheduled operation's would be: over the REST API.
    approval: { policy: approvalPolicyFor({ kind: 'schedule', actor: handOver.actor }, approvalSettings()) },
  });
  if (start.outcome === 'failed') throw new Error(`the apply could not be started: ${start.reason}`);
  await record();
  return {
    registryId: finding.registryId,
    action: start.outcome === 'started' ? 'apply-started' : 'apply-busy',
    operationId: start.instanceId,
  };
}

/** Whether an apply started by drift may do something without an approval (restore or update). */
function autoApplicable(finding: DriftFinding): boolean {
  return (
    finding.drift.missing.length > 0 ||
    finding.drift.misconfigured.some((replica) => !replica.settings.includes('zoneRedundancy'))
  );
}

async function audit(
  handOver: DriftHandOver,
  finding: DriftFinding,
  step: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await auditStore().append(
    {
      time: handOver.requestedAt,
      actor: handOver.actor,
      channel: handOver.channel,
      operation: DRIFT_OPERATION,
      target: finding.registryId,
      instanceId: handOver.sweepId,
      step,
      outcome: 'succeeded',
      detail,
    },
    `${DRIFT_OPERATION}|${handOver.sweepId}|${handOver.requestedAt}|${finding.registryId.toLowerCase()}|${step}`,
  );
}

const clientInput = df.input.durableClient();
df.app.activity(PLAN_ACTIVITY, { handler: planApply });
df.app.activity(START_STEP_ACTIVITY, { extraInputs: [clientInput], handler: startStep as ActivityHandler });
df.app.activity(READ_STEPS_ACTIVITY, { extraInputs: [clientInput], handler: readSteps as ActivityHandler });
df.app.activity(HAND_OVER_DRIFT_ACTIVITY, {
  extraInputs: [clientInput],
  handler: handOverDrift as ActivityHandler,
});
