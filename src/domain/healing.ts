// The healing model: when a replica is a suspect, what is wrong with it, and what the policy allows.
// Pure rules; the evidence is gathered by activities and kept in the audit trail.
import type { ApprovalPolicy } from './approval';
import type { AuditActor, AuditChannel } from './audit';
import type { ChatReplyTarget } from './chatReplyTarget';
import type { PollingPolicy } from './polling';

/** The action whose absence leaves replicas on private-endpoint registries stuck in provisioning. */
export const PRIVATE_LINK_ACTION = 'Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write';

/** Registry tags that override settings for one registry. */
export const HEAL_POLICY_TAG = 'replica-heal-policy';
export const STUCK_AFTER_TAG = 'replica-stuck-after-minutes';

export type HealPolicy = 'auto' | 'approve' | 'report';

export type Diagnosis = 'missing-private-link-permission' | 'failed' | 'slow' | 'healthy';

/** What was observed about a replica, kept as evidence with the diagnosis. */
export interface ReplicaEvidence {
  replicaId: string;
  location: string;
  provisioningState: string;
  displayStatus?: string;
  statusMessage?: string;
  /** When the replica was first seen in its current non-terminal state (ISO 8601). */
  firstSeenAt?: string;
  minutesInState?: number;
  thresholdMinutes: number;
  /** Resource ids of the registry's private endpoints. */
  privateEndpoints: string[];
  /** Private endpoints at which the creating identity lacks PRIVATE_LINK_ACTION. */
  missingPermissionAt: string[];
}

export function isTerminal(provisioningState: string): boolean {
  return ['succeeded', 'failed', 'canceled'].includes(provisioningState.toLowerCase());
}

/** A replica in a non-terminal state (Creating, Updating, or status "Provisioning") for longer than the threshold. */
export function isSuspect(
  provisioningState: string,
  displayStatus: string | undefined,
  minutesInState: number,
  thresholdMinutes: number,
): boolean {
  const provisioning = !isTerminal(provisioningState) || displayStatus?.toLowerCase() === 'provisioning';
  const failed = provisioningState.toLowerCase() === 'failed';
  return failed || (provisioning && minutesInState >= thresholdMinutes);
}

/**
 * Classifies a confirmed suspect. A replica that is still provisioning on a registry with private
 * endpoints, while the creating identity lacks the private-link permission at any of them, is stuck for
 * that reason; one still provisioning without that cause is slow and left alone (deleting a large replica
 * that is still syncing is the worst outcome); a Failed one is recreated.
 */
export function diagnose(evidence: ReplicaEvidence): Diagnosis {
  const state = evidence.provisioningState.toLowerCase();
  if (state === 'failed' || state === 'canceled') return 'failed';
  if (isTerminal(state) && evidence.displayStatus?.toLowerCase() !== 'provisioning') return 'healthy';
  if ((evidence.minutesInState ?? 0) < evidence.thresholdMinutes) return 'healthy';
  if (evidence.privateEndpoints.length > 0 && evidence.missingPermissionAt.length > 0) {
    return 'missing-private-link-permission';
  }
  return 'slow';
}

export function parseHealPolicy(text: string | undefined, fallback: HealPolicy): HealPolicy {
  const value = text?.trim().toLowerCase();
  return value === 'auto' || value === 'approve' || value === 'report' ? value : fallback;
}

/** The policy for one registry: its `replica-heal-policy` tag, else the setting. */
export function healPolicyFor(tags: Record<string, string>, fallback: HealPolicy): HealPolicy {
  return parseHealPolicy(tagValue(tags, HEAL_POLICY_TAG), fallback);
}

/** The stuck threshold for one registry: its `replica-stuck-after-minutes` tag, else the setting. */
export function stuckAfterMinutesFor(tags: Record<string, string>, fallback: number): number {
  const value = Number(tagValue(tags, STUCK_AFTER_TAG));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Tag names compare case-insensitively in ARM. */
function tagValue(tags: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(tags).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : tags[key];
}

/** Input of the heal orchestration for one replica. */
export interface HealRequest {
  replicaId: string;
  actor: AuditActor;
  channel: AuditChannel;
  requestedAt: string;
  /** Policy decided by the caller (sweep or HTTP) for this replica's registry. */
  policy: HealPolicy;
  dryRun: boolean;
  polling: PollingPolicy;
  /** Stuck threshold for this replica's registry, in minutes. */
  thresholdMinutes: number;
  /** When a sweep first saw the replica in its current non-terminal state (ISO 8601). */
  firstSeenAt?: string;
  /** A chat-started heal asks for approval, and reports back, in the chat it came from. */
  replyTo?: ChatReplyTarget;
  /** How many delete-grant-recreate rounds before giving up. */
  maxAttempts: number;
  /** How long an `approve` policy waits for the approval event, in minutes. */
  approvalTimeoutMinutes: number;
  /** Who may decide when the `approve` policy makes the heal wait (from the request that started it). */
  approvalPolicy: ApprovalPolicy;
}

export type HealOutcome = 'healed' | 'reported' | 'skipped' | 'rejected' | 'escalated' | 'healthy';

export interface HealResult {
  replicaId: string;
  /** Absent when the heal never got as far as a diagnosis (its registry is outside the scope). */
  diagnosis?: Diagnosis;
  outcome: HealOutcome;
  attempts: number;
  reason?: string;
  evidence?: ReplicaEvidence;
  plan?: string[];
}

/** The event an `approve` policy waits for: `{approved, approver}`. */
export const APPROVAL_EVENT = 'HealApproval';

export interface ApprovalDecision {
  approved: boolean;
  approver: AuditActor;
  /** Through which channel the decision came (absent in decisions raised before it was recorded). */
  channel?: 'api' | 'slack';
}
