import { watchTableName } from '../config/settings';
import { auditStorageSettings } from '../config/storageSettings';
import { tableClientFor } from './storageClients';
import { WatchStore } from './watchStore';

let shared: WatchStore | undefined;

/**
 * The app's watch store (table `WATCH_TABLE` in the audit trail's account, by connection string or
 * identity), shared within this process.
 */
export function watchStore(): WatchStore {
  shared ??= new WatchStore(tableClientFor(auditStorageSettings(), watchTableName()));
  return shared;
}
