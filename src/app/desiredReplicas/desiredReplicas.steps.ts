// How a sweep hands the drift its scans found to this feature: one activity per batch of findings, which
// reports each drift, or starts the registry's apply, as the declaration's drift policy says. It never
// fails the sweep: a hand-over that cannot run is returned as failed actions, and the next sweep tries
// again.
import type { OrchestrationContext } from 'durable-functions';

import type { AuditActor, AuditChannel } from '../../domain';
import { ACTIVITY_RETRY } from '../common/activityRetry';
import { failureMessage } from '../common/failureMessage';
import { HAND_OVER_DRIFT_ACTIVITY } from './desiredReplicas.contract';
import type { DriftAction, DriftFinding, DriftHandOver } from './desiredReplicas.contract';

/** Who runs the sweep: its findings are reported, and its applies started, in that name. */
export interface DriftSweep {
  actor: AuditActor;
  channel: AuditChannel;
  requestedAt: string;
  dryRun: boolean;
}

export function* handOverDrift(
  context: OrchestrationContext,
  sweep: DriftSweep,
  findings: readonly DriftFinding[],
): Generator<unknown, DriftAction[], unknown> {
  if (findings.length === 0) return [];
  const handOver: DriftHandOver = {
    actor: sweep.actor,
    channel: sweep.channel,
    requestedAt: sweep.requestedAt,
    dryRun: sweep.dryRun,
    findings: [...findings],
    sweepId: context.df.instanceId,
  };
  try {
    return (yield context.df.callActivityWithRetry(
      HAND_OVER_DRIFT_ACTIVITY,
      ACTIVITY_RETRY,
      handOver,
    )) as DriftAction[];
  } catch (error) {
    const reason = failureMessage(error).slice(0, 300);
    return findings.map((finding) => ({ registryId: finding.registryId, action: 'failed', reason }));
  }
}
