// App settings, read once per use from the environment (the Functions host loads app settings, and
// local.settings.json locally, into process.env).
import { parseHealPolicy } from '../domain/healing';
import type { HealPolicy } from '../domain/healing';
import { parseRegistryScope } from '../domain/registryScope';
import type { RegistryScope } from '../domain/registryScope';
import { DEFAULT_POLLING } from '../domain/polling';
import type { PollingPolicy } from '../domain/polling';
import { ncrontabProblem } from './ncrontab';

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

/**
 * The Durable task hub's name (`TASK_HUB_NAME`, which host.json reads as `%TASK_HUB_NAME%`), when set:
 * 3-45 letters or digits starting with a letter, or the host does not start.
 */
export function taskHubName(env: Env = process.env): string | undefined {
  const value = env.TASK_HUB_NAME?.trim();
  if (value === undefined || value === '') return undefined;
  if (!/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(value)) {
    throw new Error(`TASK_HUB_NAME must be 3-45 letters or digits starting with a letter, not "${value}"`);
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

/** The schedule of self-healing sweeps (`HEAL_SCHEDULE`, NCRONTAB); the timer reads it as `%HEAL_SCHEDULE%`. */
export const HEAL_SCHEDULE_SETTING = 'HEAL_SCHEDULE';
export const DEFAULT_HEAL_SCHEDULE = '0 */15 * * * *';

/**
 * The timer's schedule: a `%HEAL_SCHEDULE%` reference the host resolves when the setting exists (after
 * checking it here), else the default, since the host refuses a reference to a missing setting.
 */
export function healScheduleBinding(env: Env = process.env): string {
  const set = env[HEAL_SCHEDULE_SETTING]?.trim();
  if (set === undefined || set === '') return DEFAULT_HEAL_SCHEDULE;
  healSchedule(env);
  return `%${HEAL_SCHEDULE_SETTING}%`;
}

/** The sweep schedule; a schedule the timer trigger cannot read stops the app with the reason. */
export function healSchedule(env: Env = process.env): string {
  const value = env[HEAL_SCHEDULE_SETTING]?.trim() || DEFAULT_HEAL_SCHEDULE;
  const problem = ncrontabProblem(value);
  if (problem !== undefined) {
    throw new Error(
      `${HEAL_SCHEDULE_SETTING} must be an NCRONTAB schedule such as "${DEFAULT_HEAL_SCHEDULE}" ` +
        `({second} {minute} {hour} {day} {month} {day-of-week}), not "${value}": ${problem}`,
    );
  }
  return value;
}

/** The app identity's object id (`APP_PRINCIPAL_ID`), when set; otherwise it is read from a token. */
export function appPrincipalId(env: Env = process.env): string | undefined {
  const value = env.APP_PRINCIPAL_ID?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Minutes a replica may stay in one non-terminal state before a sweep suspects it (`STUCK_AFTER_MINUTES`). */
export function stuckAfterMinutes(env: Env = process.env): number {
  return positiveNumber(env, 'STUCK_AFTER_MINUTES', 60);
}

/** Scan batches a sweep runs at once per subscription, and heals it runs at once (`HEAL_PARALLELISM`). */
export function healParallelism(env: Env = process.env): number {
  const value = positiveInteger(env, 'HEAL_PARALLELISM', 8);
  if (value > 100) throw new Error(`HEAL_PARALLELISM must be at most 100, not "${value}"`);
  return value;
}

/** Delete-grant-recreate rounds a heal tries before it escalates (`HEAL_MAX_ATTEMPTS`). */
export function healMaxAttempts(env: Env = process.env): number {
  return positiveInteger(env, 'HEAL_MAX_ATTEMPTS', 3);
}

/** Minutes an `approve` policy waits for its approval (`APPROVAL_TIMEOUT`). */
export function approvalTimeoutMinutes(env: Env = process.env): number {
  return positiveNumber(env, 'APPROVAL_TIMEOUT', 60);
}

/**
 * The policy for registries without a `replica-heal-policy` tag (`HEAL_POLICY`, default `auto`): what the
 * app may do about a stuck replica or a missing private-link permission.
 */
export function healPolicy(env: Env = process.env): HealPolicy {
  const text = env.HEAL_POLICY?.trim();
  if (text === undefined || text === '') return 'auto';
  const value = parseHealPolicy(text, 'auto');
  if (value !== text.toLowerCase())
    throw new Error(`HEAL_POLICY must be auto, approve or report, not "${text}"`);
  return value;
}

export interface TagFilter {
  name: string;
  value: string;
}

/** Limits sweeps to registries carrying one tag (`HEAL_REGISTRY_TAG`, `name=value`); unset means all. */
export function healRegistryTag(env: Env = process.env): TagFilter | undefined {
  const text = env.HEAL_REGISTRY_TAG?.trim();
  if (text === undefined || text === '') return undefined;
  const match = /^([^=]+)=(.*)$/.exec(text);
  const name = match?.[1]?.trim();
  if (match === null || name === undefined || name === '') {
    throw new Error(`HEAL_REGISTRY_TAG must be name=value, not "${text}"`);
  }
  return { name, value: (match[2] ?? '').trim() };
}

/** The table of replicas watched across sweeps (`WATCH_TABLE`), in the audit trail's account. */
export function watchTableName(env: Env = process.env): string {
  return tableName(env, 'WATCH_TABLE', 'ReplicaWatch');
}

/** What every heal a sweep starts shares, from settings. */
export interface HealRequestDefaults {
  polling: PollingPolicy;
  maxAttempts: number;
  approvalTimeoutMinutes: number;
  thresholdMinutes: number;
  policy: HealPolicy;
}

export function healRequestDefaults(env: Env = process.env): HealRequestDefaults {
  return {
    polling: pollingPolicy(env),
    maxAttempts: healMaxAttempts(env),
    approvalTimeoutMinutes: approvalTimeoutMinutes(env),
    thresholdMinutes: stuckAfterMinutes(env),
    policy: healPolicy(env),
  };
}

function tableName(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(value)) {
    throw new Error(`${name} must be 3-63 letters or digits starting with a letter, not "${value}"`);
  }
  return value;
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

/**
 * The Slack incoming webhook that hears about heals that give up, replicas left alone, and heals waiting
 * for approval (`SLACK_NOTIFY_WEBHOOK_URL`, https); unset means logged only.
 */
export function notifyWebhookUrl(env: Env = process.env): string | undefined {
  const value = env.SLACK_NOTIFY_WEBHOOK_URL?.trim();
  if (value === undefined || value === '') return undefined;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') {
    throw new Error('SLACK_NOTIFY_WEBHOOK_URL must be an https URL');
  }
  return url.toString();
}

/** Slack's signing secret (`SLACK_SIGNING_SECRET`); unset means every Slack request is refused. */
export function slackSigningSecret(env: Env = process.env): string | undefined {
  const value = env.SLACK_SIGNING_SECRET?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A Teams outgoing webhook's security token (`TEAMS_WEBHOOK_SECRET`, base64); unset refuses every request. */
export function teamsWebhookSecret(env: Env = process.env): string | undefined {
  const value = env.TEAMS_WEBHOOK_SECRET?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Hosts a chat follow-up URL may point at (`CHAT_REPLY_HOSTS`, comma-separated; default Slack's). */
export function chatReplyHosts(env: Env = process.env): string[] {
  const hosts = (env.CHAT_REPLY_HOSTS ?? 'hooks.slack.com')
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '');
  return hosts.length === 0 ? ['hooks.slack.com'] : hosts;
}

/** Slack user ids allowed to approve or reject (`SLACK_APPROVERS`, comma-separated); unset means nobody. */
export function slackApprovers(env: Env = process.env): ReadonlySet<string> {
  const ids = (env.SLACK_APPROVERS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  for (const id of ids) {
    if (!/^[UW][A-Z0-9]{2,}$/.test(id))
      throw new Error(`SLACK_APPROVERS must list Slack user ids (U… or W…), not "${id}"`);
  }
  return new Set(ids);
}
