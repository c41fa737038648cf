// App settings, read once per use from the environment (the Functions host loads app settings, and
// local.settings.json locally, into process.env).
import type { ApprovalSettings } from '../domain/approval';
import { parseHealPolicy } from '../domain/healing';
import type { HealPolicy } from '../domain/healing';
import { parseRegistryScope } from '../domain/registryScope';
import type { RegistryScope } from '../domain/registryScope';
import { DEFAULT_POLLING } from '../domain/polling';
import type { PollingPolicy } from '../domain/polling';
import { resolvedSetting } from './keyVaultReference';
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

/** Shortest audit key accepted: 32 bytes, the size of an HMAC-SHA256 key that leaves nothing to guess. */
export const MIN_AUDIT_KEY_BYTES = 32;

/**
 * The key that signs the audit trail (`AUDIT_SIGNING_KEY`, base64 of at least 32 bytes); undefined when
 * unset, and then the trail is kept unkeyed. A value that is not such a key (an unresolved Key Vault
 * reference, a typo) is refused rather than used.
 */
export function auditSigningKey(env: Env = process.env): Uint8Array | undefined {
  const value = env.AUDIT_SIGNING_KEY?.trim();
  if (value === undefined || value === '') return undefined;
  const key =
    /^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0 ? Buffer.from(value, 'base64') : undefined;
  if (key === undefined || key.length < MIN_AUDIT_KEY_BYTES) {
    throw new Error(
      `AUDIT_SIGNING_KEY must be base64 of at least ${MIN_AUDIT_KEY_BYTES} random bytes ` +
        '(for example `openssl rand -base64 32`); the value set is not',
    );
  }
  return key;
}

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
 * Where the app gets the private-link role it assigns itself:
 * - `HEAL_ROLE_DEFINITION_ID` names a role made beforehand (by the infrastructure): its GUID, or a role
 *   definition id. The app only assigns it, and never creates or changes a role definition.
 * - `HEAL_ROLE_CREATE=true` lets the app create its own role, which needs the wider
 *   `Microsoft.Authorization/roleDefinitions/write`; `HEAL_ROLE_SCOPE` (a subscription or resource group
 *   id) then says where it is assignable, by default each private endpoint's subscription.
 * - Neither: the app grants nothing, and work that needs the permission is refused.
 */
export type PrivateLinkRoleSource =
  | { kind: 'assign'; roleDefinitionGuid: string }
  | { kind: 'create'; assignableScope?: string }
  | { kind: 'none' };

export function privateLinkRoleSource(env: Env = process.env): PrivateLinkRoleSource {
  const id = env.HEAL_ROLE_DEFINITION_ID?.trim().replace(/\/+$/, '') ?? '';
  const create = booleanSetting(env, 'HEAL_ROLE_CREATE', false);
  const scope = env.HEAL_ROLE_SCOPE?.trim().replace(/\/+$/, '') ?? '';
  if (scope !== '' && !create) {
    throw new Error('HEAL_ROLE_SCOPE applies only with HEAL_ROLE_CREATE=true: remove it, or set both');
  }
  if (id !== '' && create) {
    throw new Error(
      'HEAL_ROLE_DEFINITION_ID and HEAL_ROLE_CREATE=true exclude each other: the app either assigns the ' +
        'role it is given or creates its own',
    );
  }
  if (id !== '') {
    const guid = ROLE_DEFINITION.exec(id)?.[1];
    if (guid === undefined) {
      throw new Error(
        'HEAL_ROLE_DEFINITION_ID must be a role definition GUID or id ' +
          `(/subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{guid}), not "${id}"`,
      );
    }
    return { kind: 'assign', roleDefinitionGuid: guid.toLowerCase() };
  }
  if (!create) return { kind: 'none' };
  if (scope === '') return { kind: 'create' };
  if (!/^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?$/i.test(scope)) {
    throw new Error(`HEAL_ROLE_SCOPE must be a subscription or resource group id, not "${scope}"`);
  }
  return { kind: 'create', assignableScope: scope };
}

const GUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A role definition GUID, alone or at the end of a (subscription or tenant) role definition id. */
const ROLE_DEFINITION = new RegExp(
  `^(?:(?:/subscriptions/[^/]+)?/providers/Microsoft\\.Authorization/roleDefinitions/)?(${GUID_PATTERN})$`,
  'i',
);

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
  const value = resolvedSetting(env.SLACK_NOTIFY_WEBHOOK_URL);
  if (value === undefined) return undefined;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') {
    throw new Error('SLACK_NOTIFY_WEBHOOK_URL must be an https URL');
  }
  return url.toString();
}

