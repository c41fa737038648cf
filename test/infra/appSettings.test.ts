// The deployed app settings and the settings the app reads agree: everything the app reads is set by
// the infrastructure or listed below as optional (with why), and nothing is set that neither the app nor
// the Functions host reads, except the settings the next app change starts reading (listed below).
import type { BicepFile } from './bicep';
import { bodyOf, callsTo, declaration, descendants, fileNamed, loadInfra, propertyAt } from './bicep';
import { settingsReadByApp } from './settingsReadByApp';

/** Read by the app, deliberately left unset by the infrastructure. */
const OPTIONAL_SETTINGS: Record<string, string> = {
  AzureWebJobsStorage:
    'a connection string carries an account key; Azure runs with identity-based AzureWebJobsStorage__* settings',
  AUDIT_STORAGE:
    'a separate audit account by connection string (a key); the audit trail uses the app storage',
  ARM_ENDPOINT: 'points the app at the local ARM sandbox; unset means public Azure',
  HEAL_ROLE_CREATE:
    'lets the app create its own private-link role (roleDefinitions/write); the infrastructure creates it',
  HEAL_ROLE_SCOPE: 'where a role the app creates itself is assignable; only with HEAL_ROLE_CREATE=true',
  AzureWebJobsStorage__accountName:
    'endpoints derived from an account name; the infrastructure sets the service URIs themselves',
  HEAL_REGISTRY_TAG: 'optional filter of the registries a sweep visits; unset means all in REGISTRY_SCOPE',
  STUCK_AFTER_MINUTES: 'tuning; the default (60) suits real registries',
  HEAL_PARALLELISM: 'tuning; the default (8) stays inside ARM read limits',
  DESIRED_REPLICAS_PARALLELISM: 'tuning; the default (3) replica operations per apply',
  HEAL_MAX_ATTEMPTS: 'tuning; default 3',
  APPROVAL_TIMEOUT: 'tuning; default 60 minutes',
  POLL_INITIAL_SECONDS: 'tuning of replica polling; defaults follow ARM guidance',
  POLL_MAX_SECONDS: 'tuning of replica polling',
  REPLICA_DEADLINE_MINUTES: 'tuning of replica polling',
  DELETE_CONFIRMATIONS: 'tuning of replica polling',
  POLLS_PER_GENERATION: 'tuning of orchestration history size',
  CHAT_REPLY_HOSTS: "follow-up hosts for chat replies; the default is Slack's",
  TRUST_APP_SERVICE_AUTH:
    'the infrastructure does not put App Service authentication in front of the app, so its headers must not be trusted',
  APPROVAL_ALLOW_SELF: 'off by default: a requester does not approve their own request',
  APPROVAL_ALLOW_REST_FOR_CHAT: 'off by default: operations started from chat are decided in chat',
};

/**
 * Set by the infrastructure, read by the app after a change still to come. When the app starts reading
 * one, this test says so: move it out of this list.
 */
const READ_BY_THE_APP_AFTER_THE_IDENTITY_STORAGE_CHANGE: string[] = [];

/** Read by the Functions host and its extensions, not by the app's code. */
const HOST_PREFIXES = ['FUNCTIONS_', 'AzureWebJobs', 'APPLICATIONINSIGHTS_', 'WEBSITE_'];

function keysOf(file: BicepFile, variable: string): string[] {
  return descendants(
    declaration(file, 'variable_declaration', variable),
    (node) => node.type === 'object_property',
  ).map((node) => node.namedChildren[0]!.text);
}

describe('app settings', () => {
  let deployed: Set<string>;
  const read = settingsReadByApp();

  beforeAll(async () => {
    const files = await loadInfra();
    const main = fileNamed(files, 'infra/main.bicep');
    const app = fileNamed(files, 'infra/app/function-app.bicep');
    const appVariables = ['appSettings', 'approverSettings', 'healRoleSettings', 'secretSettings'];
    // What reaches the site: main passes the union of its setting variables, the module adds its own.
    const passed = propertyAt(
      bodyOf(declaration(main, 'module_declaration', 'functionApp')),
      'params.appSettings',
    );
    expect(callsTo(passed!, 'union')[0]?.map((arg) => arg.text)).toEqual(appVariables);
    const settings = propertyAt(bodyOf(declaration(app, 'resource_declaration', 'settings')), 'properties');
    expect(callsTo(settings!, 'union')[0]?.map((arg) => arg.text)).toEqual(['appSettings', 'hostSettings']);
    deployed = new Set([
      ...appVariables.flatMap((name) => keysOf(main, name)),
      ...keysOf(app, 'hostSettings'),
    ]);
  });

  it('finds the settings the app reads', () => {
    expect(read.names.size).toBeGreaterThan(20);
    expect([...read.names]).toEqual(
      expect.arrayContaining(['REGISTRY_SCOPE', 'TASK_HUB_NAME', 'HEAL_SCHEDULE']),
    );
  });

  it('sets, or lists as optional, every setting the app reads', () => {
    const missing = [...read.names]
      .filter((name) => !deployed.has(name) && !(name in OPTIONAL_SETTINGS))
      .map((name) => `${name} (read in ${read.seenIn.get(name)})`);
    expect(missing).toEqual([]);
  });

  it('sets nothing that neither the app nor the host reads, beyond the listed next reads', () => {
    const unread = [...deployed].filter(
      (name) =>
        !read.names.has(name) &&
        !HOST_PREFIXES.some((prefix) => name.startsWith(prefix)) &&
        !READ_BY_THE_APP_AFTER_THE_IDENTITY_STORAGE_CHANGE.includes(name),
    );
    expect(unread).toEqual([]);
  });

  it('keeps the lists honest: optional settings are read and unset, next reads are set and not yet read', () => {
    const optional = Object.keys(OPTIONAL_SETTINGS);
    expect(optional.filter((name) => !read.names.has(name))).toEqual([]);
    expect(optional.filter((name) => deployed.has(name))).toEqual([]);
    expect(READ_BY_THE_APP_AFTER_THE_IDENTITY_STORAGE_CHANGE.filter((name) => !deployed.has(name))).toEqual(
      [],
    );
    expect(READ_BY_THE_APP_AFTER_THE_IDENTITY_STORAGE_CHANGE.filter((name) => read.names.has(name))).toEqual(
      [],
    );
  });
});
