// Retry delays as DurableTask.Core's RetryInterceptor computes them, with the extension's defaults.
import type { RetryOptionsJson } from './actions';

/**
 * The Azure Storage provider's longest time-based delay (AzureStorageDurabilityProvider.MaximumDelayTime);
 * also the extension's default maximum retry interval (RetryOptions.DefaultMaxRetryinterval).
 */
export const MAXIMUM_DELAY_MS = 6 * 86_400_000;

/**
 * Delay before the next attempt: first interval times backoff^attempt, capped by the maximum interval
 * (six days unless set); zero (give up) once the retry timeout has passed. `attempt` counts from 0 for
 * the first failure.
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
  const cap =
    options.maxRetryIntervalInMilliseconds !== undefined && options.maxRetryIntervalInMilliseconds > 0
      ? options.maxRetryIntervalInMilliseconds
      : MAXIMUM_DELAY_MS;
  return delay < cap ? delay : cap;
}
