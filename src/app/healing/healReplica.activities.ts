// Activities of the heal orchestration that are not ARM writes: capturing a replica's settings before it
// is deleted, and telling people when healing gives up or leaves a replica alone.
import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import type { ActivityHandler } from 'durable-functions';

import { armClients } from '../../azure/armClients';
import { ReplicaGateway } from '../../azure/replicas';
import { notifyWebhookUrl } from '../../config/settings';
import { parseReplicaId } from '../../domain';
import { isRedirect } from '../../slack/postToResponseUrl';
import type { ReplicaView } from '../../domain';
import { CAPTURE_REPLICA_ACTIVITY, NOTIFY_ACTIVITY } from './healing.contract';
import type { HealNotification } from './healing.contract';

/** The replica as it is now, settings included; undefined when it no longer exists. */
export const captureReplica: ActivityHandler = async (replicaId: string): Promise<ReplicaView | null> => {
  const view = await new ReplicaGateway(armClients()).getReplica(parseReplicaId(replicaId));
  return view ?? null;
};

/**
 * The escalation hook: posts the notification to the Slack incoming webhook SLACK_NOTIFY_WEBHOOK_URL when
 * it is set. Without one the notification is only logged; the audit trail has it anyway.
 */
export const notify: ActivityHandler = async (
  notification: HealNotification,
  context: InvocationContext,
): Promise<boolean> => {
  const url = notifyWebhookUrl();
  if (url === undefined) {
    context.log(`heal notification (no SLACK_NOTIFY_WEBHOOK_URL set): ${notification.summary}`);
    return false;
  }
  // Never followed: the webhook is the only place notifications may go. Its URL is a secret, so neither it
  // nor a redirect's target is logged.
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: notificationText(notification) }),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  await response.body?.cancel();
  if (isRedirect(response.status)) {
    // Asking again would be redirected again: not delivered, and the audit trail has it anyway.
    context.warn(`the notification webhook answered a redirect (${response.status}); it was not followed`);
    return false;
  }
  if (!response.ok) throw new Error(`the notification webhook answered ${response.status}`);
  return true;
};

const ICONS: Record<HealNotification['kind'], string> = {
  escalated: '🚨',
  slow: '🐢',
  'awaiting-approval': '✋',
};

/** One readable Slack line: what happened, to which replica, and where to follow it. */
export function notificationText(notification: HealNotification): string {
  return `${ICONS[notification.kind]} ${notification.summary} (replica ${notification.replicaId}; operation \`${notification.instanceId}\`)`;
}

df.app.activity(CAPTURE_REPLICA_ACTIVITY, { handler: captureReplica });
df.app.activity(NOTIFY_ACTIVITY, { handler: notify });
