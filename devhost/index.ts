// Public surface of the devhost.

export { startDevHost, devHostMainScript } from './startDevHost';
export type { DevHostProcess, StartDevHostOptions } from './startDevHost';
export { runDevHost } from './host';
export type { DevHostOptions, FunctionSummary, RunningDevHost } from './host';
