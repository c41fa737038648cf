// How an orchestration writes its steps to the audit trail: through the audit activity, with an entry id
// that is the same on every replay and retry, so each step is recorded once.
import type { OrchestrationContext, Task } from 'durable-functions';

import type { AuditActor, AuditChannel, AuditOutcome } from '../../domain';
import { ACTIVITY_RETRY } from '../common/activityRetry';
import { WRITE_AUDIT_ACTIVITY } from './audit.contract';
import type { AuditWrite } from './audit.contract';

export interface AuditSubject {
  actor: AuditActor;
  channel: AuditChannel;
  operation: string;
  target: string;
  /** When the request was accepted: tells this run's entries from earlier runs under the same instance id. */
  requestedAt: string;
}

/** Writes one step of an orchestration's run to the audit trail; yield the task to wait for it. */
export type AuditStep = (step: string, outcome: AuditOutcome, detail?: Record<string, unknown>) => Task;

/**
 * The audit writer of one orchestration run. `discriminator` is asked once per entry and tells apart
 * entries of the same step within the run (an attempt, a poll count).
 */
export function auditTrail(
  context: OrchestrationContext,
  subject: AuditSubject,
  discriminator: () => string,
): AuditStep {
  return (step, outcome, detail) => auditStep(context, subject, step, outcome, discriminator(), detail);
}

/** One audit entry; with the instance and the request time the discriminator makes the entry id. */
function auditStep(
  context: OrchestrationContext,
  subject: AuditSubject,
  step: string,
  outcome: AuditOutcome,
  discriminator: string,
  detail?: Record<string, unknown>,
): Task {
  const instanceId = context.df.instanceId;
  const write: AuditWrite = {
    entryId: `${instanceId}|${subject.requestedAt}|${step}${discriminator === '' ? '' : `|${discriminator}`}`,
    record: {
      time: context.df.currentUtcDateTime.toISOString(),
      actor: subject.actor,
      channel: subject.channel,
      operation: subject.operation,
      target: subject.target,
      instanceId,
      step,
      outcome,
      ...(detail === undefined ? {} : { detail }),
    },
  };
  return context.df.callActivityWithRetry(WRITE_AUDIT_ACTIVITY, ACTIVITY_RETRY, write);
}
