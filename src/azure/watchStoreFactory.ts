import { auditStorageConnectionString, watchTableName } from '../config/settings';
import { WatchStore } from './watchStore';

let shared: WatchStore | undefined;

/** The app's watch store (table `WATCH_TABLE` in the audit trail's account), shared within this process. */
export function watchStore(): WatchStore {
  shared ??= WatchStore.fromConnectionString(auditStorageConnectionString(), watchTableName());
  return shared;
}
