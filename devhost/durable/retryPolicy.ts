import type { RetryOptionsJson } from './actions';

/**
 * Delay before the next attempt, as DurableTask.Core's RetryInterceptor computes it: first interval times
 * backoff^attempt, capped by the maximum interval; zero (give up) once the retry timeout has passed.
 * `attempt` counts from 0 for the first failure.
 */
export function nextRetryDelayMs(
  options: RetryOptionsJson,
  attempt: number,
  firstAttemptAt: Date,
  now: Date,
): number {
  const timeout = options.retryTimeoutInMilliseconds;
  if (timeout !== undefined && timeout > 0 && now.getTime() >= firstAttemptAt.getTime() + timeout) {
    return 0;
  }
  const backoff = options.backoffCoefficient ?? 1;
  const delay = options.firstRetryIntervalInMilliseconds * Math.pow(backoff, attempt);
  const cap = options.maxRetryIntervalInMilliseconds;
  return cap !== undefined && cap > 0 && delay >= cap ? cap : delay;
}
