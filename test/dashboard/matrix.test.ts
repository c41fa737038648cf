// The dashboard's matrix rules, table-tested: which state a registry's cell in a region shows, from
// what the REST API reports about replicas and operations.
import { cellOf, elapsed, matrixOf } from '../../dashboard/matrix';
import type { OperationItem, ReplicaItem } from '../../dashboard/matrix';

const REGISTRY = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/cr01';
const REPLICA = `${REGISTRY}/replications/northeurope`;
const NOW = new Date('2026-11-29T12:00:00.000Z');

const replica = (provisioningState: string): ReplicaItem => ({
  id: REPLICA,
  location: 'northeurope',
  provisioningState,
});
const running = (operation: string, extra: Partial<OperationItem> = {}): OperationItem => ({
  operationId: `replica:${operation}`,
  runtimeStatus: 'Running',
  operation,
  target: REPLICA,
  ...extra,
});
const sweep = (outcome: string, lastUpdatedTime: string): OperationItem => ({
  operationId: 'sweep',
  runtimeStatus: 'Completed',
  lastUpdatedTime,
  result: { results: [{ replicaId: REPLICA.toUpperCase(), outcome }] },
});

describe('the cell of a replica', () => {
  test.each<[string, ReplicaItem | undefined, OperationItem[], string, string]>([
    ['no replica in the region', undefined, [], 'absent', 'absent'],
    ['a replica ARM reports Succeeded', replica('Succeeded'), [], 'healthy', 'healthy'],
    ['a replica ARM reports Failed', replica('Failed'), [], 'failed', 'failed'],
    [
      'a replica still creating, with no operation known',
      replica('Creating'),
      [],
      'provisioning',
      'provisioning',
    ],
    [
      'a replica creating for 75 minutes of its own operation',
      replica('Creating'),
      [running('create', { armStartedAt: '2026-11-29T10:45:00.000Z' })],
      'provisioning',
      'provisioning 1 h 15 min',
    ],
    [
      'a creating replica a sweep reported',
      replica('Creating'),
      [sweep('reported', '2026-11-29T11:00:00Z')],
      'stuck',
      'stuck',
    ],
    [
      'a creating replica whose create ended stuck',
      replica('Creating'),
      [{ ...running('create'), runtimeStatus: 'Completed', result: { outcome: 'stuck' } }],
      'stuck',
      'stuck',
    ],
    [
      'a creating replica a later sweep skipped as slow but progressing',
      replica('Creating'),
      [sweep('reported', '2026-11-29T10:00:00Z'), sweep('skipped', '2026-11-29T11:00:00Z')],
      'provisioning',
      'provisioning',
    ],
    ['a replica under a running heal', replica('Creating'), [running('heal')], 'healing', 'being healed'],
    [
      'a failed replica under a running heal',
      replica('Failed'),
      [running('heal')],
      'healing',
      'being healed',
    ],
    [
      'a healed replica after a sweep had reported it',
      replica('Succeeded'),
      [sweep('reported', '2026-11-29T11:00:00Z')],
      'healthy',
      'healthy',
    ],
  ])('%s', (_scenario, given, operations, state, text) => {
    const cell = cellOf(given, operations, NOW);
    expect({ state: cell.state, text: cell.text }).toEqual({ state, text });
    expect(cell.symbol).not.toBe('');
  });

  test('every state has its own symbol, so the matrix reads without colour', () => {
    const states = ['absent', 'Succeeded', 'Failed', 'Creating'].map((s) =>
      cellOf(s === 'absent' ? undefined : replica(s), [], NOW),
    );
    const symbols = [
      ...states.map((c) => c.symbol),
      cellOf(replica('Creating'), [running('heal')], NOW).symbol,
    ];
    expect(new Set(symbols).size).toBe(symbols.length);
  });
});

describe('the matrix', () => {
  test('has one column per region any replica is in, sorted, and absent cells elsewhere', () => {
    const other = `${REGISTRY.replace('cr01', 'cr02')}/replications/eastus`;
    const replicas = new Map<string, ReplicaItem[]>([
      [REGISTRY, [replica('Succeeded')]],
      ['cr02', [{ id: other, location: 'EastUS', provisioningState: 'Succeeded' }]],
    ]);
    const { regions, rows } = matrixOf(
      [
        { id: REGISTRY, name: 'cr01', homeRegion: 'westeurope' },
        { id: 'cr02', name: 'cr02', homeRegion: 'eastus' },
      ],
      replicas,
      [],
      NOW,
    );
    expect(regions).toEqual(['eastus', 'northeurope']);
    expect(rows.map((r) => r.cells.map((c) => c.state))).toEqual([
      ['absent', 'healthy'],
      ['healthy', 'absent'],
    ]);
  });

  test('elapsed time reads in minutes, then hours and minutes', () => {
    expect(elapsed('2026-11-29T11:59:00.000Z', NOW)).toBe('1 min');
    expect(elapsed('2026-11-29T09:30:00.000Z', NOW)).toBe('2 h 30 min');
    expect(elapsed('2026-11-29T12:30:00.000Z', NOW)).toBe('0 min');
  });
});
