// Runs a chat command for a chat user and answers in plain text any platform can show. Reads answer
// from ARM directly; changes start the same orchestrations, through the same checks, as the REST API.
// Every request lands in the audit trail with channel `chat` and the chat user as actor.
import { RestError } from '@azure/core-rest-pipeline';
import type { DurableClient } from 'durable-functions';

import { auditRequestBestEffort } from '../app/audit/audit.useCases';
import { approvalPolicyOf } from '../app/approval/approval.useCases';
import { requestSweep, sweepRequest } from '../app/healing/healing.useCases';
import { engineFailureOf, findOperation } from '../app/operations/operations.useCases';
import type { Requester } from '../app/desiredReplicas/declarations.useCases';
import { requestApply, showPlan } from '../app/desiredReplicas/desiredReplicas.useCases';
import type { PlanView } from '../app/desiredReplicas/desiredReplicas.useCases';
import { acceptReplicaOperation } from '../app/replicaOperation/replicaOperation.useCases';
import { armClients } from '../azure/armClients';
import { AuditUnavailableError } from '../azure/auditStore';
import { ReplicaGateway } from '../azure/replicas';
import {
  approvalTimeoutMinutes,
  pollingPolicy,
  registryScope,
  slackHealers,
  slackTeamId,
} from '../config/settings';
import {
  DEFAULT_REPLICA_SETTINGS,
  SWEEP_INSTANCE_ID,
  defaultReplicaName,
  describeStep,
  fieldErrorsOf,
  formatMinutes,
  formatRegistryId,
  formatReplicaId,
  isChange,
  isPremium,
  parseRegistryId,
  replicaId,
  replicaInstanceId,
} from '../domain';
import type {
  AuditActor,
  AuditOutcome,
  ChatReplyTarget,
  RegistryId,
  RegistryView,
  ReplicaOperationRequest,
  RequestOrigin,
  ReplicaView,
  SweepRequest,
} from '../domain';
import { parseCommand, usageText } from './commandParser';
import type { ChatCommand } from './commandParser';
import { resolveRegistry } from './resolveRegistry';

export interface ChatReply {
  text: string;
  /** The operation a change started, to follow with `operation <id>`. */
  operationId?: string;
  /** Shown only to the user who asked (Slack). */
  ephemeral?: boolean;
}

/** Which chat a request came from: for Slack, the workspace and user, as the signed request says. */
export type ChatPlatform = { kind: 'slack'; teamId: string; userId: string } | { kind: 'teams' };

export interface ChatRunContext {
  actor: AuditActor;
  platform: ChatPlatform;
  client: DurableClient;
  warn: (message: string) => void;
  /**
   * Where the platform lets long work report back (a Slack `response_url`). Without one (Teams outgoing
   * webhooks) nothing can be approved by a click either.
   */
  replyTo?: ChatReplyTarget;
}

/** Parses and runs one message. Never throws: failures become answers. */
export async function runChatText(text: string, context: ChatRunContext): Promise<ChatReply> {
  const parsed = parseCommand(text);
  if (!parsed.ok) {
    await auditChat(context, 'unknown', 'chat', 'refused', { text: text.slice(0, 200), reason: 'usage' });
    return { text: parsed.message, ephemeral: true };
  }
  try {
    return { ephemeral: true, ...(await runCommand(parsed.command, context)) };
  } catch (error) {
    return { text: describeFailure(error, context), ephemeral: true };
  }
}

export async function runCommand(command: ChatCommand, context: ChatRunContext): Promise<ChatReply> {
  if (context.platform.kind === 'slack') {
    const team = slackTeamId();
    if (team !== undefined && context.platform.teamId !== team) {
      await auditChat(context, command.kind, 'chat', 'refused', { refusal: 'other-workspace' });
      return { text: 'Refused: this app serves another Slack workspace; nothing was done.' };
    }
  }
  if (command.kind === 'help') {
    await auditChat(context, 'help', 'chat', 'succeeded');
    return { text: usageText() };
  }
  if (command.kind === 'operation') return describeOperation(command.id, context);
  if (command.kind === 'heal' && command.registry === undefined) return healAll(command.dryRun, context);

  const replicas = new ReplicaGateway(armClients());
  const resolved = await resolveRegistry(command.registry ?? '', replicas, registryScope());
  if (!resolved.ok) {
    await auditChat(context, command.kind, command.registry ?? 'chat', 'refused', {
      refusal: resolved.reason,
    });
    return { text: resolved.message };
  }
  const { id, registry } = resolved;
  switch (command.kind) {
    case 'list':
      await auditChat(context, 'list', formatRegistryId(id), 'succeeded');
      return { text: describeReplicas(registry, await replicas.listReplicas(id)) };
    case 'status':
      await auditChat(context, 'status', formatRegistryId(id), 'succeeded');
      return command.replica === undefined
        ? { text: describeRegistry(registry, await replicas.listReplicas(id)) }
        : describeReplica(id, command.replica, replicas, context);
    case 'heal':
      return healRegistry(id, registry, command.dryRun, context);
    case 'plan':
      return planReplicaSet(id, context);
    case 'apply':
      return applyReplicaSet(id, command.dryRun, context);
    default:
      return changeReplica(command, id, context);
  }
}

