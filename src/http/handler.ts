// Wraps every HTTP handler so that whatever goes wrong, the caller gets an RFC 9457 answer: input errors
// name their fields (a bounded number of them), dependencies that fail say which, and nothing escapes as
// a bare 500.
import { RestError } from '@azure/core-rest-pipeline';
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { engineFailureOf } from '../app/operations/operations.useCases';
import { AuditUnavailableError } from '../azure/auditStore';
import { fieldErrorsOf, listErrors } from '../domain';
import { problem, problemResponse } from './problem';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './requestBody';

/** How long a caller should wait before retrying when storage (the audit trail or the engine) is down. */
export const STORAGE_RETRY_AFTER_SECONDS = 30;

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
    const { errors, omittedErrors } = listErrors(fields);
    return problemResponse(
      problem(400, 'validation', 'Some fields of the request are not valid.', {
        errors: errors.map(({ field, reason }) => ({ field, reason })),
        ...(omittedErrors === undefined ? {} : { omittedErrors }),
      }),
    );
  }
  if (error instanceof PayloadTooLargeError) {
    return problemResponse(
      problem(413, 'payload-too-large', `The request body must be at most ${error.limitBytes} bytes.`, {
        limitBytes: error.limitBytes,
      }),
    );
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return problemResponse(
      problem(415, 'unsupported-media-type', `The request body must be ${error.expected}.`),
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
      { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) },
    );
  }
  const engine = engineFailureOf(error);
  if (engine !== undefined) {
    context.error(engine.message);
    return problemResponse(
      problem(
        503,
        'engine-unavailable',
        'The orchestration engine (its storage) cannot be reached, so nothing was started. Try again later.',
      ),
      { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) },
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
