// Starting and following the heal orchestration in end-to-end tests, through the durable HTTP API the
// Functions host exposes (the production entry points that start it are tested with the sweep).
import { DEFAULT_POLLING } from '../../src/domain';
import type { HealRequest, HealResult } from '../../src/domain';
import { PATIENCE_MS } from '../support/patience';
import type { AppHarness } from './appHarness';

export const durable = (path: string): string => `/runtime/webhooks/durabletask/${path}`;

/** A heal request with fast polling, for a replica first seen long ago; overrides change the rest. */
export function healRequest(replicaId: string, overrides: Partial<HealRequest> = {}): HealRequest {
  return {
    replicaId,
    actor: { id: 'schedule' },
    channel: 'schedule',
    requestedAt: new Date().toISOString(),
    policy: 'auto',
    dryRun: false,
    polling: { ...DEFAULT_POLLING, initialSeconds: 0.2, maxSeconds: 0.5 },
    thresholdMinutes: 60,
    firstSeenAt: '2026-01-01T00:00:00.000Z',
    maxAttempts: 2,
    approvalTimeoutMinutes: 60,
    // As the schedule records it: decided over the REST API.
    approvalPolicy: { requestedBy: { id: 'schedule' }, allowSelf: false, rest: true },
    ...overrides,
  };
}

export async function startHeal(app: AppHarness, request: HealRequest, instanceId: string): Promise<void> {
  const started = await app.api(durable(`orchestrators/healReplica/${encodeURIComponent(instanceId)}`), {
    method: 'POST',
    body: request,
  });
  expect(started.status).toBe(202);
}

export interface InstanceStatus {
  runtimeStatus: string;
  customStatus?: { phase?: string };
  output?: HealResult;
}

export async function statusOf(app: AppHarness, instanceId: string): Promise<InstanceStatus> {
  return (await app.api(durable(`instances/${encodeURIComponent(instanceId)}`))).json<InstanceStatus>();
}

/** Waits until the heal is running in `phase` (e.g. waiting for its approval). */
export async function untilPhase(
  app: AppHarness,
  instanceId: string,
  phase: string,
  timeoutMs = PATIENCE_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await statusOf(app, instanceId);
    if (status.runtimeStatus === 'Running' && status.customStatus?.phase === phase) return;
    if (Date.now() > deadline) throw new Error(`not ${phase}: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The heal's result once it completes; a failed instance or the timeout fails the test. */
export async function healResult(
  app: AppHarness,
  instanceId: string,
  timeoutMs = PATIENCE_MS,
): Promise<HealResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A host being restarted does not answer for a moment.
    const status = await statusOf(app, instanceId).catch(() => undefined);
    if (status?.runtimeStatus === 'Completed' && status.output !== undefined) return status.output;
    if (status !== undefined && ['Failed', 'Terminated'].includes(status.runtimeStatus)) {
      throw new Error(JSON.stringify(status));
    }
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
