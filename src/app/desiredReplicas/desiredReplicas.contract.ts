// Names and shapes of the desired-replicas feature: the apply orchestration (which runs a registry's plan
// through the replica operation, one top-level operation per replica), its activities, and the drift a
// sweep hands over; shared by the registrations, the use cases, the sweep and the orchestration.
import type {
  ApplyTrigger,
  ApprovalPolicy,
  AuditActor,
  AuditChannel,
  ChatReplyTarget,
  DriftPolicy,
  OperationResult,
  PlanStep,
  PollingPolicy,
  ReplicaOperationInput,
  ReplicaSetDrift,
} from '../../domain';

/** Input `ApplyInput`; output `ApplySummary` (undefined for a generation that continued as new). */
export const APPLY_ORCHESTRATION = 'desiredReplicasApply';

/** Input `PlanRequest`; output `PlanOutcome`. */
export const PLAN_ACTIVITY = 'desiredReplicasPlan';
/** Input `StepLaunch`; output `StepStart`. */
export const START_STEP_ACTIVITY = 'desiredReplicasStartStep';
/** Input `StepLaunch[]`; output `StepProgress[]`, in the same order. */
export const READ_STEPS_ACTIVITY = 'desiredReplicasReadSteps';
/** Input `DriftHandOver`; output `DriftAction[]`, one per finding. */
export const HAND_OVER_DRIFT_ACTIVITY = 'desiredReplicasHandOverDrift';

/** The audit trail's operation names for this feature. */
export const DECLARATION_OPERATION = 'desired-replicas';
export const APPLY_OPERATION = 'desired-replicas-apply';
export const DRIFT_OPERATION = 'desired-replicas-drift';

export interface ApplyRequest {
  /** The registry's resource id. */
  registryId: string;
  trigger: ApplyTrigger;
  actor: AuditActor;
  channel: AuditChannel;
  /** When the apply was asked for (ISO 8601); replica operations it starts carry their own times. */
  requestedAt: string;
  polling: PollingPolicy;
  /** Replica operations run at once. */
  parallelism: number;
  approvalTimeoutMinutes: number;
  /** Who may decide on the apply's approval: recorded when it is asked for, read when a decision comes. */
  approval: { policy: ApprovalPolicy };
  /** A chat-started apply asks for approvals, and reports, in the chat it came from. */
  replyTo?: ChatReplyTarget;
}

export type ApplyStage = 'first' | 'approval' | 'second' | 'done';

/** One step's end, kept by the plan step's index. */
export interface StepResult {
  index: number;
  kind: PlanStep['kind'];
  location?: string;
  replicaName?: string;
  outcome: StepOutcome;
  reason?: string;
  /** The replica operation that carried the step out. */
  operationId?: string;
}

export type StepOutcome =
  'succeeded' | 'failed' | 'stuck' | 'refused' | 'busy' | 'rejected' | 'blocked' | 'skipped';

/** A replica operation the apply starts as an orchestration of its own, under the replica's id. */
export interface StepLaunch {
  /** The plan step's index. */
  index: number;
  instanceId: string;
  input: ReplicaOperationInput;
  /** The apply that starts it, for the audit trail. */
  applyId: string;
}

export type StepStart =
  | { outcome: 'started' }
  | { outcome: 'busy'; name: string; runtimeStatus: string; operation?: string }
  | { outcome: 'failed'; reason: string };

export type StepProgress =
  | { index: number; done: false }
  | { index: number; done: true; result: OperationResult }
  | { index: number; done: true; failure: string };

/** What one generation of an apply hands to the next. */
export interface ApplyProgress {
  plan: AppliedPlan;
  stage: ApplyStage;
  /** Indices of the steps still to start in this stage, in order. */
  queue: number[];
  running: StepLaunch[];
  results: StepResult[];
  /** Polls since the last start or end of a step (the backoff starts again then). */
  polls: number;
  generation: number;
}

export interface ApplyInput {
  request: ApplyRequest;
  progress?: ApplyProgress;
}

export interface PlanRequest {
  registryId: string;
  trigger: ApplyTrigger;
  parallelism: number;
}

/** The plan an apply carries out, as the planner made it when the apply started. */
export interface AppliedPlan {
  declarationVersion: number;
  homeRegion: string;
  sizeGiB?: number;
  steps: PlanStep[];
  estimatedMinutes: number;
}

export type PlanOutcome =
  | { ok: true; plan: AppliedPlan }
  | { ok: false; refusal: 'declaration-not-found' | 'registry-not-found' | 'not-premium'; detail: string };

export type ApplyOutcome = 'in-sync' | 'applied' | 'partial' | 'not-applied' | 'refused';

export interface ApplySummary {
  registryId: string;
  trigger: ApplyTrigger;
  outcome: ApplyOutcome;
  declarationVersion?: number;
  reason?: string;
  counts: Partial<Record<StepOutcome, number>>;
  steps: StepResult[];
}

/** How a registry differs from its declaration, as the sweep's scan found it (from the list it made). */
export interface DriftFinding {
  registryId: string;
  drift: ReplicaSetDrift;
  policy: DriftPolicy;
  /** A digest of the drift; '' when the registry is in sync. */
  digest: string;
  /** The digest the last sweep recorded; '' when none. */
  previousDigest: string;
  declarationVersion: number;
}

export interface DriftHandOver {
  findings: DriftFinding[];
  actor: AuditActor;
  channel: AuditChannel;
  /** The sweep's request time: with the registry it makes the entries' and applies' ids. */
  requestedAt: string;
  dryRun: boolean;
  sweepId: string;
}

export interface DriftAction {
  registryId: string;
  action: 'reported' | 'unchanged' | 'cleared' | 'apply-started' | 'apply-busy' | 'failed';
  operationId?: string;
  reason?: string;
}
