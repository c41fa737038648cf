// The dependency rules of the app (src/), checked by `npm run lint`: dependencies point one way, from the
// transports (HTTP and timer triggers, chat, HTTP helpers) to the use cases, orchestrations and
// activities of each feature in src/app/, to the adapters (src/azure/, src/slack/) and settings, to the
// domain. Within a feature, a file's role is in its name: *.contract.ts (names and shapes),
// *.useCases.ts, *.orchestration.ts and *.steps.ts (deterministic orchestration code), *.activities.ts;
// other files there are services the use cases and activities share.

const DOMAIN = '^src/domain/';
const CONFIG = '^src/config/';
const ADAPTERS = '^src/(azure|slack)/';
const TRIGGERS = '^src/functions/';
const TRANSPORTS = '^src/(functions|chat|http)/';
const ENTRY = '^src/index\\.ts$';
const CONTRACTS = '^src/app/[^/]+/[^/]+\\.contract\\.ts$';
const USE_CASES = '^src/app/[^/]+/[^/]+\\.useCases\\.ts$';
const ACTIVITIES = '^src/app/[^/]+/[^/]+\\.activities\\.ts$';
const ORCHESTRATIONS = ['^src/app/[^/]+/[^/]+\\.(orchestration|steps)\\.ts$', '^src/app/common/'];
const SERVICES =
  '^src/app/(?!common/)[^/]+/(?![^/]+\\.(contract|useCases|orchestration|steps|activities)\\.ts$)';
const OUTSIDE_THE_APP = [
  '^(devhost|sandbox|tools|test|bench)/',
  '^@acr-replica-guard/(devhost|sandbox)($|/)',
  'node_modules/@acr-replica-guard/(devhost|sandbox)/',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain imports nothing of ours but itself, and no package: pure types and rules.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { pathNot: [DOMAIN, '^node:crypto$', '^crypto$'] },
    },
    {
      name: 'config-reads-settings-only',
      comment: 'Settings are read from the environment and checked with domain rules; nothing above them.',
      severity: 'error',
      from: { path: CONFIG },
      to: { path: '^src/', pathNot: [CONFIG, DOMAIN] },
    },
    {
      name: 'adapters-stay-below-the-app',
      comment:
        'Adapters (Azure SDKs, Slack) may use settings and the domain, never triggers, use cases, ' +
        'orchestrations or activities.',
      severity: 'error',
      from: { path: ADAPTERS },
      to: { path: '^src/', pathNot: [ADAPTERS, CONFIG, DOMAIN] },
    },
    {
      name: 'only-the-entry-imports-triggers',
      comment:
        'Triggers register themselves when imported; the registration entry (src/index.ts) alone does.',
      severity: 'error',
      from: { pathNot: ENTRY },
      to: { path: TRIGGERS },
    },
    {
      name: 'chat-never-imports-triggers',
      comment: 'Chat calls the same use cases as the HTTP triggers, never the triggers themselves.',
      severity: 'error',
      from: { path: '^src/chat/' },
      to: { path: TRIGGERS },
    },
    {
      name: 'transports-call-use-cases',
      comment:
        'Triggers, chat and HTTP helpers start work through use cases, never by reaching into ' +
        'orchestrations or activities.',
      severity: 'error',
      from: { path: TRANSPORTS },
      to: { path: [ACTIVITIES, ...ORCHESTRATIONS] },
    },
    {
      name: 'use-cases-stay-below-transports',
      comment:
        'Use cases serve every transport alike, and start orchestrations by the names in contracts, ' +
        'not by importing them.',
      severity: 'error',
      from: { path: USE_CASES },
      to: { path: [TRANSPORTS, ENTRY, ACTIVITIES, ...ORCHESTRATIONS] },
    },
    {
      name: 'orchestrations-are-deterministic',
      comment:
        'Orchestrations and their steps replay: they use the domain, contracts and other steps only, ' +
        'no adapter, setting, activity, use case or Node module (I/O belongs in activities).',
      severity: 'error',
      from: { path: ORCHESTRATIONS },
      to: {
        pathNot: [
          DOMAIN,
          CONTRACTS,
          ...ORCHESTRATIONS,
          '^durable-functions$',
          'node_modules/durable-functions/',
        ],
      },
    },
    {
      name: 'activities-stay-below-orchestrations',
      comment:
        'Activities do one side effect each; they never start or shape orchestrations or answer callers.',
      severity: 'error',
      from: { path: ACTIVITIES },
      to: { path: [TRANSPORTS, ENTRY, USE_CASES, ...ORCHESTRATIONS] },
    },
    {
      name: 'services-stay-below-use-cases',
      comment:
        'Services shared by use cases and activities use adapters, settings, contracts and the domain.',
      severity: 'error',
      from: { path: SERVICES },
      to: { path: [TRANSPORTS, ENTRY, USE_CASES, ACTIVITIES, ...ORCHESTRATIONS] },
    },
    {
      name: 'contracts-are-vocabulary',
      comment: 'A contract names things and shapes data: it imports the domain and other contracts only.',
      severity: 'error',
      from: { path: CONTRACTS },
      to: { pathNot: [DOMAIN, CONTRACTS] },
    },
    {
      name: 'src-stays-out-of-stand-ins-and-tools',
      comment:
        'The app never imports the stand-ins (devhost, sandbox, as folders or packages), the tools, ' +
        'the tests or the benchmarks.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: OUTSIDE_THE_APP },
    },
    {
      name: 'no-circular',
      comment: 'No cycles anywhere in the app.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-dev-dependencies-in-src',
      comment: 'The app runs with its dependencies only; devDependencies are for tests and tools.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import of the app resolves (a package that is not installed is not a dependency).',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      comment: 'Every module of the app is used: the entry reaches it, or it reaches something.',
      severity: 'error',
      from: { path: '^src/', orphan: true, pathNot: ENTRY },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^(devhost|sandbox|tools|test|bench)/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json', '.d.ts'],
      mainFields: ['main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
