// GET /api/operations: the operations under way and those of the last days (replica operations, heals,
// sweeps), newest first, in pages, with who may decide on those waiting for an approval.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { listOperations, withApprovals } from '../app/operations/listOperations.useCases';
import type { ListedOperation, OperationStatusFilter } from '../app/operations/listOperations.useCases';
import { collectErrors, ValidationError, ValidationErrors } from '../domain';
import { toProblemResponse } from '../http/handler';
import { nextPageLink } from '../http/nextLink';
import { CONTINUATION_TOKEN_PARAMETER, unwrapPageToken, wrapPageToken } from '../http/pageToken';
import {
  integerInRange,
  optionalParameter,
  requestQuery,
  unknownParameterErrors,
} from '../http/queryParameters';
import { readBodyWithin } from '../http/requestBody';
import { NO_BODY_LIMIT_BYTES } from '../http/requestLimits';

export const LIST_OPERATIONS_FUNCTION = 'listOperations';

const FILTERS: readonly OperationStatusFilter[] = ['active', 'finished', 'failed', 'all'];
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

interface ListQuery {
  status: OperationStatusFilter;
  pageSize: number;
  offset: number;
}

export async function listOperationsHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  try {
    await readBodyWithin(request, NO_BODY_LIMIT_BYTES);
    const { status, pageSize, offset } = readQuery(requestQuery(request));
    const client = df.getClient(context);
    const all = await listOperations(client, status, new Date());
    const value = (await withApprovals(client, all.slice(offset, offset + pageSize))).map(toView);
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (offset + pageSize >= all.length) return { status: 200, headers, jsonBody: { value } };
    const continuationToken = wrapPageToken({ status, pageSize }, String(offset + pageSize));
    headers.link = nextPageLink(request.url, CONTINUATION_TOKEN_PARAMETER, continuationToken);
    return { status: 200, headers, jsonBody: { value, continuationToken } };
  } catch (error) {
    return toProblemResponse(error, context);
  }
}

function readQuery(query: URLSearchParams): ListQuery {
  const errors = unknownParameterErrors(query, ['status', 'pageSize', CONTINUATION_TOKEN_PARAMETER]);
  const status = collectErrors<OperationStatusFilter>(errors, 'all', () => {
    const value = optionalParameter(query, 'status') ?? 'all';
    if (!(FILTERS as readonly string[]).includes(value))
      throw new ValidationError('status', `must be one of ${FILTERS.join(', ')}`, value);
    return value as OperationStatusFilter;
  });
  const pageSize = collectErrors(errors, DEFAULT_PAGE_SIZE, () => {
    const value = optionalParameter(query, 'pageSize');
    return value === undefined ? DEFAULT_PAGE_SIZE : integerInRange(value, 'pageSize', 1, MAX_PAGE_SIZE);
  });
  const offset = collectErrors(errors, 0, () => {
    const token = optionalParameter(query, CONTINUATION_TOKEN_PARAMETER);
    return token === undefined ? 0 : Number(unwrapPageToken({ status, pageSize }, token));
  });
  if (errors.length > 0) throw new ValidationErrors(errors);
  return { status, pageSize, offset };
}

function toView({ status, approval }: ListedOperation): Record<string, unknown> {
  const custom = (status.customStatus ?? {}) as Record<string, unknown>;
  return {
    operationId: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    ...custom,
    createdTime: status.createdTime,
    lastUpdatedTime: status.lastUpdatedTime,
    ...(status.output === undefined || status.output === null ? {} : { result: status.output }),
    ...(approval === undefined
      ? {}
      : {
          approval: {
            requestedBy: approval.requestedBy,
            allowSelf: approval.allowSelf,
            rest: approval.rest,
            ...(approval.slack === undefined ? {} : { slackApprovers: approval.slack.approvers }),
          },
        }),
  };
}

app.http(LIST_OPERATIONS_FUNCTION, {
  route: 'operations',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: listOperationsHandler,
});
