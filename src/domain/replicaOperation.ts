// The rules of a replica operation (create, update, delete) that the orchestrator follows: its instance
// id, how long to wait between polls, when a state is final, and when an operation counts as stuck.
import type { ApprovalPolicy } from './approval';
import type { AuditActor, AuditChannel } from './audit';
import type { ChatReplyTarget } from './chatReplyTarget';
import type { HealPolicy } from './healing';
import { PRIVATE_LINK_ACTION } from './healing';
import type { PollingPolicy } from './polling';
import { applyUpdate } from './replicaSettings';
import type { ReplicaSettings, UpdateReplicaRequest } from './replicaSettings';
import { namedInstanceId } from './instanceId';
import { replicaKey } from './resourceId';
import type { ReplicaId } from './resourceId';

export type ReplicaOperationKind = 'create' | 'update' | 'delete';

export type OperationPhase =
  | 'accepted'
  | 'preflight'
  | 'checking-permission'
  | 'granting-permission'
  | 'starting'
  | 'provisioning'
  | 'deleting'
  | 'confirming-deletion'
  | 'succeeded'
  | 'failed'
  | 'stuck'
  | 'refused'
  | 'awaiting-approval';

export interface ReplicaOperationRequest {
  kind: ReplicaOperationKind;
  /** The replica's resource id. */
  replicaId: string;
  /** For create: the normalised region. */
  location?: string;
  /** For create: the settings to create with. */
  settings?: ReplicaSettings;
  /** For update: the changes. */
  update?: UpdateReplicaRequest;
  actor: AuditActor;
  channel: AuditChannel;
  /** When the request was accepted (ISO 8601). */
  requestedAt: string;
  polling: PollingPolicy;
  /** A chat-started operation posts its result here when it ends. */
  replyTo?: ChatReplyTarget;
  /** When present, nothing is changed until a person the policy names approves within the timeout. */
  approval?: { timeoutMinutes: number; policy: ApprovalPolicy };
  /**
   * Set by a heal that has just read the registry and the replica and made sure of the private-link
   * permission: the operation does not read them again before its write.
   */
  checked?: boolean;
}

/** What one orchestration generation hands to the next through continue-as-new. */
export interface OperationProgress {
  /** When this run started (ISO 8601), for the time taken in chat replies. */
  startedAt?: string;
  /** The ARM writes decided after the preflight; absent until then. */
  actions?: ArmAction[];
  /** Index of the ARM write under way. */
  step: number;
  /** When the current ARM write was started (ISO 8601); absent until it was. */
  armStartedAt?: string;
  /** Polls so far, over every step and generation. */
  polls: number;
  /** `polls` when the current step started; the backoff starts again with each step. */
  stepStartPolls?: number;
  consecutiveGone: number;
  generation: number;
  lastState?: string;
  /** For a create on a registry with private endpoints: what the preflight found. */
  privateLink?: PrivateLinkPlan;
}

/** A create on a registry with private endpoints first makes sure the app holds the private-link action. */
export interface PrivateLinkPlan {
  privateEndpoints: string[];
  /** Where the permission was missing at the preflight. */
  missingAt: string[];
  policy: HealPolicy;
}

/**
 * How long a granted permission is waited for at most, in longest waits between checks (with the
 * defaults, twenty minutes): role assignments can take minutes to reach every ARM front end.
 */
export const PERMISSION_WAIT_LIMIT = 4;

/** Seconds after a grant after which an operation stops waiting for it to be effective. */
export function permissionWaitSeconds(policy: Pick<PollingPolicy, 'maxSeconds'>): number {
  return PERMISSION_WAIT_LIMIT * policy.maxSeconds;
}

/**
 * Tasks one generation of a replica operation waits for at most before it continues as new. Each costs
 * about four history events (scheduled, completed, and the episode that handles it), so a generation's
 * history stays within a hundred events however long provisioning takes.
 */
export const AWAITS_PER_GENERATION = 24;

export interface ReplicaOperationInput {
  request: ReplicaOperationRequest;
  /**
   * Names the request that started this instance: its audit entries say which of several racing
   * requests the operation belongs to. Absent for operations a heal runs.
   */
  requestId?: string;
  progress?: OperationProgress;
}

export interface OperationStatus {
  operation: ReplicaOperationKind;
  target: string;
  phase: OperationPhase;
  provisioningState?: string;
  displayStatus?: string;
  polls: number;
  generation: number;
  requestedAt: string;
  armStartedAt?: string;
  updatedAt: string;
}

export interface OperationResult {
  outcome: 'succeeded' | 'failed' | 'stuck' | 'refused';
  phase: OperationPhase;
  provisioningState?: string;
  reason?: string;
  evidence?: Record<string, unknown>;
}

