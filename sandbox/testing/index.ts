// The sandbox's test kit (`@acr-replica-guard/sandbox/testing`): a sandbox per test file, real SDK
// clients pointed at it, and the admin API. For tests only.

export {
  ARM_SCOPE,
  AdminClient,
  FAST_POLLING,
  SandboxTokenCredential,
  authorizationClient,
  registryClient,
  responseRecorder,
  startTestSandbox,
  subscriptionClient,
  trustedServerCertificate,
  trustedTlsDir,
} from './testSandbox';
export type { ClientOptions, RecordedResponse, RequestLogView, TestSandbox } from './testSandbox';
