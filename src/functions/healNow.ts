// POST /api/heal[?dryRun=true]: a sweep over the whole scope now, with the caller as its actor. One
// sweep at a time: 409 while one runs.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { sweepRequest } from '../app/healing/healing.useCases';
import { callerOf } from '../http/caller';
import { toProblemResponse } from '../http/handler';
import { parseDryRun } from '../http/dryRun';
import { startSweepAnswer } from '../http/sweepAnswer';

export const HEAL_NOW_FUNCTION = 'healNow';

export async function healNow(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const sweep = sweepRequest({ kind: 'rest', actor: callerOf(request) }, parseDryRun(request));
    return await startSweepAnswer(df.getClient(context), sweep, 'A sweep is still running.');
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
