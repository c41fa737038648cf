// Counts ARM's throttling and the client's retries: a pipeline policy that ArmClients places after the
// retry policy of every client, so it sees every attempt of every request the ARM clients send (429 answers, and attempts after the first),
// and tells telemetry with the subscription and the kind of request (read, write, delete).
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { isRestError } from '@azure/core-rest-pipeline';

import type { Telemetry } from '../domain/telemetry';
import { telemetry } from '../telemetry/telemetry';

export const ARM_REQUEST_TELEMETRY_POLICY = 'armRequestTelemetry';

export function armRequestTelemetryPolicy(
  sink: () => Pick<Telemetry, 'armAnswered'> = telemetry,
): PipelinePolicy {
  // The retry policy sends the same request object again: its attempts are counted per object.
  const attempts = new WeakMap<PipelineRequest, number>();
  return {
    name: ARM_REQUEST_TELEMETRY_POLICY,
    async sendRequest(request, next): Promise<PipelineResponse> {
      const attempt = (attempts.get(request) ?? 0) + 1;
      attempts.set(request, attempt);
      const call = { method: request.method, url: request.url, attempt };
      try {
        const response = await next(request);
        sink().armAnswered({ ...call, status: response.status });
        return response;
      } catch (error) {
        const status = isRestError(error) ? error.statusCode : undefined;
        sink().armAnswered({ ...call, ...(status === undefined ? {} : { status }) });
        throw error;
      }
    },
  };
}
