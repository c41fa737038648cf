// POST /api/heal[?dryRun=true]: a sweep over the whole scope now, with the caller as its actor. One
// sweep at a time: 409 while one runs.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { SWEEP_INSTANCE_ID } from '../domain';
import { callerOf } from '../http/caller';
import { toProblemResponse } from '../http/handler';
import { problem, problemResponse } from '../http/problem';
import { parseDryRun } from '../http/dryRun';
import { operationUrl } from './replicaOperationStarter';
import { auditSweepRequest, startSweep, sweepRequest } from './sweepStarter';

export const HEAL_NOW_FUNCTION = 'healNow';

export async function healNow(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const sweep = sweepRequest(callerOf(request), 'api', parseDryRun(request));
    const location = operationUrl(SWEEP_INSTANCE_ID);
    const start = await startSweep(df.getClient(context), sweep);
    if (!start.started) {
      await auditSweepRequest(sweep, 'refused', { refusal: 'sweep-in-progress', reason: start.reason });
      return problemResponse(
        problem(409, 'sweep-in-progress', 'A sweep is still running.', {
          operationId: SWEEP_INSTANCE_ID,
          operationLocation: location,
        }),
      );
    }
    return {
      status: 202,
      headers: { location, 'retry-after': '10' },
      jsonBody: {
        operationId: SWEEP_INSTANCE_ID,
        operation: 'sweep',
        dryRun: sweep.dryRun,
        status: location,
      },
    };
  } catch (error) {
    return toProblemResponse(error, context);
  }
}

app.http(HEAL_NOW_FUNCTION, {
  route: 'heal',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: healNow,
});
