// The virtual clock: runs `speed` times faster than the wall clock, re-anchors on speed changes,
// and moves forward on demand.
import { createClock } from '../clock';

function manualWallClock(start: number): { now: () => number; pass: (ms: number) => void } {
  let current = start;
  return { now: () => current, pass: (ms) => (current += ms) };
}

describe('virtual clock', () => {
  it('advances speed times faster than the wall clock', () => {
    const wall = manualWallClock(1_000_000);
    const clock = createClock(50, wall.now);

    wall.pass(100);

    expect(clock.now() - 1_000_000).toBe(5_000);
  });

  it('keeps elapsed virtual time when the speed changes', () => {
    const wall = manualWallClock(0);
    const clock = createClock(10, wall.now);
    wall.pass(100);

    clock.setSpeed(1);
    wall.pass(100);

    expect(clock.now()).toBe(1_100);
  });

  it('moves forward on demand and maps virtual times back to wall-clock times', () => {
    const wall = manualWallClock(0);
    const clock = createClock(10, wall.now);

    clock.advance(60_000);

    expect(clock.now()).toBe(60_000);
    expect(clock.wallTimeOf(clock.now() + 1_000)).toBe(100);
  });

  it('refuses non-positive speeds and backward moves', () => {
    expect(() => createClock(0)).toThrow(RangeError);
    expect(() => createClock(1).advance(-1)).toThrow(RangeError);
  });
});
