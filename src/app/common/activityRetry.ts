// How every orchestration retries its activities, so a transient fault is retried alike wherever it
// happens.
import * as df from 'durable-functions';

/**
 * Transient failures (throttling, ARM hiccups, storage blips, a replica name ARM still holds just after a
 * delete) are retried by Durable with backoff: 2, 4, 8, 16, 32, 60, 60 s — about three minutes in all.
 */
export const ACTIVITY_RETRY = new df.RetryOptions(2000, 8);
ACTIVITY_RETRY.backoffCoefficient = 2;
ACTIVITY_RETRY.maxRetryIntervalInMilliseconds = 60000;