type ReplicaCommand = Extract<ChatCommand, { kind: 'add' | 'update' | 'remove' }>;

async function changeReplica(
  command: ReplicaCommand,
  registry: RegistryId,
  context: ChatRunContext,
): Promise<ChatReply> {
  const name = command.kind === 'add' ? defaultReplicaName(command.region) : command.replica;
  const replica = replicaId(registry, name);
  if (command.kind === 'remove' && context.replyTo === undefined) {
    await auditChat(context, 'delete', formatReplicaId(replica), 'refused', {
      refusal: 'approval-unavailable',
    });
    return {
      text: `Refused: removing a replica needs an Approve click, which this chat cannot show. Use Slack or the REST API (DELETE .../replicas/${name}).`,
    };
  }
  const base = {
    replicaId: formatReplicaId(replica),
    actor: context.actor,
    channel: 'chat' as const,
    requestedAt: new Date().toISOString(),
    polling: pollingPolicy(),
    ...(context.replyTo === undefined ? {} : { replyTo: context.replyTo }),
  };
  const operation: ReplicaOperationRequest =
    command.kind === 'add'
      ? {
          ...base,
          kind: 'create',
          location: command.region,
          settings: {
            ...DEFAULT_REPLICA_SETTINGS,
            regionEndpointEnabled: command.regionEndpointEnabled,
            zoneRedundancy: command.zoneRedundant ? 'Enabled' : 'Disabled',
          },
        }
      : command.kind === 'update'
        ? { ...base, kind: 'update', update: { regionEndpointEnabled: command.regionEndpointEnabled } }
        : // A destructive change from chat waits for an approver's click.
          {
            ...base,
            kind: 'delete',
            approval: {
              timeoutMinutes: approvalTimeoutMinutes(),
              policy: approvalPolicyOf(originOf(context)),
            },
          };
  const answer = await acceptReplicaOperation(context.client, operation, replica, {
    dryRun: false,
    warn: context.warn,
  });
  const what = `${VERBS[operation.kind]} replica ${name} of ${registry.registryName}`;
  if (answer.outcome === 'accepted') {
    return {
      text: `Accepted: ${what}. Operation id: ${answer.instanceId} (follow it with \`operation ${answer.instanceId}\`).`,
      operationId: answer.instanceId,
    };
  }
  if (answer.outcome === 'refused' && answer.refusal === 'operation-in-progress') {
    return {
      text: `Refused: ${answer.detail} Follow it with \`operation ${answer.instanceId}\`.`,
      operationId: answer.instanceId,
    };
  }
  return { text: `Refused: ${answer.outcome === 'refused' ? answer.detail : 'nothing was started.'}` };
}

const VERBS = { create: 'creating', update: 'updating', delete: 'removing' } as const;

/** Step lines a plan answer shows at most; the REST plan has them all. */
const PLAN_LINES = 25;

async function planReplicaSet(registry: RegistryId, context: ChatRunContext): Promise<ChatReply> {
  const answer = await showPlan(registry, requesterOf(context));
  if (answer.outcome === 'refused') return { text: `Cannot plan: ${answer.detail}` };
  return { text: describePlan(answer.view, `Apply it with \`apply ${registry.registryName}\`.`) };
}

async function applyReplicaSet(
  registry: RegistryId,
  dryRun: boolean,
  context: ChatRunContext,
): Promise<ChatReply> {
  const answer = await requestApply(
    context.client,
    registry,
    { ...requesterOf(context), ...(context.replyTo === undefined ? {} : { replyTo: context.replyTo }) },
    dryRun,
  );
  if (answer.outcome === 'planned') {
    return { text: describePlan(answer.view, 'Dry run: nothing was changed.') };
  }
  if (answer.outcome === 'refused') {
    const follow =
      answer.refusal === 'apply-in-progress'
        ? ` Follow it with \`operation ${String(answer.extensions?.operationId)}\`.`
        : '';
    return { text: `Refused: ${answer.detail}${follow}` };
  }
  const approvals =
    context.replyTo === undefined
      ? 'Steps that need an approval wait for one over the REST API (POST /api/operations/{id}/approval).'
      : 'Steps that need an approval are asked for here, with Approve and Reject buttons.';
  return {
    text: `Accepted: applying the desired replicas of ${registry.registryName}. ${approvals} Operation id: ${answer.instanceId} (follow it with \`operation ${answer.instanceId}\`).`,
    operationId: answer.instanceId,
  };
}

