// The Durable runtime states in which an instance still holds its id, so that a new top-level start under
// it would be refused. One list, for the starters and for whoever follows an operation.
const ACTIVE = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

/** Whether an instance in this runtime state is still under way. */
export function isActiveRuntimeStatus(runtimeStatus: unknown): boolean {
  return ACTIVE.has(String(runtimeStatus));
}
