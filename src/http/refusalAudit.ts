// A change request refused at the edge (bad input, too large, outside the scope, a dependency down) is
// recorded in the audit trail like every other request. Best effort: nothing changes either way, and the
// caller should learn what was wrong even when the audit trail is down.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { auditRequestBestEffort } from '../app/audit/audit.useCases';
import { formatRegistryId } from '../domain';
import { callerOf } from './caller';
import { registryFromRoute } from './registryRoute';

const PROBLEM_PREFIX = 'urn:acr-replica-guard:problem:';
/** Longest path recorded as the target of a request whose route names no valid registry. */
const MAX_TARGET_LENGTH = 512;

/** The registry a request names when its route is valid, else the path it asked for (shortened). */
export function refusedTarget(request: HttpRequest): string {
  try {
    return formatRegistryId(registryFromRoute(request));
  } catch {
    return new URL(request.url).pathname.slice(0, MAX_TARGET_LENGTH);
  }
}

/**
 * Records `answer` (a problem+json refusal of a request for `operation` on `target`) and returns it.
 * The detail repeats the answer's status, type and listed errors, which are already bounded.
 */
export async function auditRefusal(
  request: HttpRequest,
  context: InvocationContext,
  operation: string,
  target: string,
  answer: HttpResponseInit,
): Promise<HttpResponseInit> {
  const problem = parseProblem(answer);
  if (problem.type === 'audit-unavailable') return answer;
  await auditRequestBestEffort(
    {
      actor: callerOf(request),
      channel: 'api',
      operation,
      target,
      step: 'requested',
      outcome: 'refused',
      detail: {
        status: answer.status,
        refusal: problem.type,
        ...(problem.errors === undefined ? {} : { errors: problem.errors }),
        ...(problem.omittedErrors === undefined ? {} : { omittedErrors: problem.omittedErrors }),
      },
    },
    `refused|${target}`,
    'a refused request',
    (message) => context.warn(message),
  );
  return answer;
}

function parseProblem(answer: HttpResponseInit): {
  type?: string;
  errors?: unknown;
  omittedErrors?: unknown;
} {
  try {
    const body = JSON.parse(typeof answer.body === 'string' ? answer.body : '{}') as Record<string, unknown>;
    const type = typeof body.type === 'string' ? body.type.replace(PROBLEM_PREFIX, '') : undefined;
    return {
      ...(type === undefined ? {} : { type }),
      errors: body.errors,
      omittedErrors: body.omittedErrors,
    };
  } catch {
    return {};
  }
}
