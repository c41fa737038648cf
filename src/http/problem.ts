// One error shape for every HTTP answer: RFC 9457 problem details (application/problem+json).
import type { HttpResponseInit } from '@azure/functions';

export interface FieldProblem {
  field: string;
  reason: string;
}

export interface Problem {
  /** A URN naming the problem type; the README lists them under "Errors". */
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Offending input fields (400). */
  errors?: FieldProblem[];
  /** Extension members, e.g. `operationId` or `operationLocation` for a 409. */
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'The request is not valid',
  401: 'Authentication is required',
  403: 'The caller may not do this',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'The request body is too large',
  415: 'Unsupported media type',
  422: 'The request cannot be carried out',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'Azure Resource Manager failed',
  503: 'A dependency is unavailable',
};

export function problem(
  status: number,
  type: string,
  detail?: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return {
    type: `urn:acr-replica-guard:problem:${type}`,
    title: TITLES[status] ?? 'Error',
    status,
    ...(detail === undefined ? {} : { detail }),
    ...extensions,
  };
}

export function problemResponse(value: Problem, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status: value.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(value),
  };
}
