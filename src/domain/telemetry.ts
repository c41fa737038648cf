// The telemetry port: the names and shapes of what the app tells operators (one structured log record per
// audited step, a verification's verdict, metrics derived from those facts, ARM's throttling). The mapping
// from the app's facts to them is telemetrySignals.ts; queries, alerts and the workbook in infra/ use these
// very names.
import type { AuditRecord } from './audit';

/** The instrumentation scope of every log record and metric the app emits. */
export const TELEMETRY_SCOPE = 'acr-replica-guard';

/** The `event` dimension of each structured log record. */
export const TELEMETRY_EVENTS = {
  /** One per entry written to the audit trail. */
  auditStep: 'ReplicaGuard.AuditStep',
  /** One per verification of a registry's audit chain. */
  auditVerified: 'ReplicaGuard.AuditVerified',
} as const;
export type TelemetryEvent = (typeof TELEMETRY_EVENTS)[keyof typeof TELEMETRY_EVENTS];

/** Dimensions (custom properties) the app attaches; nothing else is ever attached. */
export const DIMENSIONS = {
  event: 'event',
  /** The operation (Durable instance) id, as the REST API and the audit trail name it. */
  operationId: 'operationId',
  /** What the operation does: create, update, delete, heal, sweep, ... */
  operation: 'operation',
  registry: 'registry',
  subscriptionId: 'subscriptionId',
  replicaId: 'replicaId',
  /** The replica's name, which by convention is its region. */
  region: 'region',
  step: 'step',
  outcome: 'outcome',
  channel: 'channel',
  /** The entry's place in its registry's audit chain. */
  sequence: 'sequence',
  healOutcome: 'healOutcome',
  diagnosis: 'diagnosis',
  provisioningState: 'provisioningState',
  minutesInState: 'minutesInState',
  dryRun: 'dryRun',
  /** Seconds from the request to this entry: time to heal on a heal's outcome, a sweep's duration. */
  durationSeconds: 'durationSeconds',
  suspects: 'suspects',
  scanFailures: 'scanFailures',
  /** A replica state, for the replicas-by-state gauge. */
  state: 'state',
  /** Of an ARM request: read, write or delete (ARM's throttling buckets). */
  requestKind: 'requestKind',
  intact: 'intact',
  entries: 'entries',
  breakKind: 'breakKind',
} as const;
export type DimensionName = (typeof DIMENSIONS)[keyof typeof DIMENSIONS];
export type Dimensions = Partial<Record<DimensionName, string | number | boolean>>;

export type MetricKind = 'counter' | 'histogram' | 'gauge';

export interface MetricDefinition {
  name: string;
  kind: MetricKind;
  unit: string;
  description: string;
}

/** Every metric the app emits. */
export const METRICS = {
  heals: {
    name: 'replicaguard.heals',
    kind: 'counter',
    unit: '{heal}',
    description: 'Heals that ended, by healOutcome (healed, escalated, reported, rejected, skipped, healthy)',
  },
  timeToHeal: {
    name: 'replicaguard.heal.time_to_heal',
    kind: 'histogram',
    unit: 's',
    description: 'From the request that started a heal to its outcome (healed or escalated)',
  },
  sweeps: {
    name: 'replicaguard.sweeps',
    kind: 'counter',
    unit: '{sweep}',
    description: 'Sweeps by outcome: completed, or a start that failed, was skipped or was refused',
  },
  sweepSuspects: {
    name: 'replicaguard.sweep.suspects',
    kind: 'histogram',
    unit: '{replica}',
    description: 'Suspects a completed sweep found',
  },
  sweepDuration: {
    name: 'replicaguard.sweep.duration',
    kind: 'histogram',
    unit: 's',
    description: 'From the request of a sweep to its completion',
  },
  scanFailures: {
    name: 'replicaguard.sweep.scan_failures',
    kind: 'counter',
    unit: '{registry}',
    description: 'Registries whose scan failed in a completed sweep',
  },
  replicas: {
    name: 'replicaguard.replicas',
    kind: 'gauge',
    unit: '{replica}',
    description: 'Replicas of a registry in each provisioning state, as its last scan saw them',
  },
  armThrottled: {
    name: 'replicaguard.arm.throttled',
    kind: 'counter',
    unit: '{response}',
    description: 'ARM answers 429 (throttled), by subscription and request kind',
  },
  armRetries: {
    name: 'replicaguard.arm.retries',
    kind: 'counter',
    unit: '{request}',
    description: 'ARM requests sent again by the client after a throttled or failed attempt',
  },
  auditVerifications: {
    name: 'replicaguard.audit.verifications',
    kind: 'counter',
    unit: '{verification}',
    description: 'Verifications of a registry audit chain, by whether it was intact',
  },
} as const satisfies Record<string, MetricDefinition>;
export type MetricKey = keyof typeof METRICS;

export type Severity = 'info' | 'warning' | 'error';

export interface LogSignal {
  event: TelemetryEvent;
  severity: Severity;
  /** A short sentence without request bodies or secrets: what happened to what. */
  message: string;
  dimensions: Dimensions;
}

export interface Measurement {
  metric: MetricKey;
  value: number;
  dimensions: Dimensions;
}

export interface Signals {
  log?: LogSignal;
  measurements: Measurement[];
}

/** What the app tells telemetry; the adapter behind it never lets a failure reach the caller. */
export interface Telemetry {
  /** An entry was written to the audit trail (once per entry, not per retry of its writer). */
  auditEntryWritten(entry: AuditRecord & { sequence?: number }): void;
  /** A registry's audit chain was verified. */
  auditVerified(target: string, verdict: VerificationVerdict): void;
  /** A sweep listed a registry's replicas and saw them in these provisioning states. */
  replicasObserved(registryId: string, provisioningStates: readonly string[]): void;
  /** ARM answered one attempt of a request (or it failed without an answer: no status). */
  armAnswered(call: ArmCall): void;
}

export interface VerificationVerdict {
  intact: boolean;
  entries: number;
  firstBreak?: { kind: string; sequence: number };
}

export interface ArmCall {
  method: string;
  url: string;
  status?: number;
  /** 1 for the first attempt of a request, 2 for the first retry, ... */
  attempt: number;
}

/** The states ARM reports for replications; each is reported on every scan, zero included. */
export const REPLICA_STATES = ['Creating', 'Updating', 'Deleting', 'Succeeded', 'Failed', 'Canceled'];