/**
 * Slack's signing secret (`SLACK_SIGNING_SECRET`); unset, or a Key Vault reference that did not resolve,
 * means every Slack request is refused.
 */
export function slackSigningSecret(env: Env = process.env): string | undefined {
  return resolvedSetting(env.SLACK_SIGNING_SECRET);
}

/**
 * A Teams outgoing webhook's security token (`TEAMS_WEBHOOK_SECRET`, base64); unset, or a Key Vault
 * reference that did not resolve, refuses every request.
 */
export function teamsWebhookSecret(env: Env = process.env): string | undefined {
  return resolvedSetting(env.TEAMS_WEBHOOK_SECRET);
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
  return slackUserIds(env, 'SLACK_APPROVERS');
}

/**
 * Slack user ids allowed to start a heal that may change replicas (`SLACK_HEALERS`, comma-separated);
 * unset means nobody. Dry runs are open to everyone who may use the command.
 */
export function slackHealers(env: Env = process.env): ReadonlySet<string> {
  return slackUserIds(env, 'SLACK_HEALERS');
}

/** The one Slack workspace the app serves (`SLACK_TEAM_ID`, `T…`); unset means the requester's own. */
export function slackTeamId(env: Env = process.env): string | undefined {
  const value = env.SLACK_TEAM_ID?.trim();
  if (value === undefined || value === '') return undefined;
  if (!/^[TE][A-Z0-9]{2,}$/.test(value))
    throw new Error(`SLACK_TEAM_ID must be a Slack workspace id (T…), not "${value}"`);
  return value;
}

/** Whether a requester may approve their own request (`APPROVAL_ALLOW_SELF`, default false). */
export function approvalAllowSelf(env: Env = process.env): boolean {
  return booleanSetting(env, 'APPROVAL_ALLOW_SELF', false);
}

/**
 * Whether a chat-started operation may also be decided over the REST API (`APPROVAL_ALLOW_REST_FOR_CHAT`,
 * default false: it is decided in the chat it came from).
 */
export function approvalAllowRestForChat(env: Env = process.env): boolean {
  return booleanSetting(env, 'APPROVAL_ALLOW_REST_FOR_CHAT', false);
}

/** What an operation's approval policy is made from, when it is requested. */
export function approvalSettings(env: Env = process.env): ApprovalSettings {
  const teamId = slackTeamId(env);
  return {
    allowSelf: approvalAllowSelf(env),
    restForChat: approvalAllowRestForChat(env),
    slackApprovers: slackApprovers(env),
    ...(teamId === undefined ? {} : { slackTeamId: teamId }),
  };
}

/**
 * Whether App Service authentication (Easy Auth) is in front of the app (`TRUST_APP_SERVICE_AUTH`,
 * default false). Only then are the `x-ms-client-principal*` headers the platform's, and trusted as the
 * caller; without it any caller could send them.
 */
export function trustAppServiceAuth(env: Env = process.env): boolean {
  return booleanSetting(env, 'TRUST_APP_SERVICE_AUTH', false);
}

function slackUserIds(env: Env, name: string): ReadonlySet<string> {
  const ids = (env[name] ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  for (const id of ids) {
    if (!/^[UW][A-Z0-9]{2,}$/.test(id))
      throw new Error(`${name} must list Slack user ids (U… or W…), not "${id}"`);
  }
  return new Set(ids);
}

function booleanSetting(env: Env, name: string, fallback: boolean): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (text === undefined || text === '') return fallback;
  if (text !== 'true' && text !== 'false')
    throw new Error(`${name} must be true or false, not "${env[name]}"`);
  return text === 'true';
}

/** The table of registries' desired replica sets (`DESIRED_REPLICAS_TABLE`), in the audit trail's account. */
export function desiredReplicasTableName(env: Env = process.env): string {
  return tableName(env, 'DESIRED_REPLICAS_TABLE', 'DesiredReplicas');
}

/** Replica operations one apply of a desired replica set runs at once (`DESIRED_REPLICAS_PARALLELISM`). */
export function desiredReplicasParallelism(env: Env = process.env): number {
  const value = positiveInteger(env, 'DESIRED_REPLICAS_PARALLELISM', 3);
  if (value > 20) throw new Error(`DESIRED_REPLICAS_PARALLELISM must be at most 20, not "${value}"`);
  return value;
}
