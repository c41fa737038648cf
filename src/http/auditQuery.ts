// The query parameters of GET /api/audit and GET /api/audit/verify, checked all at once so a caller
// learns every bad parameter in one answer.
import type { AuditQuery } from '../azure/auditStore';
import {
  collectErrors,
  formatRegistryId,
  parseRegistryId,
  parseReplicaId,
  parseTimestamp,
  registryOfReplica,
  throwIfAny,
  ValidationError,
} from '../domain';
import type { RegistryId } from '../domain';
import { CONTINUATION_TOKEN_PARAMETER, unwrapPageToken } from './pageToken';
import {
  boundedText,
  integerInRange,
  optionalParameter,
  requiredParameter,
  unknownParameterErrors,
} from './queryParameters';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
export const MAX_FILTER_LENGTH = 256;

const LIST_PARAMETERS = [
  'registry',
  'operation',
  'actor',
  'instanceId',
  'from',
  'to',
  'pageSize',
  CONTINUATION_TOKEN_PARAMETER,
] as const;
const VERIFY_PARAMETERS = ['registry'] as const;

export interface AuditListRequest {
  /** Normalised filters: the registry id in its canonical form, times in UTC ISO form. */
  query: AuditQuery;
  pageSize: number;
  /** The store's token for the next page, already checked against `query`. */
  storeToken?: string;
}

export function parseAuditListQuery(params: URLSearchParams): AuditListRequest {
  const errors = unknownParameterErrors(params, LIST_PARAMETERS);
  const read = <T>(name: string, parse: (value: string) => T): T | undefined =>
    collectErrors<T | undefined>(errors, undefined, () => {
      const value = optionalParameter(params, name);
      return value === undefined ? undefined : parse(value);
    });
  const text = (name: string): string | undefined =>
    read(name, (value) => boundedText(value, name, MAX_FILTER_LENGTH));

  const registry = read('registry', (value) => registryOfTarget(value, 'registry'));
  const operation = text('operation');
  const actor = text('actor');
  const instanceId = text('instanceId');
  const from = read('from', (value) => timestampParameter(value, 'from'));
  const to = read('to', (value) => timestampParameter(value, 'to'));
  if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) {
    errors.push(new ValidationError('from', 'must not be later than to'));
  }
  const pageSize =
    read('pageSize', (value) => integerInRange(value, 'pageSize', 1, MAX_PAGE_SIZE)) ?? DEFAULT_PAGE_SIZE;
  const token = read(CONTINUATION_TOKEN_PARAMETER, (value) => value);
  throwIfAny(errors);

  const query: AuditQuery = {
    ...(registry === undefined ? {} : { target: formatRegistryId(registry) }),
    ...(operation === undefined ? {} : { operation }),
    ...(actor === undefined ? {} : { actor }),
    ...(instanceId === undefined ? {} : { instanceId }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
  return {
    query,
    pageSize,
    ...(token === undefined ? {} : { storeToken: unwrapPageToken(query, token) }),
  };
}

export function parseAuditVerifyQuery(params: URLSearchParams): RegistryId {
  const errors = unknownParameterErrors(params, VERIFY_PARAMETERS);
  const registry = collectErrors<RegistryId | undefined>(errors, undefined, () =>
    registryOfTarget(requiredParameter(params, 'registry'), 'registry'),
  );
  throwIfAny(errors);
  return registry as RegistryId;
}

/** A `+` offset sent unencoded arrives as a space: say so rather than only that the value is wrong. */
function timestampParameter(value: string, name: string): string {
  if (/ \d{2}:\d{2}$/.test(value)) {
    throw new ValidationError(name, 'has a space before its offset; send + as %2B in a URL', value);
  }
  return parseTimestamp(value, name);
}

/** A registry id, or a replica id standing for its registry (the audit trail keeps both together). */
export function registryOfTarget(text: string, field: string): RegistryId {
  const looksLikeReplica = /\/replications\/[^/]*\/?$/i.test(text);
  return looksLikeReplica ? registryOfReplica(parseReplicaId(text, field)) : parseRegistryId(text, field);
}
