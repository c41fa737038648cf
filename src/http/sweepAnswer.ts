// The HTTP answer to a request for a sweep (of the fleet or of one registry): 202 with where to follow
// it, or 409 naming the sweep that is still running.
import type { HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';

import { requestSweep } from '../app/healing/healing.useCases';
import { operationUrl } from '../app/operations/operations.useCases';
import type { SweepRequest } from '../domain';
import { problem, problemResponse } from './problem';

export async function startSweepAnswer(
  client: DurableClient,
  sweep: SweepRequest,
  busy: string,
  target?: string,
): Promise<HttpResponseInit> {
  const start = await requestSweep(client, sweep);
  // Not "in progress": nothing runs. The caller gets a problem naming the invocation; the log has why.
  if (!start.started && !start.busy) throw new Error(start.reason);
  const location = operationUrl(start.instanceId);
  if (!start.started) {
    return problemResponse(
      problem(409, 'sweep-in-progress', busy, { operationId: start.instanceId, operationLocation: location }),
    );
  }
  return {
    status: 202,
    headers: { location, 'retry-after': '10' },
    jsonBody: {
      operationId: start.instanceId,
      operation: 'sweep',
      ...(target === undefined ? {} : { target }),
      dryRun: sweep.dryRun,
      status: location,
    },
  };
}
