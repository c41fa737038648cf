// The actions durable-functions returns from an orchestrator invocation (OrchestratorState.actions),
// as they arrive after JSON serialization by the worker.

export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  ScheduledSignalEntity = 10,
  WhenAny = 11,
  WhenAll = 12,
  LockEntities = 13,
  ReleaseEntities = 14,
}

export interface RetryOptionsJson {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface OrchestratorAction {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryOptionsJson;
  instanceId?: string;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: OrchestratorAction[];
}

/** The state an orchestrator invocation returns (durable-functions OrchestratorState). */
export interface OrchestratorStateJson {
  isDone: boolean;
  actions: OrchestratorAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion?: number;
}

export const actionTypeName = (type: ActionType): string => ActionType[type] ?? `ActionType ${String(type)}`;

/** How the Durable extension stores an action input: the JSON text of the value it received. */
export const inputJson = (input: unknown): string | null =>
  input === undefined ? null : JSON.stringify(input);

export function isOrchestratorState(value: unknown): value is OrchestratorStateJson {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const candidate = value as Record<string, unknown>;
  return typeof candidate.isDone === 'boolean' && Array.isArray(candidate.actions);
}

/** Schema V2+ nests all actions in one array; V1 keeps one array per replay episode. */
export const flattenActions = (state: OrchestratorStateJson): OrchestratorAction[] => state.actions.flat();
