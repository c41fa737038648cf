// The one store of desired replica sets per process, in the audit trail's storage account (by connection
// string or identity, like the other tables).
import { desiredReplicasTableName } from '../config/settings';
import { auditStorageSettings } from '../config/storageSettings';
import { BOUNDED_RETRY } from './auditStore';
import { DesiredReplicaStore } from './desiredReplicaStore';
import { tableClientFor } from './storageClients';

let shared: DesiredReplicaStore | undefined;

/** The app's store of desired replica sets (table `DESIRED_REPLICAS_TABLE`), shared within this process. */
export function desiredReplicaStore(): DesiredReplicaStore {
  shared ??= new DesiredReplicaStore(
    tableClientFor(auditStorageSettings(), desiredReplicasTableName(), { retryOptions: BOUNDED_RETRY }),
  );
  return shared;
}
