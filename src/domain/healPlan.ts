// The remediation plan a heal would carry out, in words: shown by dry runs, asked about in approvals and
// kept in the audit trail, so people see what will happen before it does.
import type { Diagnosis } from './healing';
import { PRIVATE_LINK_ACTION } from './healing';
import type { ReplicaView } from './registryView';

/** Who lacks the private-link permission, and where. */
export interface MissingPermission {
  principalId: string;
  missingAt: readonly string[];
}

export function healPlan(diagnosis: Diagnosis, replica: ReplicaView, access: MissingPermission): string[] {
  if (diagnosis === 'healthy') return ['nothing to do: the replica is healthy'];
  if (diagnosis === 'slow') return ['nothing: the replica is still provisioning and progressing; report it'];
  const settings = `zone redundancy ${replica.zoneRedundancy}, regional endpoint ${replica.regionEndpointEnabled ? 'enabled' : 'disabled'}, ${Object.keys(replica.tags).length} tags`;
  return [
    `capture the replica's settings (${replica.location}, ${settings})`,
    // A replica created without the permission would be stuck too, whatever ailed the one it replaces.
    ...(access.missingAt.length > 0
      ? [
          `ensure the least-privilege custom role holding only ${PRIVATE_LINK_ACTION}`,
          `assign it to the app's identity (${access.principalId}) at ${access.missingAt.join(', ')}`,
          'wait until the permission is effective (if it never is, stop here and leave the replica as it is)',
        ]
      : []),
    `delete replica ${replica.name} and wait until it is gone`,
    `create replica ${replica.name} again in ${replica.location} with the captured settings (waiting as long as Azure says when it still holds the name) and wait for Succeeded`,
  ];
}
