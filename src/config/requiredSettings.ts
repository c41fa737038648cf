// Settings without which nothing works, checked when the app loads (the entry imports this first): no
// storage connection, or a Key Vault reference the platform could not resolve, stops the app at start
// with the setting's name and the reason, instead of failing its first request.
import { appStorageSettings, auditStorageSettings } from './storageSettings';

appStorageSettings();
auditStorageSettings();
