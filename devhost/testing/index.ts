// The devhost's test kit (`@acr-replica-guard/devhost/testing`): HTTP calls, polling, the storage
// connection and task hubs, a client for the Durable HTTP API, and the fixture apps. For tests and
// benchmarks only.

export { call, eventually, readLines, storageConnectionString, tempDir, uniqueHub } from './devhostTestKit';
export type { HttpResult } from './devhostTestKit';
export { DurableApi } from './durableClient';
export { fixtureApp } from './fixtureApp';
export type { InstanceStatus } from './durableClient';
