// Pure domain types and rules: no I/O and no SDK imports, so every layer may depend on them.
export {
  collectErrors,
  fieldErrorsOf,
  listErrors,
  MAX_ECHOED_VALUE_LENGTH,
  MAX_LISTED_ERRORS,
  throwIfAny,
  truncate,
  ValidationError,
  ValidationErrors,
} from './validationError';
export type { FieldError, ListedErrors } from './validationError';
export {
  expectBoolean,
  expectObject,
  expectString,
  isJsonObject,
  optionalField,
  ownField,
  requiredField,
  unknownFieldErrors,
} from './jsonFields';
export type { JsonObject } from './jsonFields';
export {
  formatRegistryId,
  formatReplicaId,
  isValidReplicaName,
  parseRegistryId,
  parseReplicaId,
  registryId,
  registryKey,
  registryOfReplica,
  replicaId,
  replicaKey,
  resourceIdShape,
  sameRegistry,
  sameReplica,
  validateRegistryName,
  validateReplicaName,
  validateResourceGroup,
  validateSubscriptionId,
} from './resourceId';
export type { RegistryId, ReplicaId } from './resourceId';
export { defaultReplicaName, normaliseRegion, sameRegion } from './region';
export { MAX_TAG_NAME_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS, parseTags, sameTags } from './tags';
export type { Tags } from './tags';
export {
  applyUpdate,
  BODY_FIELD,
  DEFAULT_REPLICA_SETTINGS,
  diffSettings,
  parseCreateReplicaRequest,
  parseUpdateReplicaRequest,
  parseZoneRedundancy,
} from './replicaSettings';
export type {
  CreateReplicaRequest,
  ReplicaSettings,
  SettingName,
  UpdateReplicaRequest,
  ZoneRedundancy,
} from './replicaSettings';
export {
  auditAnchorBlobName,
  auditAnchorPrefix,
  auditIndexPrefix,
  auditIndexRowKey,
  auditPartition,
  auditRowKeyRange,
  boundedDetail,
} from './audit';
export type { AuditActor, AuditChannel, AuditEntry, AuditOutcome, AuditRecord } from './audit';
export {
  GENESIS_HASH,
  anchorMac,
  auditHash,
  auditRowKey,
  canonicalJson,
  digest,
  entryMac,
  formatAnchorLine,
  headMac,
  parseAnchorLines,
  signingKeyId,
  verifyChain,
} from './auditChain';
export type {
  ChainAnchor,
  ChainBreak,
  ChainBreakKind,
  ChainEvidence,
  ChainHead,
  ChainVerdict,
  ChainedEntry,
  StoredChainEntry,
} from './auditChain';
export {
  AUDIT_EXPORT_CONTENT_TYPE,
  AUDIT_EXPORT_FORMAT,
  AUDIT_EXPORT_VERSION,
  formatAuditExport,
  parseAuditExport,
  verifyAuditExport,
} from './auditExport';
export type { AuditExportHeader, AuditExportSeal, AuditExportVerdict } from './auditExport';
export {
  MAX_KEY_CHARS,
  shortenDeterministically,
  subscriptionKeyRange,
  tableKey,
  tableKeyProblem,
  toKeySafe,
} from './tableKey';
export {
  FUNCTION_KEY_ACTOR_ID,
  approvalPolicyFor,
  judgeDecider,
  samePerson,
  waitingOperationOf,
} from './approval';
export type {
  ApprovalPolicy,
  ApprovalSettings,
  CurrentSlackRules,
  Decider,
  DecisionRefusal,
  DecisionVerdict,
  RequestOrigin,
} from './approval';
export { DEFAULT_POLLING, POLL_PROPORTION, pastDeadline, pollDelaySeconds } from './polling';
export type { PollingPolicy } from './polling';
export type { ChatReplyTarget } from './chatReplyTarget';
export {
  AWAITS_PER_GENERATION,
  PERMISSION_WAIT_LIMIT,
  permissionWaitSeconds,
  describeArmActions,
  judgeState,
  planArmActions,
  replicaInstanceId,
} from './replicaOperation';
export type {
  ArmAction,
  CurrentReplica,
  OperationPhase,
  OperationProgress,
  OperationResult,
  OperationStatus,
  PrivateLinkPlan,
  ReplicaOperationInput,
  ReplicaOperationKind,
  ReplicaOperationRequest,
  StateVerdict,
} from './replicaOperation';
export { inScope, isEmptyScope, parseRegistryScope } from './registryScope';
export { parseOperationId } from './operationId';
export { MAX_INSTANCE_ID_LENGTH, MAX_NAMED_INSTANCE_ID_LENGTH, namedInstanceId } from './instanceId';
export { parseTimestamp } from './timestamp';
export type { RegistryScope } from './registryScope';
export {
  APPROVAL_EVENT,
  HEAL_POLICY_TAG,
  PRIVATE_LINK_ACTION,
  STUCK_AFTER_TAG,
  diagnose,
  healPolicyFor,
  isSuspect,
  isTerminal,
  parseHealPolicy,
  stuckAfterMinutesFor,
} from './healing';
export type {
  ApprovalDecision,
  Diagnosis,
  HealOutcome,
  HealPolicy,
  HealRequest,
  HealResult,
  ReplicaEvidence,
} from './healing';
export { actionMatches, deterministicGuid, permitsAction } from './permissions';
export type { PermissionEntry } from './permissions';
export { parseArmResourceId, scopeParameter, subscriptionScopeOf } from './armResource';
export type { ArmResource } from './armResource';
export {
  SWEEP_INSTANCE_ID,
  SWEEP_SAMPLE_SIZE,
  registrySweepInstanceId,
  emptySummary,
  summaryCounts,
  tally,
  tallyScanFailure,
} from './sweep';
export {
  HEAL_POLL_MAX_SECONDS,
  LISTING_LEAD,
  MAX_QUEUED_SUSPECTS,
  LISTING_PAGE_SIZE,
  MAX_SCAN_BATCH,
  MIN_SCAN_BATCH,
  MAX_SLOTS_PER_SCAN,
  REGISTRIES_PER_SOURCE,
  EVENTS_OF_AN_EXECUTION,
  EVENTS_PER_TASK,
  SWEEP_EVENTS_PER_EXECUTION,
  adaptWindow,
  fillWindow,
  nextScanBatch,
  positionsLeft,
  refillDue,
  restUntil,
  secondsLeft,
  singleRegistrySource,
  slotsPerScan,
  sweepSources,
  tasksFit,
} from './sweepSchedule';
export type { ListedRegistry, PositionRange, ScanRange, SweepPace, SweepSource } from './sweepSchedule';
export {
  ARM_READ_BUDGET,
  SWEEP_READ_RESERVE,
  SWEEP_READ_WAIT_MS,
  estimatedReads,
  readWaitMs,
} from './armBudget';
export type { BudgetReport, ReadBudgetLimits, ReadBudgetView } from './armBudget';
export type { SweepCounts, SweepEntry, SweepRequest, SweepSummary } from './sweep';
export { isPremium, summariseReplicas } from './registryView';
export type { ProvisioningState, RegistryView, ReplicaSummary, ReplicaView } from './registryView';
export { healPlan } from './healPlan';
export type { MissingPermission } from './healPlan';
export {
  MAX_DECLARED_REPLICAS,
  declarationFromReplicas,
  desiredReplicasInstanceId,
  diffDeclarations,
  effectiveSettings,
  hasOwnSettings,
  homeRegionEntriesWithSettings,
  isEmptyDiff,
  parseDesiredReplicaSet,
  parseImportOptions,
} from './desiredReplicaSet';
export type {
  DeclarationDiff,
  DeclaredReplica,
  DeclaredSettings,
  DesiredReplicaSet,
  DriftPolicy,
  ValueChange,
} from './desiredReplicaSet';
export {
  CHANGING_KINDS,
  ESTIMATES,
  LARGE_REGISTRY_GIB,
  approvalRule,
  describeStep,
  driftOf,
  estimateTotalMinutes,
  formatMinutes,
  hasDrift,
  isChange,
  planReplicaSet,
} from './replicaSetPlan';
export type {
  ApplyTrigger,
  ApprovalContext,
  PlanInput,
  PlanStep,
  PlanStepKind,
  ReplicaSetDrift,
  ReplicaSetPlan,
  Risk,
  SettingChange,
} from './replicaSetPlan';
export { declarationEtag, preconditionHolds } from './writePrecondition';
export type { WritePrecondition } from './writePrecondition';
export { isActiveRuntimeStatus } from './runtimeStatus';
