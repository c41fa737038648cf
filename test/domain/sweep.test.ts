import { SWEEP_SAMPLE_SIZE, emptySummary, summaryCounts, tally, tallyScanFailure } from '../../src/domain';

describe('a sweep summary counts everything and names only a bounded sample', () => {
  test('results are all counted; the first SWEEP_SAMPLE_SIZE are kept', () => {
    let summary = emptySummary();
    for (let i = 0; i < 3 * SWEEP_SAMPLE_SIZE; i += 1) {
      summary = tally(summary, { replicaId: `r${i}`, outcome: i % 2 === 0 ? 'healed' : 'deferred' });
    }
    expect(summary.healed + summary.deferred).toBe(3 * SWEEP_SAMPLE_SIZE);
    expect(summary.results.map((r) => r.replicaId)).toEqual(
      Array.from({ length: SWEEP_SAMPLE_SIZE }, (_, i) => `r${i}`),
    );
  });

  test('failed scans are all counted; the first SWEEP_SAMPLE_SIZE are named', () => {
    let summary = emptySummary();
    for (let i = 0; i < 1000; i += 1) summary = tallyScanFailure(summary, `cr${i}`);
    expect(summary.scanFailures).toBe(1000);
    expect(summary.failedScans).toHaveLength(SWEEP_SAMPLE_SIZE);
  });

  test('the counts hold no list, so their size does not depend on the fleet', () => {
    let summary = emptySummary();
    for (let i = 0; i < 1000; i += 1)
      summary = tallyScanFailure(tally(summary, { replicaId: `r${i}`, outcome: 'healed' }), `cr${i}`);
    const counts = summaryCounts(summary);
    expect(Object.values(counts).every((value) => typeof value === 'number')).toBe(true);
    expect(JSON.stringify(counts).length).toBeLessThan(300);
  });
});
