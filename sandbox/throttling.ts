// ARM's request budget: a token bucket per principal, subscription (or tenant) and kind of request, as
// Azure Resource Manager throttles since 2024. Buckets refill in whole virtual seconds, so a faster clock
// refills them faster; an empty bucket answers 429 with the wall-clock seconds until its next refill.

/** Reads are GET and HEAD, deletes DELETE, and every other method a write. */
export type RequestKind = 'reads' | 'writes' | 'deletes';

export interface BucketLimit {
  /** Tokens a full bucket holds: the burst a caller may send at once. */
  burst: number;
  /** Tokens added at each whole second while the bucket is below its burst. */
  refillPerSecond: number;
}

export type ThrottlingLimits = Record<RequestKind, BucketLimit>;

/** learn.microsoft.com, "Understand how Azure Resource Manager throttles requests" (subscription and tenant alike). */
export const ARM_THROTTLING_LIMITS: ThrottlingLimits = {
  reads: { burst: 250, refillPerSecond: 25 },
  writes: { burst: 200, refillPerSecond: 10 },
  deletes: { burst: 200, refillPerSecond: 10 },
};

export interface BucketState {
  tokens: number;
  /** Virtual ms of the last refill tick (or of the first take from a full bucket). */
  anchor: number;
}

export type Draw = { granted: true; remaining: number } | { granted: false; retryAfterVirtualMs: number };

export function requestKind(method: string): RequestKind {
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'HEAD') return 'reads';
  return upper === 'DELETE' ? 'deletes' : 'writes';
}

export class RequestBudget {
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly limits: ThrottlingLimits = ARM_THROTTLING_LIMITS) {}

  /** Takes one token for the request, or says how long (virtual ms) until the bucket has one again. */
  draw(scope: string, principalId: string, kind: RequestKind, nowMs: number): Draw {
    const limit = this.limits[kind];
    const id = bucketKey(scope, principalId, kind);
    const bucket = this.buckets.get(id) ?? { tokens: limit.burst, anchor: nowMs };
    refill(bucket, limit, nowMs);
    this.buckets.set(id, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { granted: true, remaining: bucket.tokens };
    }
    return { granted: false, retryAfterVirtualMs: Math.max(1, bucket.anchor + 1000 - nowMs) };
  }

  clear(): void {
    this.buckets.clear();
  }

  snapshot(): [string, BucketState][] {
    return [...this.buckets].map(([id, state]) => [id, { ...state }]);
  }

  restore(saved: readonly [string, BucketState][]): void {
    this.buckets.clear();
    for (const [id, state] of saved) this.buckets.set(id, { ...state });
  }
}

function refill(bucket: BucketState, limit: BucketLimit, nowMs: number): void {
  if (bucket.tokens >= limit.burst) {
    // A full bucket's refill clock starts when something is taken from it.
    bucket.tokens = limit.burst;
    bucket.anchor = nowMs;
    return;
  }
  const ticks = Math.floor((nowMs - bucket.anchor) / 1000);
  if (ticks <= 0) return;
  bucket.tokens = Math.min(limit.burst, bucket.tokens + ticks * limit.refillPerSecond);
  bucket.anchor += ticks * 1000;
}

function bucketKey(scope: string, principalId: string, kind: RequestKind): string {
  return `${scope.toLowerCase()}|${principalId.toLowerCase()}|${kind}`;
}
