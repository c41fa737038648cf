// How the app's facts become telemetry (the names and shapes are the port, telemetry.ts): the log record
// of an audit entry and the heal and sweep metrics it implies, a verification's verdict, a registry's
// replicas by state, ARM's throttling. Pure, so that what operators see is tested without any exporter.
import type { AuditRecord } from './audit';
import {
  formatRegistryId,
  parseRegistryId,
  parseReplicaId,
  registryOfReplica,
  resourceIdShape,
} from './resourceId';
import { DIMENSIONS, REPLICA_STATES, TELEMETRY_EVENTS } from './telemetry';
import type { ArmCall, Dimensions, Measurement, Severity, Signals, VerificationVerdict } from './telemetry';

/** The log record of one audit entry, and the metrics it implies. */
export function auditStepSignals(entry: AuditRecord & { sequence?: number }): Signals {
  const healOutcome = healOutcomeOf(entry);
  const duration = durationOf(entry);
  const diagnosed = entry.step === 'diagnosed' ? evidenceOf(entry.detail) : {};
  const sweep = entry.operation === 'sweep' ? sweepCountsOf(entry) : {};
  const dimensions: Dimensions = {
    [DIMENSIONS.event]: TELEMETRY_EVENTS.auditStep,
    ...(entry.instanceId === undefined ? {} : { [DIMENSIONS.operationId]: entry.instanceId }),
    [DIMENSIONS.operation]: entry.operation,
    ...targetDimensions(entry.target),
    [DIMENSIONS.step]: entry.step,
    [DIMENSIONS.outcome]: entry.outcome,
    [DIMENSIONS.channel]: entry.channel,
    ...(entry.sequence === undefined ? {} : { [DIMENSIONS.sequence]: entry.sequence }),
    ...(healOutcome === undefined ? {} : { [DIMENSIONS.healOutcome]: healOutcome }),
    ...diagnosed,
    ...sweep,
    ...(duration === undefined ? {} : { [DIMENSIONS.durationSeconds]: duration }),
  };
  return {
    log: {
      event: TELEMETRY_EVENTS.auditStep,
      severity: severityOf(entry),
      message: `${entry.operation} ${entry.step} ${entry.outcome}: ${entry.target}`,
      dimensions,
    },
    measurements: [...healMeasurements(entry, healOutcome, duration), ...sweepMeasurements(entry, duration)],
  };
}

/** The log record and count of one verification of a registry's audit chain. */
export function verificationSignals(target: string, verdict: VerificationVerdict): Signals {
  const dimensions: Dimensions = {
    [DIMENSIONS.event]: TELEMETRY_EVENTS.auditVerified,
    ...targetDimensions(target),
    [DIMENSIONS.intact]: verdict.intact,
    [DIMENSIONS.entries]: verdict.entries,
    ...(verdict.firstBreak === undefined
      ? {}
      : {
          [DIMENSIONS.breakKind]: verdict.firstBreak.kind,
          [DIMENSIONS.sequence]: verdict.firstBreak.sequence,
        }),
  };
  return {
    log: {
      event: TELEMETRY_EVENTS.auditVerified,
      severity: verdict.intact ? 'info' : 'error',
      message: verdict.intact
        ? `audit chain intact (${verdict.entries} ${verdict.entries === 1 ? 'entry' : 'entries'}): ${target}`
        : `audit chain broken at entry ${verdict.firstBreak?.sequence ?? '?'} (${verdict.firstBreak?.kind ?? 'unknown'}): ${target}`,
      dimensions,
    },
    measurements: [
      {
        metric: 'auditVerifications',
        value: 1,
        dimensions: { ...targetDimensions(target), [DIMENSIONS.intact]: verdict.intact },
      },
    ],
  };
}

