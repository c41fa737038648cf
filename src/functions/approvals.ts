// POST /api/operations/{id}/approval: approve or reject an operation that waits for approval. The caller
// decides only when the operation's approval policy lets REST decide (it does for operations started over
// REST or by the schedule) and the caller is not approving their own request; the orchestration records
// the decision in the audit trail, and a refused one is audited here.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import {
  ValidationError,
  expectBoolean,
  fieldErrorsOf,
  isJsonObject,
  parseOperationId,
  throwIfAny,
  unknownFieldErrors,
} from '../domain';
import { callerOf } from '../http/caller';
import { toProblemResponse } from '../http/handler';
import { problem, problemResponse } from '../http/problem';
import { refuseUnknownParameters, requestQuery } from '../http/queryParameters';
import { readJsonBody } from '../http/requestBody';
import { APPROVAL_BODY_LIMIT_BYTES } from '../http/requestLimits';
import { deliverApproval } from '../app/approval/approval.useCases';

export const APPROVE_FUNCTION = 'approveOperation';

export async function approveOperation(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  try {
    const id = parseOperationId(request.params.id);
    const approved = await readDecision(request);
    const approver = callerOf(request);
    const delivery = await deliverApproval(
      df.getClient(context),
      id,
      approved,
      { channel: 'api', actor: approver },
      (message) => context.warn(message),
    );
    if (delivery.outcome === 'not-found')
      return problemResponse(problem(404, 'operation-not-found', `No operation ${id}.`));
    if (delivery.outcome === 'not-waiting') {
      return problemResponse(
        problem(
          409,
          'not-awaiting-approval',
          `Operation ${id} is not waiting for an approval (it is ${delivery.state}).`,
        ),
      );
    }
    if (delivery.outcome === 'refused') {
      return problemResponse(
        problem(403, 'approval-not-allowed', `You may not decide on operation ${id}: ${delivery.reason}.`, {
          refusal: delivery.refusal,
        }),
      );
    }
    return { status: 202, jsonBody: { operationId: id, approved, approver } };
  } catch (error) {
    return toProblemResponse(error, context);
  }
}

async function readDecision(request: HttpRequest): Promise<boolean> {
  let body: unknown;
  try {
    body = await readJsonBody(request, APPROVAL_BODY_LIMIT_BYTES);
  } catch (error) {
    if (fieldErrorsOf(error) === undefined) throw error;
    throw new ValidationError('body', 'a JSON object {"approved": true|false} is required');
  }
  refuseUnknownParameters(requestQuery(request), []);
  if (!isJsonObject(body))
    throw new ValidationError('body', 'a JSON object {"approved": true|false} is required');
  throwIfAny(unknownFieldErrors(body, ['approved']));
  return expectBoolean(body.approved, 'approved');
}

app.http(APPROVE_FUNCTION, {
  route: 'operations/{id}/approval',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: approveOperation,
});
