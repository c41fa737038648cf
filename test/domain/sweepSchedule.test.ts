import {
  EVENTS_OF_AN_EXECUTION,
  EVENTS_PER_TASK,
  LISTING_PAGE_SIZE,
  MAX_SCAN_BATCH,
  MIN_SCAN_BATCH,
  MAX_SLOTS_PER_SCAN,
  REGISTRIES_PER_SOURCE,
  SWEEP_EVENTS_PER_EXECUTION,
  adaptWindow,
  fillWindow,
  nextScanBatch,
  parseRegistryScope,
  positionsLeft,
  refillDue,
  restUntil,
  secondsLeft,
  singleRegistrySource,
  slotsPerScan,
  sweepSources,
  tasksFit,
} from '../../src/domain';
import type { SweepPace } from '../../src/domain';

const S1 = '0b1f6471-1bf0-4dda-aec3-cb9272f09591';
const S2 = '0b1f6471-1bf0-4dda-aec3-cb9272f09592';
const registry = (sub: string, rg: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerRegistry/registries/${name}`;

describe('sweepSources covers a scope with one listing per subscription, resource group or group of named registries', () => {
  test('resource groups and registries inside a listed subscription or group are covered already', () => {
    const scope = parseRegistryScope(
      [
        S1,
        `/subscriptions/${S1}/resourceGroups/rg-a`,
        `/subscriptions/${S2}/resourceGroups/rg-b`,
        registry(S1, 'rg-x', 'crone01'),
        registry(S2, 'rg-b', 'crtwo02'),
        registry(S2, 'rg-c', 'crthree03'),
        registry(S2, 'RG-C', 'CRTHREE03'),
      ].join(','),
    );
    expect(sweepSources(scope)).toEqual([
      { kind: 'subscription', subscriptionId: S1 },
      { kind: 'resourceGroup', subscriptionId: S2, resourceGroup: 'rg-b' },
      { kind: 'registries', subscriptionId: S2, registryIds: [registry(S2, 'rg-c', 'crthree03')] },
    ]);
  });

  test('named registries are read in groups of at most REGISTRIES_PER_SOURCE per subscription', () => {
    const names = Array.from({ length: REGISTRIES_PER_SOURCE + 1 }, (_, i) =>
      registry(S1, 'rg', `crname${i}`),
    );
    const sources = sweepSources(parseRegistryScope([...names, registry(S2, 'rg', 'crother')].join(' ')));
    expect(sources.map((s) => (s.kind === 'registries' ? s.registryIds.length : 0))).toEqual([
      REGISTRIES_PER_SOURCE,
      1,
      1,
    ]);
  });

  test('an empty scope has no listings, and a single registry has its own', () => {
    expect(sweepSources(parseRegistryScope(''))).toEqual([]);
    expect(singleRegistrySource(registry(S1, 'rg', 'crsingle1'))).toEqual({
      kind: 'registries',
      subscriptionId: S1,
      registryIds: [registry(S1, 'rg', 'crsingle1')],
    });
  });
});

describe('nextScanBatch shares the waiting registries over the free slots', () => {
  const one = (from: number, to: number) => ({ from, to, slots: 1 });
  test.each([
    ['nothing listed yet', 0, 0, 8, undefined],
    ['no free slot', 0, 100, 0, undefined],
    ['a small fleet is spread over every slot', 0, 5, 2, one(0, 3)],
    ['the rest goes to the last slot', 3, 5, 1, one(3, 5)],
    ['a page of a hundred over eight slots', 0, 100, 8, one(0, 13)],
    ['never more than MAX_SCAN_BATCH', 0, 1000, 2, one(0, MAX_SCAN_BATCH)],
    ['never across a page', 90, 1000, 1, one(90, LISTING_PAGE_SIZE)],
  ])('%s', (_name, dispatched, listed, free, expected) => {
    expect(nextScanBatch(dispatched, listed, free)).toEqual(expected);
  });

  test.each([
    ['the last hundred over half a window shared by the whole window', 900, 1000, 4, 8, one(900, 913)],
    ['never below MIN_SCAN_BATCH while that many wait', 952, 1000, 4, 8, one(952, 952 + MIN_SCAN_BATCH)],
    ['the last few over the free slots only', 980, 1000, 4, 8, one(980, 985)],
    ['a long listing still fills each slot with MAX_SCAN_BATCH', 0, 1000, 4, 8, one(0, MAX_SCAN_BATCH)],
  ])('%s', (_name, dispatched, listed, free, window, expected) => {
    expect(nextScanBatch(dispatched, listed, free, window)).toEqual(expected);
  });

  test.each([
    [
      "a task of four slots takes four slots' share",
      0,
      1000,
      8,
      8,
      4,
      { from: 0, to: 4 * MAX_SCAN_BATCH, slots: 4 },
    ],
    ['still within one page', 150, 1000, 8, 8, 4, { from: 150, to: 200, slots: 4 }],
    ['the last hundred over the whole window', 900, 1000, 4, 8, 4, { from: 900, to: 952, slots: 4 }],
    ['no more slots than registries', 998, 1000, 4, 8, 4, { from: 998, to: 1000, slots: 2 }],
    ['no more slots than are free', 0, 1000, 2, 8, 4, { from: 0, to: 2 * MAX_SCAN_BATCH, slots: 2 }],
  ])('%s', (_name, dispatched, listed, free, window, slots, expected) => {
    expect(nextScanBatch(dispatched, listed, free, window, slots)).toEqual(expected);
  });

  test('near the end, half a window refilled while the other half runs leaves a short tail', () => {
    // The window refills half at a time (see the sweep): each refill shares what waits over all 8 slots.
    const sizes: number[] = [];
    let dispatched = 900;
    while (dispatched < 1000) {
      const round = fillWindow(dispatched, 1000, [], 4, 8);
      for (const batch of round) sizes.push((batch.to - batch.from) / batch.slots);
      dispatched = round.at(-1)?.to ?? 1000;
    }
    // Before, the last hundred went out as four batches of 25 while the other half of the window idled.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(13);
    expect(sizes.length).toBeLessThanOrEqual(4);
  });

  test.each([1, 2, 4, 8])('batches of %i slots cover every listed registry once, in order', (slots) => {
    const covered: number[] = [];
    let dispatched = 0;
    for (
      let batch = nextScanBatch(0, 1234, 8, 8, slots);
      batch !== undefined;
      batch = nextScanBatch(dispatched, 1234, 8, 8, slots)
    ) {
      for (let p = batch.from; p < batch.to; p += 1) covered.push(p);
      dispatched = batch.to;
    }
    expect(covered).toEqual(Array.from({ length: 1234 }, (_, i) => i));
  });
});

describe('refillDue: a window is refilled once half of it is free, or none of it runs', () => {
  test.each([
    [8, 0, true],
    [8, 4, true],
    [8, 5, false],
    [8, 8, false],
    [1, 1, false],
    [3, 1, true],
    [3, 2, false],
  ])('a window of %i with %i slots held: %s', (window, held, due) => {
    expect(refillDue(window, held)).toBe(due);
  });
});

describe('slotsPerScan: the slots one scan task holds', () => {
  test.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [4, 2],
    [8, MAX_SLOTS_PER_SCAN],
    [16, MAX_SLOTS_PER_SCAN],
  ])('a window of %i gives tasks of %i', (window, slots) => {
    expect(slotsPerScan(window)).toBe(slots);
  });
});

describe('fillWindow: the batches that fill the free slots of a window', () => {
  test.each([
    [
      'from the listing alone, two slots a task in a window of four',
      0,
      100,
      [],
      4,
      4,
      [
        [0, 50, 2],
        [50, 100, 2],
      ],
    ],
    ['half a window of eight: one task of four', 0, 1000, [], 4, 8, [[0, 100, 4]]],
    [
      'a whole window of eight: two tasks of four',
      200,
      1000,
      [],
      8,
      8,
      [
        [200, 300, 4],
        [300, 400, 4],
      ],
    ],
    [
      'positions put back go first, as they were, with no more slots than registries',
      100,
      100,
      [
        [5, 6],
        [17, 25],
      ],
      4,
      4,
      [
        [5, 6, 1],
        [17, 25, 2],
      ],
    ],
    [
      'then the listing',
      50,
      100,
      [[5, 10]],
      4,
      4,
      [
        [5, 10, 2],
        [50, 100, 2],
      ],
    ],
    [
      'no more than the free slots',
      0,
      1000,
      [
        [5, 10],
        [17, 25],
      ],
      1,
      8,
      [[5, 10, 1]],
    ],
    ['a window of one: one slot a task', 0, 1000, [], 1, 1, [[0, 25, 1]]],
    ['nothing when no slot is free', 0, 1000, [], 0, 8, []],
  ])('%s', (_name, dispatched, listed, returned, free, window, expected) => {
    const ranges = (pairs: number[][]) => pairs.map(([from = 0, to = 0]) => ({ from, to }));
    const batches = (triples: number[][]) =>
      triples.map(([from = 0, to = 0, slots = 0]) => ({ from, to, slots }));
    expect(fillWindow(dispatched, listed, ranges(returned), free, window)).toEqual(batches(expected));
  });

  test('every slot it gives is free, and a window is never held by fewer than two tasks', () => {
    for (let window = 1; window <= 16; window += 1) {
      for (let free = 0; free <= window; free += 1) {
        const batches = fillWindow(0, 10_000, [], free, window);
        expect(batches.reduce((sum, b) => sum + b.slots, 0)).toBeLessThanOrEqual(free);
        if (window > 1) for (const b of batches) expect(b.slots).toBeLessThanOrEqual(Math.ceil(window / 2));
      }
    }
  });
});

describe('positionsLeft: what a scan that stopped short puts back', () => {
  test.each([
    ['everything scanned', [true, true, true], []],
    ['a tail', [true, true, false, false], [[12, 14]]],
    [
      'gaps between slots',
      [true, false, true, false, false, true, false],
      [
        [11, 12],
        [13, 15],
        [16, 17],
      ],
    ],
    ['nothing scanned', [false, false], [[10, 12]]],
  ])('%s', (_name, done, expected) => {
    expect(positionsLeft(10, done)).toEqual(expected.map(([from = 0, to = 0]) => ({ from, to })));
  });
});

describe('adaptWindow narrows the scan window while ARM throttles and widens it after', () => {
  test.each([
    ['a throttled batch halves it', 8, 8, 2, 4],
    ['never below one', 1, 8, 5, 1],
    ['a clean batch widens it by one', 4, 8, 0, 5],
    ['never beyond the parallelism', 8, 8, 0, 8],
  ])('%s', (_name, current, parallelism, throttled, expected) => {
    expect(adaptWindow(current, parallelism, throttled)).toBe(expected);
  });
});

describe('tasksFit keeps an execution within its history bound', () => {
  test('an execution holds at most 24 tasks of four events each beside its own four', () => {
    let events = EVENTS_OF_AN_EXECUTION;
    let tasks = 0;
    while (tasksFit(events, 1)) {
      events += EVENTS_PER_TASK;
      tasks += 1;
    }
    expect(tasks).toBe(24);
    expect(events).toBeLessThanOrEqual(SWEEP_EVENTS_PER_EXECUTION);
  });

  test.each([
    ['room for one', 96, 1, 0, true],
    ['no room for two', 96, 2, 0, false],
    ['room kept for later tasks counts too', 80, 1, 4, true],
    ['and is not given away', 84, 1, 4, false],
  ])('%s', (_name, events, tasks, reserve, expected) => {
    expect(tasksFit(events, tasks, reserve)).toBe(expected);
  });
});

describe('restUntil: a subscription rests until the later of its rest and any rest under way', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');
  test.each([
    ['a new rest', undefined, 3000, '2026-01-01T00:00:03.000Z'],
    ['a longer rest under way stays', '2026-01-01T00:00:10.000Z', 3000, '2026-01-01T00:00:10.000Z'],
    ['a shorter one is lengthened', '2026-01-01T00:00:01.000Z', 3000, '2026-01-01T00:00:03.000Z'],
    ['parts of a millisecond round up', undefined, 0.2, '2026-01-01T00:00:00.001Z'],
  ])('%s', (_name, resting, restMs, expected) => {
    expect(restUntil(now, restMs, resting)).toBe(expected);
  });
});

describe('secondsLeft estimates the rest from the pace so far', () => {
  const pace = (overrides: Partial<SweepPace>): SweepPace => ({
    registries: 1000,
    registriesScanned: 250,
    listingDone: true,
    elapsedSeconds: 10,
    healsRunning: 0,
    healsQueued: 0,
    healBound: 8,
    ...overrides,
  });

  test.each([
    ['no rate before the first scan', pace({ registriesScanned: 0 }), undefined],
    ['the registries left at the rate so far', pace({}), 30],
    [
      'heals left in rounds of the heal bound at their average',
      pace({ healsQueued: 9, averageHealSeconds: 90 }),
      30 + 180,
    ],
    ['heals without an average add nothing yet', pace({ healsRunning: 3 }), 30],
    ['an empty scope, fully listed, has nothing left', pace({ registries: 0, registriesScanned: 0 }), 0],
  ])('%s', (_name, input, expected) => {
    expect(secondsLeft(input)).toBe(expected);
  });
});
