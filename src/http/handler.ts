// Wraps every HTTP handler so that whatever goes wrong, the caller gets an RFC 9457 answer: input errors
// name their fields, dependencies that fail say which, and nothing escapes as a bare 500.
import { RestError } from '@azure/core-rest-pipeline';
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { AuditUnavailableError } from '../azure/auditStore';
import { fieldErrorsOf } from '../domain';
import { problem, problemResponse } from './problem';

export function withProblems(
  handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return toProblemResponse(error, context);
    }
  };
}

export function toProblemResponse(error: unknown, context: InvocationContext): HttpResponseInit {
  const fields = fieldErrorsOf(error);
  if (fields !== undefined) {
    return problemResponse(
      problem(400, 'validation', 'Some fields of the request are not valid.', {
        errors: fields.map(({ field, reason }) => ({ field, reason })),
      }),
    );
  }
  if (error instanceof AuditUnavailableError) {
    context.error(error.message);
    return problemResponse(
      problem(
        503,
        'audit-unavailable',
        error.access === 'read'
          ? 'The audit trail cannot be read just now. Try again later.'
          : 'The audit trail cannot be written, so nothing was changed. Try again later.',
      ),
      { 'retry-after': '30' },
    );
  }
  if (error instanceof RestError) {
    context.warn(`Azure answered ${String(error.statusCode)} ${error.code ?? ''}: ${error.message}`);
    const status = error.statusCode === 429 || error.statusCode === 503 ? 503 : 502;
    return problemResponse(
      problem(status, 'azure-error', `Azure answered ${String(error.statusCode ?? 'without a status')}.`, {
        azureStatus: error.statusCode,
        azureCode: error.code,
      }),
    );
  }
  context.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return problemResponse(
    problem(
      500,
      'internal',
      `Something went wrong on our side; the invocation id is ${context.invocationId}.`,
      {
        invocationId: context.invocationId,
      },
    ),
  );
}
