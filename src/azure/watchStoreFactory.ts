// The watch store and sweeps' listings, built once per process from the settings: both live in the table
// WATCH_TABLE in the audit trail's account (by connection string or identity).
import { taskHubName, watchTableName } from '../config/settings';
import { auditStorageSettings } from '../config/storageSettings';
import { tableClientFor } from './storageClients';
import { SweepListing } from './sweepListing';
import { WatchStore } from './watchStore';

let shared: WatchStore | undefined;
let listing: SweepListing | undefined;

/** The app's watch store, shared within this process. */
export function watchStore(): WatchStore {
  shared ??= new WatchStore(tableClientFor(auditStorageSettings(), watchTableName()));
  return shared;
}

/** Sweeps' listings, kept in the watch store's table, shared within this process. */
export function sweepListing(): SweepListing {
  listing ??= new SweepListing(
    tableClientFor(auditStorageSettings(), watchTableName()),
    taskHubName() ?? 'default',
  );
  return listing;
}
