// Counts ARM's throttling and the client's retries: a pipeline policy placed after the retry policy, so it
// sees every attempt of every request the ARM clients send (429 answers, and attempts after the first),
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

/** What the ARM clients' factory hands out: SDK clients, each with its HTTP pipeline. */
interface PipelineOwner {
  pipeline: {
    addPolicy(policy: PipelinePolicy, options?: { afterPhase?: 'Retry' }): void;
    getOrderedPolicies(): PipelinePolicy[];
  };
}

function hasPipeline(value: unknown): value is PipelineOwner {
  const pipeline = (value as { pipeline?: unknown } | null)?.pipeline;
  return typeof pipeline === 'object' && pipeline !== null && 'addPolicy' in pipeline;
}

/**
 * The factory `clients`, whose methods hand out SDK clients with the policy added to their pipelines
 * (once per client, after the retry policy). Every client method is covered, whatever its name.
 */
export function withArmRequestTelemetry<T extends object>(clients: T): T {
  const policy = armRequestTelemetryPolicy();
  return new Proxy(clients, {
    get(target, property, receiver): unknown {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const made: unknown = Reflect.apply(value, target, args);
        if (
          hasPipeline(made) &&
          !made.pipeline.getOrderedPolicies().some((p) => p.name === ARM_REQUEST_TELEMETRY_POLICY)
        ) {
          made.pipeline.addPolicy(policy, { afterPhase: 'Retry' });
        }
        return made;
      };
    },
  });
}
