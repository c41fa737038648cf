// Activities of the heal orchestration that are not ARM writes: reading once what a heal works from (the
// replica with its settings, its registry's private endpoints, the app's permission there), and telling
// people when healing gives up or leaves a replica alone.
import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import type { ActivityHandler } from 'durable-functions';

import { AccessGateway } from '../../azure/access';
import { armClients } from '../../azure/armClients';
import { ReplicaGateway } from '../../azure/replicas';
import { notifyWebhookUrl } from '../../config/settings';
import { parseReplicaId, registryOfReplica } from '../../domain';
import { isRedirect } from '../../slack/postToResponseUrl';
import { GATHER_EVIDENCE_ACTIVITY, NOTIFY_ACTIVITY } from './healing.contract';
import type { HealEvidenceRead, HealNotification } from './healing.contract';

/**
 * The replica as it is now (settings included), and, while it exists, its registry's private endpoints
 * and where the app's identity lacks the permission: one read of each, which the heal passes on.
 */
export const gatherEvidence: ActivityHandler = async (replicaId: string): Promise<HealEvidenceRead> => {
  const clients = armClients();
  const access = new AccessGateway(clients);
  const replicas = new ReplicaGateway(clients);
  const replica = parseReplicaId(replicaId);
  const view = await replicas.getReplica(replica);
  if (view === undefined) return { replica: null, privateEndpoints: [], missingAt: [], principalId: '' };
  const registry = await replicas.getRegistry(registryOfReplica(replica));
  if (registry === undefined) throw new Error(`the registry of ${replicaId} was not found`);
  return {
    replica: view,
    privateEndpoints: registry.privateEndpoints,
    missingAt: await access.missingPrivateLinkPermission(registry.privateEndpoints),
    principalId: await access.principalId(),
  };
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

df.app.activity(GATHER_EVIDENCE_ACTIVITY, { handler: gatherEvidence });
df.app.activity(NOTIFY_ACTIVITY, { handler: notify });
