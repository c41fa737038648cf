// The rules of a replica operation (create, update, delete) that the orchestrator follows: its instance
// id, how long to wait between polls, when a state is final, and when an operation counts as stuck.
import type { AuditActor, AuditChannel } from './audit';
import type { ReplicaSettings, UpdateReplicaRequest } from './replicaSettings';
import { replicaKey } from './resourceId';
import type { ReplicaId } from './resourceId';

export type ReplicaOperationKind = 'create' | 'update' | 'delete';

export type OperationPhase =
  | 'accepted'
  | 'preflight'
  | 'starting'
  | 'provisioning'
  | 'deleting'
  | 'confirming-deletion'
  | 'succeeded'
  | 'failed'
  | 'stuck'
  | 'refused';

/** How the orchestrator polls; carried in the input so replays never read settings. */
export interface PollingPolicy {
  /** First wait between polls, in seconds. */
  initialSeconds: number;
  /** Cap of the exponential backoff, in seconds. */
  maxSeconds: number;
  /** After this long without a final state the operation ends as `stuck`. */
  deadlineMinutes: number;
  /** A delete is done after this many 404s in a row. */
  goneConfirmations: number;
  /** Polls per orchestration generation before continue-as-new keeps history bounded. */
  pollsPerGeneration: number;
}

export const DEFAULT_POLLING: PollingPolicy = {
  initialSeconds: 5,
  maxSeconds: 300,
  deadlineMinutes: 180,
  goneConfirmations: 5,
  pollsPerGeneration: 25,
};

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
}

/** What one orchestration generation hands to the next through continue-as-new. */
export interface OperationProgress {
  /** When the ARM operation was started (ISO 8601); absent until it was. */
  armStartedAt?: string;
  polls: number;
  consecutiveGone: number;
  generation: number;
  lastState?: string;
}

export interface ReplicaOperationInput {
  request: ReplicaOperationRequest;
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
 * uses only characters every Durable storage provider accepts in instance ids.
 */
export function replicaInstanceId(replica: ReplicaId): string {
  const key = replicaKey(replica)
    .replace(/^\/subscriptions\//, '')
    .replace('/resourcegroups/', ':')
    .replace('/providers/microsoft.containerregistry/registries/', ':')
    .replace('/replications/', ':');
  return `replica:${encodeURIComponent(key).replace(/%/g, '~')}`;
}

/** Capped exponential backoff: initial, 2×, 4×, ... never above the cap. */
export function pollDelaySeconds(poll: number, policy: PollingPolicy): number {
  const exponent = Math.min(Math.max(poll, 0), 30);
  return Math.min(policy.maxSeconds, policy.initialSeconds * 2 ** exponent);
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

/** Whether an operation started at `armStartedAt` has outlived its deadline at `now`. */
export function pastDeadline(armStartedAt: string, now: Date, policy: PollingPolicy): boolean {
  return now.getTime() - Date.parse(armStartedAt) > policy.deadlineMinutes * 60_000;
}
