// Orchestration names, shared by the registrations and their callers.
export const REPLICA_OPERATION_ORCHESTRATION = 'replicaOperation';
export const HEAL_REPLICA_ORCHESTRATION = 'healReplica';
export const SWEEP_ORCHESTRATION = 'healSweep';
