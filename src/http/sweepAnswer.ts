// The HTTP answer to a request for a sweep (of the fleet or of one registry): 202 with where to follow
// it, 409 naming the sweep that is still running, or 503 when the engine would not start it.
import type { HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';

import { requestSweep } from '../app/healing/healing.useCases';
import { EngineUnavailableError, operationUrl } from '../app/operations/operations.useCases';
import type { SweepRequest } from '../domain';
import { problem, problemResponse } from './problem';

export async function startSweepAnswer(
  client: DurableClient,
  sweep: SweepRequest,
  busy: string,
  target?: string,
): Promise<HttpResponseInit> {
  const start = await requestSweep(client, sweep);
  // Not "in progress": nothing runs, the engine would not take the work (503, try again).
  if (!start.started && !start.busy) throw new EngineUnavailableError(start.reason);
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
