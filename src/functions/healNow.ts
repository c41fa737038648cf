// POST /api/heal[?dryRun=true]: a sweep over the whole scope now, with the caller as its actor. One
// sweep at a time: 409 while one runs.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { sweepRequest } from '../app/healing/healing.useCases';
import { SWEEP_INSTANCE_ID, throwIfAny } from '../domain';
import type { ValidationError } from '../domain';
import { callerOf } from '../http/caller';
import { readDryRunQuery } from '../http/dryRun';
import { toProblemResponse } from '../http/handler';
import { requestQuery } from '../http/queryParameters';
import { auditRefusal } from '../http/refusalAudit';
import { readBodyWithin } from '../http/requestBody';
import { NO_BODY_LIMIT_BYTES } from '../http/requestLimits';
import { startSweepAnswer } from '../http/sweepAnswer';

export const HEAL_NOW_FUNCTION = 'healNow';

export async function healNow(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    await readBodyWithin(request, NO_BODY_LIMIT_BYTES);
    const errors: ValidationError[] = [];
    const dryRun = readDryRunQuery(requestQuery(request), errors);
    throwIfAny(errors);
    const sweep = sweepRequest({ kind: 'rest', actor: callerOf(request) }, dryRun);
    // A sweep that is still running is audited as refused where the sweep is requested.
    return await startSweepAnswer(df.getClient(context), sweep, 'A sweep is still running.');
  } catch (error) {
    return auditRefusal(request, context, 'sweep', SWEEP_INSTANCE_ID, toProblemResponse(error, context));
  }
}

app.http(HEAL_NOW_FUNCTION, {
  route: 'heal',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: healNow,
});
