// Public surface of the devhost: starting it (as a child process or in this process), the host-format
// history types the Durable HTTP API returns, and the in-process pieces for tools that inspect an app's
// registrations without serving it.

export { READY_MARKER, devHostMainScript, startDevHost } from './startDevHost';
export type { DevHostProcess, StartDevHostOptions } from './startDevHost';
export { runDevHost } from './host';
export type { DevHostOptions, FunctionSummary, RunningDevHost } from './host';
export { EventType, OrchestrationStatus } from './durable/history';
export type { HistoryEvent } from './durable/history';
export { readLocalSettings } from './config/appSettings';
export { readHostConfig } from './config/hostJson';
export type { HostConfig } from './config/hostJson';
export { httpRoutes } from './http/httpTriggers';
export type { HttpRoute } from './http/httpTriggers';
export { consoleLogger } from './log';
export type { DevHostLogLevel, Logger } from './log';
export { WorkerRuntime } from './worker/coreModule';
export { loadApp } from './worker/loadApp';
// The host's rules as the devhost states them, for the app's tests that must keep within them.
export { instanceIdProblem } from './durable/instanceIdRules';
export { taskHubNameProblem } from './config/taskHubName';
export { durableClientBindingData } from './durable/clientBindingData';
