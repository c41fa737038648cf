import { ARM_READ_BUDGET, SWEEP_READ_RESERVE, estimatedReads, readWaitMs } from '../../src/domain';
import type { ReadBudgetView } from '../../src/domain';

const view = (overrides: Partial<ReadBudgetView>): ReadBudgetView => ({
  observedAt: 0,
  inFlight: 0,
  notBefore: 0,
  ...overrides,
});

describe('estimatedReads: the latest remaining count, the refill since, less the reads under way', () => {
  test.each([
    [
      'nothing heard yet: a full bucket less what is under way',
      view({ inFlight: 3 }),
      0,
      ARM_READ_BUDGET.burst - 3,
    ],
    ['what ARM said, at once', view({ remaining: 100 }), 0, 100],
    ['plus 25 a second since', view({ remaining: 100 }), 2000, 150],
    ['never more than the burst', view({ remaining: 240 }), 60_000, ARM_READ_BUDGET.burst],
    ['less the reads under way', view({ remaining: 100, inFlight: 8 }), 0, 92],
  ])('%s', (_name, budget, now, expected) => {
    expect(estimatedReads(budget, now)).toBe(expected);
  });
});

describe('readWaitMs keeps the reserve in the bucket', () => {
  test.each([
    ['plenty left: go', view({ remaining: 200 }), 0, 0],
    ['one above the reserve: go', view({ remaining: SWEEP_READ_RESERVE + 1 }), 0, 0],
    ['at the reserve: wait for one refill', view({ remaining: SWEEP_READ_RESERVE }), 0, 40],
    ['ten below: wait for eleven', view({ remaining: SWEEP_READ_RESERVE - 10 }), 0, 440],
    [
      'after a 429: wait until its Retry-After has passed',
      view({ remaining: 200, notBefore: 1500 }),
      500,
      1000,
    ],
  ])('%s', (_name, budget, now, expected) => {
    expect(readWaitMs(budget, now, SWEEP_READ_RESERVE)).toBe(expected);
  });

  test('a sweep that waits as told spends the refill and never dips under the reserve', () => {
    let remaining = ARM_READ_BUDGET.burst;
    let now = 0;
    let lowest = remaining;
    for (let read = 0; read < 1000; read += 1) {
      const budget = view({ remaining, observedAt: now });
      const wait = readWaitMs(budget, now, SWEEP_READ_RESERVE);
      now += wait;
      remaining =
        Math.min(ARM_READ_BUDGET.burst, remaining + (wait / 1000) * ARM_READ_BUDGET.refillPerSecond) - 1;
      lowest = Math.min(lowest, remaining);
    }
    expect(lowest).toBeGreaterThanOrEqual(SWEEP_READ_RESERVE);
    // 1,000 reads from a full bucket: (1,000 - 200) / 25 seconds, give or take a read.
    expect(now / 1000).toBeCloseTo((1000 - (ARM_READ_BUDGET.burst - SWEEP_READ_RESERVE)) / 25, 0);
  });
});
