// App settings, read once per use from the environment (the Functions host loads app settings, and
// local.settings.json locally, into process.env).
import { parseHealPolicy } from '../domain/healing';
import type { HealPolicy } from '../domain/healing';
import { parseRegistryScope } from '../domain/registryScope';
import type { RegistryScope } from '../domain/registryScope';
import { DEFAULT_POLLING } from '../domain/replicaOperation';
import type { PollingPolicy } from '../domain/replicaOperation';

export const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';

type Env = Record<string, string | undefined>;

/** Azure Resource Manager's base URL: `ARM_ENDPOINT`, or public Azure when unset. */
export function armEndpoint(env: Env = process.env): string {
  const value = env.ARM_ENDPOINT?.trim();
  return value === undefined || value === '' ? PUBLIC_ARM_ENDPOINT : value.replace(/\/+$/, '');
}

/** Client id of a user-assigned managed identity, when the app uses one. */
export function managedIdentityClientId(env: Env = process.env): string | undefined {
  const value = env.AZURE_CLIENT_ID?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The audit trail's table name (`AUDIT_TABLE`): 3–63 alphanumerics starting with a letter. */
export function auditTableName(env: Env = process.env): string {
  const value = env.AUDIT_TABLE?.trim() || 'ReplicaAudit';
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(value)) {
    throw new Error(`AUDIT_TABLE must be 3-63 letters or digits starting with a letter, not "${value}"`);
  }
  return value;
}

/** Connection string of the storage account that holds app state (`AzureWebJobsStorage`). */
export function storageConnectionString(env: Env = process.env): string {
  const value = env.AzureWebJobsStorage?.trim();
  if (value === undefined || value === '') throw new Error('AzureWebJobsStorage is not set');
  return value === 'UseDevelopmentStorage=true' ? DEVELOPMENT_STORAGE : value;
}

/** Connection string of the audit trail's account (`AUDIT_STORAGE`), by default the app's own storage. */
export function auditStorageConnectionString(env: Env = process.env): string {
  const value = env.AUDIT_STORAGE?.trim();
  if (value === undefined || value === '') return storageConnectionString(env);
  return value === 'UseDevelopmentStorage=true' ? DEVELOPMENT_STORAGE : value;
}

/** What `UseDevelopmentStorage=true` means: Azurite's well-known account on loopback (not a secret). */
const DEVELOPMENT_STORAGE =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
  'TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

/** The registries this app looks after (`REGISTRY_SCOPE`); empty when unset. */
export function registryScope(env: Env = process.env): RegistryScope {
  return parseRegistryScope(env.REGISTRY_SCOPE ?? '');
}

/**
 * How replica operations poll ARM (`POLL_INITIAL_SECONDS`, `POLL_MAX_SECONDS`, `REPLICA_DEADLINE_MINUTES`,
 * `DELETE_CONFIRMATIONS`, `POLLS_PER_GENERATION`).
 */
export function pollingPolicy(env: Env = process.env): PollingPolicy {
  return {
    initialSeconds: positiveNumber(env, 'POLL_INITIAL_SECONDS', DEFAULT_POLLING.initialSeconds),
    maxSeconds: positiveNumber(env, 'POLL_MAX_SECONDS', DEFAULT_POLLING.maxSeconds),
    deadlineMinutes: positiveNumber(env, 'REPLICA_DEADLINE_MINUTES', DEFAULT_POLLING.deadlineMinutes),
    goneConfirmations: Math.round(
      positiveNumber(env, 'DELETE_CONFIRMATIONS', DEFAULT_POLLING.goneConfirmations),
    ),
    pollsPerGeneration: positiveInteger(env, 'POLLS_PER_GENERATION', DEFAULT_POLLING.pollsPerGeneration),
  };
}

/** What the app may do about a missing private-link permission (`HEAL_POLICY`): auto, approve or report. */
export function healPolicy(env: Env = process.env): HealPolicy {
  const text = env.HEAL_POLICY?.trim();
  if (text === undefined || text === '') return 'auto';
  const policy = parseHealPolicy(text, 'auto');
  if (policy !== text.toLowerCase())
    throw new Error(`HEAL_POLICY must be auto, approve or report, not "${text}"`);
  return policy;
}

/**
 * Where the app's private-link role is assignable (`HEAL_ROLE_SCOPE`, a subscription or resource group
 * id); undefined when unset, meaning the subscription of each private endpoint.
 */
export function healRoleScope(env: Env = process.env): string | undefined {
  const value = env.HEAL_ROLE_SCOPE?.trim().replace(/\/+$/, '');
  if (value === undefined || value === '') return undefined;
  if (!/^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?$/i.test(value)) {
    throw new Error(`HEAL_ROLE_SCOPE must be a subscription or resource group id, not "${value}"`);
  }
  return value;
}

/** The app identity's object id (`APP_PRINCIPAL_ID`), when set; otherwise it is read from a token. */
export function appPrincipalId(env: Env = process.env): string | undefined {
  const value = env.APP_PRINCIPAL_ID?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function positiveInteger(env: Env, name: string, fallback: number): number {
  const value = positiveNumber(env, name, fallback);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a positive integer, not "${env[name]}"`);
  return value;
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, not "${text}"`);
  return value;
}

/** Where escalations and reports are posted as JSON (`NOTIFY_WEBHOOK_URL`, https); unset means logged only. */
export function notifyWebhookUrl(env: Env = process.env): string | undefined {
  const value = env.NOTIFY_WEBHOOK_URL?.trim();
  if (value === undefined || value === '') return undefined;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') {
    throw new Error('NOTIFY_WEBHOOK_URL must be an https URL');
  }
  return url.toString();
}