/**
 * One Durable instance per replica: the id is derived from the replica's id (case-insensitively), and
 * stays within the host's limits for every valid name (see namedInstanceId).
 */
export function replicaInstanceId(replica: ReplicaId): string {
  const key = replicaKey(replica)
    .replace(/^\/subscriptions\//, '')
    .replace('/resourcegroups/', ':')
    .replace('/providers/microsoft.containerregistry/registries/', ':')
    .replace('/replications/', ':');
  return namedInstanceId('replica', key);
}

export type StateVerdict = 'in-progress' | 'succeeded' | 'failed' | 'gone';

/** Reads a polled replica state for an operation of the given kind. */
export function judgeState(kind: ReplicaOperationKind, provisioningState: string | undefined): StateVerdict {
  if (provisioningState === undefined) return kind === 'delete' ? 'gone' : 'failed';
  const state = provisioningState.toLowerCase();
  if (kind === 'delete') return state === 'failed' ? 'failed' : 'in-progress';
  if (state === 'succeeded') return 'succeeded';
  if (state === 'failed' || state === 'canceled') return 'failed';
  return 'in-progress';
}

/** One ARM write of an operation; a zone redundancy change takes two (delete, then create). */
export type ArmAction =
  | { kind: 'create'; location: string; settings: ReplicaSettings }
  | { kind: 'update'; regionEndpointEnabled?: boolean; tags?: Record<string, string> }
  | { kind: 'delete' };

/** What the replica looks like now, as far as a plan needs to know. */
export interface CurrentReplica {
  location: string;
  regionEndpointEnabled: boolean;
  zoneRedundancy: 'Enabled' | 'Disabled';
  tags: Record<string, string>;
}

/**
 * The ARM writes that carry out a request, in order. Zone redundancy cannot be changed in place: the
 * replica is deleted and created again in its region with its other settings kept (or updated).
 */
export function planArmActions(request: ReplicaOperationRequest, current?: CurrentReplica): ArmAction[] {
  switch (request.kind) {
    case 'create':
      return [
        { kind: 'create', location: request.location ?? '', settings: request.settings ?? DEFAULT_SETTINGS },
      ];
    case 'delete':
      return [{ kind: 'delete' }];
    case 'update': {
      const update = request.update ?? {};
      if (
        current !== undefined &&
        update.zoneRedundancy !== undefined &&
        update.zoneRedundancy !== current.zoneRedundancy
      ) {
        return [
          { kind: 'delete' },
          { kind: 'create', location: current.location, settings: applyUpdate(current, update) },
        ];
      }
      const patch = {
        ...(update.regionEndpointEnabled === undefined
          ? {}
          : { regionEndpointEnabled: update.regionEndpointEnabled }),
        ...(update.tags === undefined ? {} : { tags: { ...update.tags } }),
      };
      return Object.keys(patch).length === 0 ? [] : [{ kind: 'update', ...patch }];
    }
  }
}

/** Plain-language plan for a dry run. */
export function describeArmActions(actions: readonly ArmAction[], privateLink?: PrivateLinkPlan): string[] {
  if (actions.length === 0) return ['nothing to change: the replica already has these settings'];
  return actions.flatMap((action) => {
    switch (action.kind) {
      case 'create':
        return [
          ...(privateLink === undefined ? [] : describePrivateLinkStep(privateLink)),
          `PUT the replication in ${action.location} (zone redundancy ${action.settings.zoneRedundancy}, regional endpoint ${action.settings.regionEndpointEnabled ? 'enabled' : 'disabled'})`,
          'poll the replica, soon after ARM accepted and then less often, until Succeeded or Failed, or until the deadline (stuck); if ARM still holds the name of a replica deleted moments ago, wait as long as it says and try again',
        ];
      case 'update':
        return [
          `PATCH the replication (${Object.keys(action)
            .filter((k) => k !== 'kind')
            .join(', ')})`,
          'poll the replica until Succeeded or Failed, or until the deadline (stuck)',
        ];
      case 'delete':
        return ['DELETE the replication', 'poll until the replica is gone (404)'];
    }
  });
}

function describePrivateLinkStep(plan: PrivateLinkPlan): string[] {
  const checked = `check that the app's identity holds ${PRIVATE_LINK_ACTION} at the registry's ${plan.privateEndpoints.length} private endpoint(s)`;
  if (plan.missingAt.length === 0) return [`${checked} (held now)`];
  return [
    `${checked} (missing at ${plan.missingAt.length})`,
    `grant it: ensure the custom role holding only that action and assign it to the identity at ${plan.missingAt.join(', ')}`,
    'wait until the permission is effective (checked soon after the grant, then less often, for a bounded time), so the replica is never created without it',
  ];
}

const DEFAULT_SETTINGS: ReplicaSettings = {
  regionEndpointEnabled: true,
  zoneRedundancy: 'Disabled',
  tags: {},
};
