import {
  DEFAULT_POLLING,
  judgeState,
  parseReplicaId,
  pastDeadline,
  pollDelaySeconds,
  replicaInstanceId,
} from '../../src/domain';
import type { PollingPolicy, ReplicaOperationKind, StateVerdict } from '../../src/domain';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const replicaText = (rg: string, registry: string, replica: string, sub = SUB): string =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerRegistry/registries/${registry}/replications/${replica}`;
const instanceOf = (text: string): string => replicaInstanceId(parseReplicaId(text));

const policy = (overrides: Partial<PollingPolicy> = {}): PollingPolicy => ({
  ...DEFAULT_POLLING,
  ...overrides,
});

describe('pollDelaySeconds waits a tenth of the time already waited, within bounds', () => {
  test.each([
    [
      'right after ARM accepted, the first check comes after the initial wait',
      0,
      { initialSeconds: 1, maxSeconds: 300 },
      1,
    ],
    ['early on, checks come every initial wait', 5, { initialSeconds: 1, maxSeconds: 300 }, 1],
    ['after 20 seconds, the next check comes 2 seconds later', 20, { initialSeconds: 1, maxSeconds: 300 }, 2],
    ['after an hour, 6 minutes would pass: capped', 3600, { initialSeconds: 1, maxSeconds: 300 }, 300],
    ['a negative elapsed time is read as none', -30, { initialSeconds: 1, maxSeconds: 300 }, 1],
    ['fractional bounds hold', 4, { initialSeconds: 0.2, maxSeconds: 0.5 }, 0.4],
    ['an initial wait above the cap is capped', 0, { initialSeconds: 10, maxSeconds: 3 }, 3],
  ])('%s', (_name, elapsed, overrides, expected) => {
    expect(pollDelaySeconds(elapsed, policy(overrides))).toBeCloseTo(expected, 10);
  });

  test('a check never comes more than a tenth (or the initial wait) after the moment it looks for', () => {
    for (const done of [3, 10, 20, 95, 600, 7200]) {
      let at = 0;
      while (at < done) at += pollDelaySeconds(at, DEFAULT_POLLING);
      expect(at - done).toBeLessThanOrEqual(Math.max(DEFAULT_POLLING.initialSeconds, 0.1 * done) + 1e-9);
    }
  });
});

describe('judgeState reads a polled state for the kind of operation', () => {
  const cases: [ReplicaOperationKind, string | undefined, StateVerdict][] = [
    ['create', 'Succeeded', 'succeeded'],
    ['create', 'succeeded', 'succeeded'],
    ['create', 'Creating', 'in-progress'],
    ['create', 'Updating', 'in-progress'],
    ['create', 'Failed', 'failed'],
    ['create', 'Canceled', 'failed'],
    ['create', 'SomethingNew', 'in-progress'],
    ['create', undefined, 'failed'],
    ['update', 'Succeeded', 'succeeded'],
    ['update', 'Updating', 'in-progress'],
    ['update', 'FAILED', 'failed'],
    ['update', undefined, 'failed'],
    ['delete', undefined, 'gone'],
    ['delete', 'Deleting', 'in-progress'],
    ['delete', 'Succeeded', 'in-progress'],
    ['delete', 'Failed', 'failed'],
  ];
  test.each(cases)('%s seeing %s is %s', (kind, state, verdict) => {
    expect(judgeState(kind, state)).toBe(verdict);
  });
});

describe('pastDeadline', () => {
  const started = '2026-11-25T10:00:00.000Z';
  const at = (iso: string): Date => new Date(iso);
  test.each([
    ['right after the start', '2026-11-25T10:00:01.000Z', 180, false],
    ['exactly at the deadline', '2026-11-25T13:00:00.000Z', 180, false],
    ['a millisecond after the deadline', '2026-11-25T13:00:00.001Z', 180, true],
    ['a day later', '2026-11-26T10:00:00.000Z', 180, true],
    ['with a fractional deadline, before it', '2026-11-25T10:00:01.500Z', 0.03, false],
    ['with a fractional deadline, after it', '2026-11-25T10:00:01.900Z', 0.03, true],
    ['a clock behind the start', '2026-11-25T09:59:00.000Z', 0.03, false],
  ])('%s', (_name, now, deadlineMinutes, expected) => {
    expect(pastDeadline(started, at(now), policy({ deadlineMinutes }))).toBe(expected);
  });
});

describe('replicaInstanceId', () => {
  const canonical = replicaText('rg-platform', 'contosoacr', 'westeurope');

  test.each([
    ['an upper-case replica name', replicaText('rg-platform', 'contosoacr', 'WestEurope')],
    ['an upper-case registry name', replicaText('rg-platform', 'ContosoACR', 'westeurope')],
    ['an upper-case resource group', replicaText('RG-Platform', 'contosoacr', 'westeurope')],
    [
      'an upper-case subscription id',
      replicaText('rg-platform', 'contosoacr', 'westeurope', SUB.toUpperCase()),
    ],
    ['lower-case fixed segments', canonical.toLowerCase()],
  ])('is the same for %s', (_name, variant) => {
    expect(instanceOf(variant)).toBe(instanceOf(canonical));
  });

  test.each([
    ['another replica of the registry', replicaText('rg-platform', 'contosoacr', 'northeurope')],
    ['the same replica name in another registry', replicaText('rg-platform', 'fabrikamacr', 'westeurope')],
    ['the same registry name in another group', replicaText('rg-other', 'contosoacr', 'westeurope')],
    [
      'the same names in another subscription',
      replicaText('rg-platform', 'contosoacr', 'westeurope', '11111111-2222-3333-4444-555555555555'),
    ],
    [
      'a group whose name runs into the registry name',
      replicaText('rg-platformc', 'ontosoacr', 'westeurope'),
    ],
  ])('differs for %s', (_name, other) => {
    expect(instanceOf(other)).not.toBe(instanceOf(canonical));
  });

  test.each([
    ['a plain id', canonical],
    ['a group with periods and parentheses', replicaText('rg.platform_(prod)', 'contosoacr', 'westeurope')],
    ['a group with non-ASCII letters', replicaText('rg-größe', 'contosoacr', 'westeurope')],
  ])('uses no character storage providers refuse, for %s', (_name, text) => {
    const id = instanceOf(text);
    expect(id).toMatch(/^replica:/);
    expect(id).not.toMatch(/[/\\#?]/);
    expect([...id].every((c) => c >= ' ' && c !== '\u007f')).toBe(true);
  });
});
