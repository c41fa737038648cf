// Public surface of the ARM sandbox: what the app's tools, benchmarks and end-to-end tests use.
// Everything else is internal to the package.

export {
  DEFAULT_IDENTITY_HEADER,
  DEFAULT_TENANT_ID,
  DEFAULT_TIMINGS,
  MANAGED_IDENTITY_PATH,
  defaultTlsDir,
  demoSeedFile,
  operationNameFor,
  startSandbox,
} from './server';
export { SeedError, readSeedFile } from './seed';
export { ArmError } from './types';
export type {
  FaultMatch,
  FaultRule,
  Principal,
  ProvisioningTimings,
  RunningSandbox,
  SandboxOptions,
  SeedDocument,
  SeedPermission,
  SeedPrincipal,
  SeedRegistry,
  SeedReplica,
  SeedRoleAssignment,
  SeedRoleDefinition,
  SeedSubscription,
} from './types';
