import { ValidationError } from './validationError';

export interface RegistryId {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly registryName: string;
}

export interface ReplicaId extends RegistryId {
  readonly replicaName: string;
}

/** A naming rule: the reason a value breaks it, or undefined when it complies. */
type Rule = (value: string) => string | undefined;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ARM's own pattern is [-\w._()]+ with .NET's Unicode \w: letters, non-spacing marks, decimal digits, connectors.
const RESOURCE_GROUP = /^[\p{L}\p{Mn}\p{Nd}\p{Pc}\-.()]+$/u;
const ACR_NAME = /^[a-zA-Z0-9]{5,50}$/;

const subscriptionIdRule: Rule = (value) =>
  GUID.test(value) ? undefined : 'must be a GUID such as 00000000-0000-0000-0000-000000000000';

const resourceGroupRule: Rule = (value) => {
  if (value.length < 1 || value.length > 90) return 'must be 1 to 90 characters long';
  if (!RESOURCE_GROUP.test(value)) {
    return 'may contain only letters, digits, underscores, hyphens, periods and parentheses';
  }
  return value.endsWith('.') ? 'must not end with a period' : undefined;
};

// Registry and replica names share one rule in the ARM specification.
const acrNameRule: Rule = (value) =>
  ACR_NAME.test(value) ? undefined : 'must be 5 to 50 characters, ASCII letters and digits only';

function check(rule: Rule, value: string, field: string): string {
  const problem = rule(value);
  if (problem !== undefined) throw new ValidationError(field, problem, value);
  return value;
}

/** Returns the subscription id in lower case, the form ARM itself returns. */
export function validateSubscriptionId(value: string, field = 'subscriptionId'): string {
  return check(subscriptionIdRule, value, field).toLowerCase();
}

export function validateResourceGroup(value: string, field = 'resourceGroup'): string {
  return check(resourceGroupRule, value, field);
}

export function validateRegistryName(value: string, field = 'registryName'): string {
  return check(acrNameRule, value, field);
}

export function validateReplicaName(value: string, field = 'replicaName'): string {
  return check(acrNameRule, value, field);
}

export function isValidReplicaName(value: string): boolean {
  return acrNameRule(value) === undefined;
}

export function registryId(subscriptionId: string, resourceGroup: string, registryName: string): RegistryId {
  return {
    subscriptionId: validateSubscriptionId(subscriptionId),
    resourceGroup: validateResourceGroup(resourceGroup),
    registryName: validateRegistryName(registryName),
  };
}

/** `registry` is already a validated RegistryId; only the replica name is checked. */
export function replicaId(registry: RegistryId, replicaName: string): ReplicaId {
  return { ...registryOfReplica(registry), replicaName: validateReplicaName(replicaName) };
}

/** The registry part alone (drops `replicaName`, so the result serialises as a plain RegistryId). */
export function registryOfReplica(replica: RegistryId): RegistryId {
  const { subscriptionId, resourceGroup, registryName } = replica;
  return { subscriptionId, resourceGroup, registryName };
}

export function formatRegistryId(id: RegistryId): string {
  return (
    `/subscriptions/${id.subscriptionId}/resourceGroups/${id.resourceGroup}` +
    `/providers/Microsoft.ContainerRegistry/registries/${id.registryName}`
  );
}

export function formatReplicaId(id: ReplicaId): string {
  return `${formatRegistryId(id)}/replications/${id.replicaName}`;
}

const REGISTRY_PATTERN = [
  ...['subscriptions', '', 'resourcegroups', '', 'providers', 'microsoft.containerregistry'],
  ...['registries', ''],
];
const REPLICA_PATTERN = [...REGISTRY_PATTERN, 'replications', ''];
const REGISTRY_SHAPE =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ContainerRegistry/registries/{registryName}';
const REPLICA_SHAPE = `${REGISTRY_SHAPE}/replications/{replicaName}`;

export function parseRegistryId(text: string, field = 'resourceId'): RegistryId {
  return partsToRegistry(splitId(text, REGISTRY_PATTERN, REGISTRY_SHAPE, field), text, field);
}

export function parseReplicaId(text: string, field = 'resourceId'): ReplicaId {
  const parts = splitId(text, REPLICA_PATTERN, REPLICA_SHAPE, field);
  return {
    ...partsToRegistry(parts, text, field),
    replicaName: checkPart(acrNameRule, parts[3] ?? '', 'replica name', text, field),
  };
}

/**
 * A canonical key (the lower-cased id) for maps and de-duplication, since ARM ids compare
 * case-insensitively. It contains `/`, which Table Storage keys and Durable instance ids reject:
 * encode it before using it there.
 */
export function registryKey(id: RegistryId): string {
  return formatRegistryId(id).toLowerCase();
}

/** See registryKey. */
export function replicaKey(id: ReplicaId): string {
  return formatReplicaId(id).toLowerCase();
}

/** Whether both name the same registry; for two replica ids, whether they belong to the same registry. */
export function sameRegistry(a: RegistryId, b: RegistryId): boolean {
  return registryKey(a) === registryKey(b);
}

export function sameReplica(a: ReplicaId, b: ReplicaId): boolean {
  return replicaKey(a) === replicaKey(b);
}

/**
 * Matches `text` against `pattern` (fixed segments in lower case, '' for a variable one), comparing fixed
 * segments case-insensitively as ARM does; returns the variable segments in order.
 */
function splitId(text: string, pattern: readonly string[], shape: string, field: string): string[] {
  const segments = segmentsFitting(text, pattern);
  if (segments === undefined)
    throw new ValidationError(field, `must be a resource id of the form ${shape}`, text);
  return segments.filter((_, i) => pattern[i] === '');
}

/** The segments of `text` when it has the pattern's shape; undefined otherwise. */
function segmentsFitting(text: string, pattern: readonly string[]): string[] | undefined {
  const withoutTrailingSlash = text.endsWith('/') ? text.slice(0, -1) : text;
  const [leading, ...segments] = withoutTrailingSlash.split('/');
  const fits =
    leading === '' &&
    segments.length === pattern.length &&
    pattern.every((fixed, i) => {
      const segment = segments[i] ?? '';
      return fixed === '' ? segment !== '' : segment.toLowerCase() === fixed;
    });
  return fits ? segments : undefined;
}

/**
 * Which kind of id `text` is shaped as (its names not yet checked), without the cost of an exception:
 * for callers that take either kind, such as telemetry on every scanned registry.
 */
export function resourceIdShape(text: string): 'registry' | 'replica' | undefined {
  if (segmentsFitting(text, REPLICA_PATTERN) !== undefined) return 'replica';
  if (segmentsFitting(text, REGISTRY_PATTERN) !== undefined) return 'registry';
  return undefined;
}

function partsToRegistry(parts: readonly string[], text: string, field: string): RegistryId {
  const [subscriptionId = '', resourceGroup = '', registryName = ''] = parts;
  return {
    subscriptionId: checkPart(
      subscriptionIdRule,
      subscriptionId,
      'subscription id',
      text,
      field,
    ).toLowerCase(),
    resourceGroup: checkPart(resourceGroupRule, resourceGroup, 'resource group name', text, field),
    registryName: checkPart(acrNameRule, registryName, 'registry name', text, field),
  };
}

// A bad segment is reported against the field the caller sent (the whole id), naming the segment.
function checkPart(rule: Rule, part: string, label: string, text: string, field: string): string {
  const problem = rule(part);
  if (problem !== undefined) throw new ValidationError(field, `${label} ${problem}`, text);
  return part;
}
