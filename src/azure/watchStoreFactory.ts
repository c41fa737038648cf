// The watch store and sweeps' listings, built once per process from the settings: both live in the table
// WATCH_TABLE in the audit trail's account.
import { auditStorageConnectionString, taskHubName, watchTableName } from '../config/settings';
import { SweepListing } from './sweepListing';
import { WatchStore } from './watchStore';

let shared: WatchStore | undefined;
let listing: SweepListing | undefined;

/** The app's watch store (table `WATCH_TABLE` in the audit trail's account), shared within this process. */
export function watchStore(): WatchStore {
  shared ??= WatchStore.fromConnectionString(auditStorageConnectionString(), watchTableName());
  return shared;
}

/** Sweeps' listings, kept in the watch store's table, shared within this process. */
export function sweepListing(): SweepListing {
  listing ??= SweepListing.fromConnectionString(
    auditStorageConnectionString(),
    watchTableName(),
    taskHubName() ?? 'default',
  );
  return listing;
}
