// The HTTP answer to a request for a sweep (of the fleet or of one registry): start it, or say which one
// is still running.
import type { HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';

import type { SweepRequest } from '../domain';
import { problem, problemResponse } from '../http/problem';
import { operationUrl } from './replicaOperationStarter';
import { auditSweepRequest, startSweep, sweepInstanceId } from './sweepStarter';

export async function startSweepAnswer(
  client: DurableClient,
  sweep: SweepRequest,
  busy: string,
  target?: string,
): Promise<HttpResponseInit> {
  const instanceId = sweepInstanceId(sweep);
  const location = operationUrl(instanceId);
  const start = await startSweep(client, sweep);
  if (!start.started && !start.busy) {
    // Not "in progress": nothing runs. The caller gets a 500 naming the invocation; the log has why.
    await auditSweepRequest(sweep, 'failed', { reason: start.reason });
    throw new Error(start.reason);
  }
  if (!start.started) {
    await auditSweepRequest(sweep, 'refused', { refusal: 'sweep-in-progress', reason: start.reason });
    return problemResponse(
      problem(409, 'sweep-in-progress', busy, { operationId: instanceId, operationLocation: location }),
    );
  }
  return {
    status: 202,
    headers: { location, 'retry-after': '10' },
    jsonBody: {
      operationId: instanceId,
      operation: 'sweep',
      ...(target === undefined ? {} : { target }),
      dryRun: sweep.dryRun,
      status: location,
    },
  };
}