/** The replicas-by-state gauge of one registry: every known state, zero included, and any other seen. */
export function replicaStateSignals(registryId: string, provisioningStates: readonly string[]): Signals {
  // Only the states the registry's replicas are in: six points per registry and scan would be mostly
  // zeros, and a fleet of thousands sends a point per registry, state and sweep.
  const counts = new Map<string, number>();
  for (const seen of provisioningStates) {
    const state = REPLICA_STATES.find((known) => known.toLowerCase() === seen.toLowerCase()) ?? seen;
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  const registry = targetDimensions(registryId);
  return {
    measurements: [...counts].map(([state, count]) => ({
      metric: 'replicas',
      value: count,
      dimensions: { ...registry, [DIMENSIONS.state]: state },
    })),
  };
}

/** A throttled answer and a retried request, counted by subscription and request kind. */
export function armCallSignals(call: ArmCall): Signals {
  const dimensions: Dimensions = {
    ...(subscriptionOfUrl(call.url) === undefined
      ? {}
      : { [DIMENSIONS.subscriptionId]: subscriptionOfUrl(call.url) }),
    [DIMENSIONS.requestKind]: armRequestKind(call.method),
  };
  return {
    measurements: [
      ...(call.status === 429 ? [{ metric: 'armThrottled' as const, value: 1, dimensions }] : []),
      ...(call.attempt > 1 ? [{ metric: 'armRetries' as const, value: 1, dimensions }] : []),
    ],
  };
}

/** ARM counts requests against separate read, write and delete budgets. */
export function armRequestKind(method: string): 'read' | 'write' | 'delete' {
  const verb = method.toUpperCase();
  if (verb === 'GET' || verb === 'HEAD') return 'read';
  if (verb === 'DELETE') return 'delete';
  return 'write';
}

function subscriptionOfUrl(url: string): string | undefined {
  return /\/subscriptions\/([^/?#]+)/i.exec(url)?.[1]?.toLowerCase();
}

/** Registry, subscription and replica of a target (a replica or registry id); nothing for others. */
export function targetDimensions(target: string): Dimensions {
  // Told apart by shape first: a scan sends this for every registry, and an exception costs a stack.
  const shape = resourceIdShape(target);
  try {
    if (shape === 'replica') {
      const replica = parseReplicaId(target);
      const registry = registryOfReplica(replica);
      return {
        [DIMENSIONS.registry]: formatRegistryId(registry),
        [DIMENSIONS.subscriptionId]: registry.subscriptionId.toLowerCase(),
        [DIMENSIONS.replicaId]: target,
        [DIMENSIONS.region]: replica.replicaName,
      };
    }
    if (shape === 'registry') {
      const registry = parseRegistryId(target);
      return {
        [DIMENSIONS.registry]: formatRegistryId(registry),
        [DIMENSIONS.subscriptionId]: registry.subscriptionId.toLowerCase(),
      };
    }
  } catch {
    // shaped as an id, but with a name ARM would refuse
  }
  return {};
}

/**
 * How a heal ended, from the entry that ends it: its outcome entries, a refused or unanswered approval,
 * a refusal for scope, a replica left alone (busy, gone, slow) or found healthy.
 */
export function healOutcomeOf(entry: AuditRecord): string | undefined {
  if (entry.operation !== 'heal') return undefined;
  switch (entry.step) {
    case 'healed':
      return 'healed';
    case 'escalated':
      return 'escalated';
    case 'reported':
      return 'reported';
    case 'approval':
      return entry.outcome === 'refused' || entry.outcome === 'skipped' ? 'rejected' : undefined;
    case 'scope-checked':
    case 'busy':
      return entry.outcome === 'accepted' || entry.outcome === 'succeeded' ? undefined : 'skipped';
    case 'diagnosed':
      if (entry.outcome === 'skipped') return 'skipped';
      if (entry.detail?.diagnosis === 'slow') return 'skipped';
      if (entry.detail?.diagnosis === 'healthy') return 'healthy';
      return undefined;
    default:
      return undefined;
  }
}

function healMeasurements(
  entry: AuditRecord,
  healOutcome: string | undefined,
  duration: number | undefined,
): Measurement[] {
  if (healOutcome === undefined) return [];
  const dimensions: Dimensions = {
    ...registryOnly(entry.target),
    [DIMENSIONS.healOutcome]: healOutcome,
    [DIMENSIONS.channel]: entry.channel,
  };
  return [
    { metric: 'heals', value: 1, dimensions },
    ...(duration === undefined ? [] : [{ metric: 'timeToHeal' as const, value: duration, dimensions }]),
  ];
}

function sweepMeasurements(entry: AuditRecord, duration: number | undefined): Measurement[] {
  if (entry.operation !== 'sweep') return [];
  const dryRun = entry.detail?.dryRun === true;
  if (entry.step === 'requested' && entry.outcome !== 'accepted' && entry.outcome !== 'started') {
    return [{ metric: 'sweeps', value: 1, dimensions: { [DIMENSIONS.outcome]: entry.outcome, dryRun } }];
  }
  if (entry.step !== 'sweep-completed') return [];
  const dimensions: Dimensions = { [DIMENSIONS.outcome]: 'completed', [DIMENSIONS.dryRun]: dryRun };
  const suspects = numberIn(entry.detail, 'suspects');
  const scanFailures = numberIn(entry.detail, 'scanFailures');
  return [
    { metric: 'sweeps', value: 1, dimensions },
    ...(suspects === undefined ? [] : [{ metric: 'sweepSuspects' as const, value: suspects, dimensions }]),
    ...(duration === undefined ? [] : [{ metric: 'sweepDuration' as const, value: duration, dimensions }]),
    ...(scanFailures === undefined || scanFailures === 0
      ? []
      : [{ metric: 'scanFailures' as const, value: scanFailures, dimensions }]),
  ];
}

/** Seconds from the request (`detail.requestedAt`, on a heal's outcome and a sweep's completion) to the entry. */
function durationOf(entry: AuditRecord): number | undefined {
  const requestedAt = entry.detail?.requestedAt;
  if (typeof requestedAt !== 'string') return undefined;
  const seconds = (Date.parse(entry.time) - Date.parse(requestedAt)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) / 1000 : undefined;
}

/** The diagnosis and the replica's state from a `diagnosed` entry's evidence (nothing else of it). */
function evidenceOf(detail: Record<string, unknown> | undefined): Dimensions {
  const evidence = detail?.evidence;
  const found: Dimensions = {};
  if (typeof detail?.diagnosis === 'string') found[DIMENSIONS.diagnosis] = detail.diagnosis;
  if (typeof evidence !== 'object' || evidence === null) return found;
  const { provisioningState, minutesInState } = evidence as Record<string, unknown>;
  if (typeof provisioningState === 'string') found[DIMENSIONS.provisioningState] = provisioningState;
  if (typeof minutesInState === 'number' && Number.isFinite(minutesInState)) {
    found[DIMENSIONS.minutesInState] = minutesInState;
  }
  return found;
}

function sweepCountsOf(entry: AuditRecord): Dimensions {
  const found: Dimensions = {};
  if (typeof entry.detail?.dryRun === 'boolean') found[DIMENSIONS.dryRun] = entry.detail.dryRun;
  const suspects = numberIn(entry.detail, 'suspects');
  const scanFailures = numberIn(entry.detail, 'scanFailures');
  if (suspects !== undefined) found[DIMENSIONS.suspects] = suspects;
  if (scanFailures !== undefined) found[DIMENSIONS.scanFailures] = scanFailures;
  return found;
}

function severityOf(entry: AuditRecord): Severity {
  if (entry.step === 'escalated') return 'error';
  return entry.outcome === 'failed' ? 'warning' : 'info';
}

function registryOnly(target: string): Dimensions {
  const { registry, subscriptionId } = targetDimensions(target);
  return {
    ...(registry === undefined ? {} : { registry }),
    ...(subscriptionId === undefined ? {} : { subscriptionId }),
  };
}

function numberIn(detail: Record<string, unknown> | undefined, field: string): number | undefined {
  const value = detail?.[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
