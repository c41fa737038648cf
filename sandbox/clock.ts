// The sandbox's two notions of time: a virtual clock that drives provisioning (it runs `speed` times
// faster than the wall clock and can be moved forward), and the wall clock used for timestamps shown to
// callers, so that what the product compares with its own clock stays plausible.

export interface Clock {
  /** Virtual milliseconds: operation progress is measured on this scale. */
  now(): number;
  /** Wall-clock milliseconds. */
  wallNow(): number;
  /** Wall-clock time at which the virtual clock reaches `virtualMs` at the current speed. */
  wallTimeOf(virtualMs: number): number;
  speed(): number;
  setSpeed(speed: number): void;
  /** Moves the virtual clock forward, as if `ms` virtual milliseconds had passed. */
  advance(ms: number): void;
}

/**
 * A clock at `speed`. `virtualStart` continues a clock that ran before (e.g. in an earlier process);
 * by default virtual time starts at the wall time.
 */
export function createClock(speed = 1, wallNow: () => number = Date.now, virtualStart?: number): Clock {
  assertSpeed(speed);
  let currentSpeed = speed;
  let wallBase = wallNow();
  let virtualBase = virtualStart ?? wallBase;

  const now = (): number => virtualBase + (wallNow() - wallBase) * currentSpeed;

  return {
    now,
    wallNow,
    wallTimeOf: (virtualMs) => wallBase + (virtualMs - virtualBase) / currentSpeed,
    speed: () => currentSpeed,
    setSpeed(next) {
      assertSpeed(next);
      // Re-anchor so that the change affects only what happens from now on.
      virtualBase = now();
      wallBase = wallNow();
      currentSpeed = next;
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError('The clock only moves forward.');
      virtualBase += ms;
    },
  };
}

function assertSpeed(speed: number): void {
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`Invalid speed ${speed}: must be a positive number.`);
}