function requesterOf(context: ChatRunContext): Requester {
  return { actor: context.actor, channel: 'chat', origin: originOf(context), warn: context.warn };
}

function describePlan(view: PlanView, closing: string): string {
  const size = view.sizeGiB === undefined ? 'size unknown' : `${view.sizeGiB} GiB`;
  const changes = view.steps.filter((step) => isChange(step));
  const head =
    `Plan for ${parseRegistryId(view.registry).registryName} (declaration ${view.etag}, home ${view.homeRegion}, ${size}): ` +
    (view.inSync
      ? 'in sync, nothing to do.'
      : `${changes.length} change(s), about ${formatMinutes(view.estimatedMinutes)} with ${view.parallelism} at a time.`);
  const lines = view.steps.map((step) => `  ${step.order}. ${describeStep(step)}`);
  const shown =
    lines.length > PLAN_LINES
      ? [...lines.slice(0, PLAN_LINES), `  … ${lines.length - PLAN_LINES} more`]
      : lines;
  return [head, ...shown, ...(view.inSync ? [] : [closing])].join('\n');
}

async function healRegistry(
  id: RegistryId,
  registry: RegistryView,
  dryRun: boolean,
  context: ChatRunContext,
): Promise<ChatReply> {
  const refused = await refuseHealer(dryRun, formatRegistryId(id), context);
  if (refused !== undefined) return refused;
  if (!isPremium(registry)) {
    await auditChat(context, 'heal', formatRegistryId(id), 'refused', { refusal: 'not-premium' });
    return { text: `Registry ${registry.name} is ${registry.sku}: it has no replicas to heal.` };
  }
  return startHeal(
    sweepRequest(originOf(context), dryRun, formatRegistryId(id), context.replyTo),
    registry.name,
    context,
  );
}

async function healAll(dryRun: boolean, context: ChatRunContext): Promise<ChatReply> {
  const refused = await refuseHealer(dryRun, SWEEP_INSTANCE_ID, context);
  if (refused !== undefined) return refused;
  return startHeal(
    sweepRequest(originOf(context), dryRun, undefined, context.replyTo),
    'every registry in scope',
    context,
  );
}

/**
 * A heal may delete, grant and recreate under the `auto` policy, so only the Slack users in SLACK_HEALERS
 * may start one. Teams requests carry no timestamp (a captured one could be replayed) and cannot show
 * Approve buttons, so from Teams only dry runs are started. A dry run changes nothing: anyone may ask.
 */
async function refuseHealer(
  dryRun: boolean,
  target: string,
  context: ChatRunContext,
): Promise<ChatReply | undefined> {
  if (dryRun) return undefined;
  const dryRunHint = 'Ask for `heal <registry>|all --dry-run` to see what a heal would do.';
  if (context.platform.kind === 'teams') {
    await auditChat(context, 'heal', target, 'refused', { refusal: 'heal-not-from-teams' });
    return {
      text: `Refused: a heal that may change replicas cannot be started from Teams; start it from Slack or the REST API. ${dryRunHint}`,
    };
  }
  if (!slackHealers().has(context.platform.userId)) {
    await auditChat(context, 'heal', target, 'refused', { refusal: 'not-a-healer' });
    return {
      text: `Refused: only the people listed in SLACK_HEALERS may start a heal that can change replicas. ${dryRunHint}`,
    };
  }
  return undefined;
}

/** Where a chat request came from, which decides who may approve what it starts. */
function originOf(context: ChatRunContext): RequestOrigin {
  return context.platform.kind === 'slack'
    ? { kind: 'slack', actor: context.actor, teamId: context.platform.teamId }
    : { kind: 'teams', actor: context.actor };
}

async function startHeal(request: SweepRequest, what: string, context: ChatRunContext): Promise<ChatReply> {
  const start = await requestSweep(context.client, request);
  const { instanceId } = start;
  if (!start.started && !start.busy) {
    context.warn(start.reason);
    return { text: `Could not start healing ${what}; the app's log says why.` };
  }
  if (!start.started) {
    return {
      text: `Refused: a heal of ${what} is still running. Follow it with \`operation ${instanceId}\`.`,
      operationId: instanceId,
    };
  }
  const mode = request.dryRun ? ' (dry run: nothing will change)' : '';
  return {
    text: `Accepted: healing ${what}${mode}. Operation id: ${instanceId} (follow it with \`operation ${instanceId}\`).`,
    operationId: instanceId,
  };
}

async function describeOperation(id: string, context: ChatRunContext): Promise<ChatReply> {
  const status = await findOperation(context.client, id);
  await auditChat(context, 'operation', id === SWEEP_INSTANCE_ID ? id : 'chat', 'succeeded', {
    operationId: id,
  });
  if (status === undefined) return { text: `No operation ${id}.` };
  return { text: describeStatus(id, status), operationId: id };
}

