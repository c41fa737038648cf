// What every orchestration shares: how activities are retried, and how a step is written to the audit
// trail (through the audit activity, with an entry id that is the same on every replay and retry).
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';

import { WRITE_AUDIT_ACTIVITY } from '../activities/replicaActivities';
import type { AuditWrite } from '../activities/replicaActivities';
import type { AuditActor, AuditChannel, AuditOutcome } from '../domain';

/**
 * Transient failures (throttling, ARM hiccups, storage blips, a replica name ARM still holds just after a
 * delete) are retried by Durable with backoff: 2, 4, 8, 16, 32, 60, 60 s — about three minutes in all.
 */
export const ACTIVITY_RETRY = new df.RetryOptions(2000, 8);
ACTIVITY_RETRY.backoffCoefficient = 2;
ACTIVITY_RETRY.maxRetryIntervalInMilliseconds = 60000;

export interface AuditSubject {
  actor: AuditActor;
  channel: AuditChannel;
  operation: string;
  target: string;
  /** When the request was accepted: tells this run's entries from earlier runs under the same instance id. */
  requestedAt: string;
}

/**
 * Writes one audit entry for a step. `discriminator` tells apart entries of the same step within one run
 * (an attempt, a poll count); together with the instance and request time it makes the entry id.
 */
export function auditStep(
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

/** The first line of a failed activity or sub-orchestration as Durable reports it, without the stack. */
export function failureMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = text.split('\n')[0] ?? text;
  return firstLine.replace(/^(Orchestrator|Activity) function '[^']+' failed: /g, '').slice(0, 500);
}
