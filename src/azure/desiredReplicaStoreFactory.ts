// The one store of desired replica sets per process, in the audit trail's storage account.
import { auditStorageConnectionString, desiredReplicasTableName } from '../config/settings';
import { DesiredReplicaStore } from './desiredReplicaStore';

let shared: DesiredReplicaStore | undefined;

/** The app's store of desired replica sets (table `DESIRED_REPLICAS_TABLE`), shared within this process. */
export function desiredReplicaStore(): DesiredReplicaStore {
  shared ??= DesiredReplicaStore.fromConnectionString(
    auditStorageConnectionString(),
    desiredReplicasTableName(),
  );
  return shared;
}
