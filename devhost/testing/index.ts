// The devhost's test kit (`@acr-replica-guard/devhost/testing`): HTTP calls, polling, the storage
// connection and task hubs, and a client for the Durable HTTP API. For tests only.

export { call, eventually, readLines, storageConnectionString, tempDir, uniqueHub } from './devhostTestKit';
export type { HttpResult } from './devhostTestKit';
export { DurableApi } from './durableClient';
export type { InstanceStatus } from './durableClient';
