// How a sweep hands the drift its scans found to this feature: one activity per batch of findings, which
// reports each drift, or starts the registry's apply, as the declaration's drift policy says. It never
// fails the sweep: the sweep takes no notice of its outcome (and gives it no retries inside its window),
// and a hand-over that cannot run is simply made again by the next sweep, which finds the same drift.
import type { OrchestrationContext, Task } from 'durable-functions';

import type { AuditActor, AuditChannel } from '../../domain';
import { HAND_OVER_DRIFT_ACTIVITY } from './desiredReplicas.contract';
import type { DriftFinding, DriftHandOver } from './desiredReplicas.contract';

/** Who runs the sweep: its findings are reported, and its applies started, in that name. */
export interface DriftSweep {
  actor: AuditActor;
  channel: AuditChannel;
  requestedAt: string;
  dryRun: boolean;
}

/** The hand-over of one batch of findings, as a task for the sweep to issue beside its scans. */
export function driftHandOver(
  context: OrchestrationContext,
  sweep: DriftSweep,
  findings: readonly DriftFinding[],
): Task {
  const handOver: DriftHandOver = {
    actor: sweep.actor,
    channel: sweep.channel,
    requestedAt: sweep.requestedAt,
    dryRun: sweep.dryRun,
    findings: [...findings],
    sweepId: context.df.instanceId,
  };
  return context.df.callActivity(HAND_OVER_DRIFT_ACTIVITY, handOver);
}