function describeStatus(
  id: string,
  status: { runtimeStatus: unknown; customStatus?: unknown; output?: unknown; lastUpdatedTime: Date },
): string {
  const custom = (status.customStatus ?? {}) as { phase?: unknown; provisioningState?: unknown };
  const result = (status.output ?? {}) as { outcome?: unknown; reason?: unknown };
  const parts = [`Operation ${id}: ${String(status.runtimeStatus)}`];
  if (typeof custom.phase === 'string') parts.push(`phase ${custom.phase}`);
  if (typeof custom.provisioningState === 'string') parts.push(`replica ${custom.provisioningState}`);
  if (typeof result.outcome === 'string') parts.push(`outcome ${result.outcome}`);
  if (typeof result.reason === 'string') parts.push(`reason: ${result.reason}`);
  return `${parts.join(', ')} (updated ${new Date(status.lastUpdatedTime).toISOString()}).`;
}

async function describeReplica(
  registry: RegistryId,
  name: string,
  replicas: ReplicaGateway,
  context: ChatRunContext,
): Promise<ChatReply> {
  const replica = replicaId(registry, name);
  const view = await replicas.getReplica(replica);
  const instanceId = replicaInstanceId(replica);
  const operation = await findOperation(context.client, instanceId);
  const lines = [
    view === undefined
      ? `Replica ${name} of ${registry.registryName} does not exist.`
      : `Replica ${name} of ${registry.registryName}: ${replicaLine(view)}`,
  ];
  if (operation !== undefined) lines.push(`Last operation: ${describeStatus(instanceId, operation)}`);
  return { text: lines.join('\n'), ...(operation === undefined ? {} : { operationId: instanceId }) };
}

function describeReplicas(registry: RegistryView, replicas: readonly ReplicaView[]): string {
  if (replicas.length === 0) return `Registry ${registry.name} (${registry.sku}) has no replicas.`;
  return [
    `Replicas of ${registry.name} (home ${registry.location}):`,
    ...replicas.map((r) => `  ${r.name}: ${replicaLine(r)}`),
  ].join('\n');
}

function describeRegistry(registry: RegistryView, replicas: readonly ReplicaView[]): string {
  const unhealthy = replicas.filter((r) => r.provisioningState.toLowerCase() !== 'succeeded');
  const head =
    `Registry ${registry.name}: ${registry.sku}, home ${registry.location}, ` +
    `${replicas.length} replicas, ${replicas.length - unhealthy.length} succeeded`;
  if (unhealthy.length === 0) return `${head}.`;
  return [`${head}; not succeeded:`, ...unhealthy.map((r) => `  ${r.name}: ${replicaLine(r)}`)].join('\n');
}

function replicaLine(replica: ReplicaView): string {
  return (
    `${replica.provisioningState} in ${replica.location}, endpoint ${replica.regionEndpointEnabled ? 'on' : 'off'}, ` +
    `zone redundancy ${replica.zoneRedundancy.toLowerCase()}` +
    (replica.statusMessage ? ` (${replica.statusMessage})` : '')
  );
}

/** A failure told the way a chat user can act on it; the details go to the log. */
function describeFailure(error: unknown, context: ChatRunContext): string {
  const fields = fieldErrorsOf(error);
  if (fields !== undefined) return `Cannot do that: ${fields.map((f) => f.reason).join('; ')}.`;
  if (error instanceof AuditUnavailableError) {
    context.warn(error.message);
    return 'The audit trail cannot be written, so nothing was changed. Try again later.';
  }
  const engine = engineFailureOf(error);
  if (engine !== undefined) {
    context.warn(engine.message);
    return 'The operations engine cannot be reached just now, so nothing was started. Try again later.';
  }
  if (error instanceof RestError) {
    context.warn(`Azure answered ${String(error.statusCode)} ${error.code ?? ''}: ${error.message}`);
    return `Azure answered ${String(error.statusCode ?? 'without a status')}; try again later.`;
  }
  context.warn(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return 'Something went wrong on our side; nothing was started. Try again later.';
}

/**
 * A chat request that starts no orchestration: reads, usage answers and refusals. Best effort, since
 * nothing changes and the user should get an answer even when the audit trail is down.
 */
async function auditChat(
  context: ChatRunContext,
  command: string,
  target: string,
  outcome: AuditOutcome,
  detail?: Record<string, unknown>,
): Promise<void> {
  await auditRequestBestEffort(
    {
      actor: context.actor,
      channel: 'chat',
      operation: `chat-${command}`,
      target,
      step: 'requested',
      outcome,
      ...(detail === undefined ? {} : { detail }),
    },
    `chat|${target}`,
    'a chat request',
    context.warn,
  );
}
