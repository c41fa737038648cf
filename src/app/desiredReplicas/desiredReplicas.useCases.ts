// Planning and applying a registry's desired replica set, whichever channel asks: the plan as ARM stands
// now (shown, and audited as shown), a dry run of the apply, or the apply itself, started as the
// registry's one apply orchestration. Refusals are answered and recorded alike for REST and chat.
import type { DurableClient } from 'durable-functions';

import { AccessGateway } from '../../azure/access';
import { armClients } from '../../azure/armClients';
import { desiredReplicaStore } from '../../azure/desiredReplicaStoreFactory';
import { ReplicaGateway } from '../../azure/replicas';
import { approvalTimeoutMinutes, desiredReplicasParallelism, pollingPolicy } from '../../config/settings';
import { declarationEtag, describeStep, driftOf, formatRegistryId, isChange, isPremium } from '../../domain';
import type { ChatReplyTarget, PlanStep, RegistryId, ReplicaSetDrift } from '../../domain';
import { approvalPolicyOf } from '../approval/approval.useCases';
import { auditRequestBestEffort } from '../audit/audit.useCases';
import { operationUrl } from '../operations/operations.useCases';
import { startApply } from './applyStart';
import type { Refusal, Requester } from './declarations.useCases';
import { APPLY_OPERATION, DECLARATION_OPERATION } from './desiredReplicas.contract';
import { planRegistry } from './replicaSetPlanner';

export type StepView = Omit<PlanStep, 'update'> & { order: number };

export interface PlanView {
  registry: string;
  declarationVersion: number;
  etag: string;
  homeRegion: string;
  /** The registry's content size in GiB, when ARM reports it; estimates grow with it. */
  sizeGiB?: number;
  /** Replica operations an apply runs at once. */
  parallelism: number;
  inSync: boolean;
  /** Minutes an apply would take, approvals aside. */
  estimatedMinutes: number;
  steps: StepView[];
  drift: ReplicaSetDrift;
}

export type PlanAnswer = { outcome: 'planned'; view: PlanView } | Refusal;

export type ApplyAnswer =
  { outcome: 'started'; instanceId: string } | { outcome: 'planned'; view: PlanView } | Refusal;

/** The plan as ARM stands now, as a person applying it would see it; audited as shown. */
export async function showPlan(registry: RegistryId, requester: Requester): Promise<PlanAnswer> {
  return plan(registry, requester, DECLARATION_OPERATION, 'plan');
}

/** A dry run plans and changes nothing; otherwise the registry's apply starts, unless one runs. */
export async function requestApply(
  client: DurableClient,
  registry: RegistryId,
  requester: Requester & { replyTo?: ChatReplyTarget },
  dryRun: boolean,
): Promise<ApplyAnswer> {
  if (dryRun) return plan(registry, requester, APPLY_OPERATION, 'dry-run');
  const { current } = await desiredReplicaStore().read(registry);
  const view =
    current === undefined ? undefined : await new ReplicaGateway(armClients()).getRegistry(registry);
  const refusal: Omit<Refusal, 'outcome'> | undefined =
    current === undefined
      ? {
          status: 404,
          refusal: 'declaration-not-found',
          detail: `Registry ${registry.registryName} has no desired replica set to apply.`,
        }
      : view === undefined
        ? {
            status: 404,
            refusal: 'registry-not-found',
            detail: `Registry ${registry.registryName} was not found.`,
          }
        : !isPremium(view)
          ? {
              status: 422,
              refusal: 'not-premium',
              detail: `Geo-replication needs a Premium registry; ${view.name} is ${view.sku}.`,
            }
          : undefined;
  if (refusal !== undefined) return refuse(registry, requester, APPLY_OPERATION, 'requested', refusal);

  const start = await startApply(client, {
    registryId: formatRegistryId(registry),
    trigger: 'request',
    actor: requester.actor,
    channel: requester.channel,
    requestedAt: new Date().toISOString(),
    polling: pollingPolicy(),
    parallelism: desiredReplicasParallelism(),
    approvalTimeoutMinutes: approvalTimeoutMinutes(),
    approval: { policy: approvalPolicyOf(requester.origin ?? { kind: 'rest', actor: requester.actor }) },
    ...(requester.replyTo === undefined ? {} : { replyTo: requester.replyTo }),
  });
  if (start.outcome === 'started') return { outcome: 'started', instanceId: start.instanceId };
  if (start.outcome === 'busy') {
    return {
      outcome: 'refused',
      status: 409,
      refusal: 'apply-in-progress',
      detail: start.detail,
      extensions: { operationId: start.instanceId, operationLocation: operationUrl(start.instanceId) },
    };
  }
  requester.warn(`starting ${start.instanceId} failed: ${start.reason}`);
  throw new Error(`the apply could not be started: ${start.reason}`);
}

async function plan(
  registry: RegistryId,
  requester: Requester,
  operation: string,
  step: string,
): Promise<PlanAnswer> {
  const clients = armClients();
  const parallelism = desiredReplicasParallelism();
  const verdict = await planRegistry(
    {
      replicas: new ReplicaGateway(clients),
      access: new AccessGateway(clients),
      clients,
      store: desiredReplicaStore(),
    },
    registry,
    'request',
    parallelism,
  );
  if (!verdict.ok) return refuse(registry, requester, operation, step, verdict);
  const view: PlanView = {
    registry: formatRegistryId(registry),
    declarationVersion: verdict.declaration.version,
    etag: declarationEtag(verdict.declaration.version),
    homeRegion: verdict.registry.location,
    ...(verdict.sizeGiB === undefined ? {} : { sizeGiB: Math.round(verdict.sizeGiB * 10) / 10 }),
    parallelism,
    inSync: verdict.plan.inSync,
    estimatedMinutes: verdict.plan.estimatedMinutes,
    steps: verdict.plan.steps.map((planned, i) => {
      const { update: _update, ...shown } = planned;
      return { order: i + 1, ...shown };
    }),
    drift: driftOf(verdict.plan),
  };
  await auditRequestBestEffort(
    {
      actor: requester.actor,
      channel: requester.channel,
      operation,
      target: view.registry,
      step,
      outcome: 'succeeded',
      detail: {
        declarationVersion: view.declarationVersion,
        inSync: view.inSync,
        estimatedMinutes: view.estimatedMinutes,
        steps: verdict.plan.steps.filter(isChange).map(describeStep),
      },
    },
    `${operation}|${view.registry.toLowerCase()}|${step}`,
    'a plan shown',
    requester.warn,
  );
  return { outcome: 'planned', view };
}

async function refuse(
  registry: RegistryId,
  requester: Requester,
  operation: string,
  step: string,
  refusal: Omit<Refusal, 'outcome'>,
): Promise<Refusal> {
  await auditRequestBestEffort(
    {
      actor: requester.actor,
      channel: requester.channel,
      operation,
      target: formatRegistryId(registry),
      step,
      outcome: 'refused',
      detail: { status: refusal.status, refusal: refusal.refusal, detail: refusal.detail },
    },
    `${operation}|${formatRegistryId(registry).toLowerCase()}|${step}`,
    'a refused request',
    requester.warn,
  );
  return {
    outcome: 'refused',
    status: refusal.status,
    refusal: refusal.refusal,
    detail: refusal.detail,
    ...(refusal.extensions === undefined ? {} : { extensions: refusal.extensions }),
  };
}
