import {
  ESTIMATES,
  PRIVATE_LINK_ACTION,
  approvalRule,
  describeStep,
  driftOf,
  estimateTotalMinutes,
  formatMinutes,
  hasDrift,
  parseDesiredReplicaSet,
  planReplicaSet,
} from '../../src/domain';
import type { ApprovalContext, PlanInput, PlanStep, ReplicaView } from '../../src/domain';

import { replicaView } from '../support/replicaView';

const HOME = 'westeurope';
const REQUEST: ApprovalContext = { trigger: 'request', registryPolicy: 'auto' };

const replica = (location: string, settings: Partial<ReplicaView> = {}): ReplicaView =>
  replicaView(location, { displayStatus: 'Ready', ...settings });

function plan(declaration: unknown, replicas: ReplicaView[], extra: Partial<PlanInput> = {}): PlanStep[] {
  return planReplicaSet({
    declaration: parseDesiredReplicaSet(declaration),
    homeRegion: HOME,
    replicas: [replica(HOME), ...replicas],
    approval: REQUEST,
    sizeGiB: 40,
    ...extra,
  }).steps;
}

/** The one step about `location`. */
function stepFor(steps: PlanStep[], location: string): PlanStep {
  const found = steps.filter((step) => step.location === location);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('planReplicaSet: one region at a time', () => {
  const declared = (settings: object = {}): unknown => ({
    defaults: { regionEndpointEnabled: true, zoneRedundancy: 'Disabled', tags: { team: 'a' } },
    replicas: [{ location: 'eastus', ...settings }],
  });
  const inSync = { tags: { team: 'a' } };

  test.each<[string, unknown, ReplicaView[], PlanStep['kind'], string[]]>([
    ['declared and absent: create', declared(), [], 'create', []],
    ['declared and present as declared: nothing', declared(), [replica('eastus', inSync)], 'none', []],
    [
      'declared, endpoint differs: update',
      declared({ regionEndpointEnabled: false }),
      [replica('eastus', inSync)],
      'update',
      ['regionEndpointEnabled'],
    ],
    [
      'declared, tags differ: update',
      declared(),
      [replica('eastus', { tags: { team: 'b' } })],
      'update',
      ['tags'],
    ],
    [
      'declared, zone redundancy differs: recreate',
      declared({ zoneRedundancy: 'Enabled' }),
      [replica('eastus', inSync)],
      'recreate',
      ['zoneRedundancy'],
    ],
    [
      'declared, zone redundancy and endpoint differ: one recreate',
      declared({ zoneRedundancy: 'Enabled', regionEndpointEnabled: false }),
      [replica('eastus', inSync)],
      'recreate',
      ['regionEndpointEnabled', 'zoneRedundancy'],
    ],
    [
      'declared without settings: whatever it has is fine',
      { replicas: [{ location: 'eastus' }] },
      [replica('eastus', { zoneRedundancy: 'Enabled', regionEndpointEnabled: false, tags: { x: 'y' } })],
      'none',
      [],
    ],
    [
      'declared and Failed: the heal’s',
      declared(),
      [replica('eastus', { provisioningState: 'Failed' })],
      'skip',
      [],
    ],
    [
      'declared and Canceled: the heal’s',
      declared(),
      [replica('eastus', { provisioningState: 'Canceled' })],
      'skip',
      [],
    ],
    [
      'declared and still Creating (maybe stuck): the heal’s',
      declared(),
      [replica('eastus', { provisioningState: 'Creating' })],
      'skip',
      [],
    ],
    [
      'declared and Updating: under way',
      declared(),
      [replica('eastus', { provisioningState: 'Updating' })],
      'skip',
      [],
    ],
    [
      'declared and Deleting: under way',
      declared(),
      [replica('eastus', { provisioningState: 'Deleting' })],
      'skip',
      [],
    ],
    ['not declared and present: delete', { replicas: [] }, [replica('eastus')], 'delete', []],
    [
      'not declared and Failed: the heal’s',
      { replicas: [] },
      [replica('eastus', { provisioningState: 'Failed' })],
      'skip',
      [],
    ],
    [
      'not declared and Creating: under way',
      { replicas: [] },
      [replica('eastus', { provisioningState: 'Creating' })],
      'skip',
      [],
    ],
  ])('%s', (_name, declaration, replicas, kind, settings) => {
    const step = stepFor(plan(declaration, replicas), 'eastus');
    expect(step.kind).toBe(kind);
    expect((step.changes ?? []).map((change) => change.setting)).toEqual(settings);
  });

  test.each<[string, unknown]>([
    ['listed', { replicas: [{ location: HOME }] }],
    ['not listed', { replicas: [] }],
  ])('the home region, %s, is never changed', (_name, declaration) => {
    const steps = plan(declaration, []);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ kind: 'none', location: HOME });
    expect(steps[0]!.reason).toContain('home region');
  });

  test('a replica in the home region whose settings differ from the defaults is still left alone', () => {
    const steps = planReplicaSet({
      declaration: parseDesiredReplicaSet({
        defaults: { zoneRedundancy: 'Enabled' },
        replicas: [{ location: HOME }],
      }),
      homeRegion: HOME,
      replicas: [replica(HOME)],
      approval: REQUEST,
    }).steps;
    expect(steps.map((s) => s.kind)).toEqual(['none']);
  });

  test('regions match by location, whatever the replica is called; a create takes the region’s name', () => {
    const steps = plan({ replicas: [{ location: 'eastus' }, { location: 'uksouth' }] }, [
      replica('eastus', { name: 'useast01' }),
    ]);
    expect(stepFor(steps, 'eastus')).toMatchObject({ kind: 'none', replicaName: 'useast01' });
    expect(stepFor(steps, 'uksouth')).toMatchObject({ kind: 'create', replicaName: 'uksouth' });
  });

  test('a create carries the effective settings, ARM’s defaults where nothing is declared', () => {
    const steps = plan(
      { defaults: { tags: { team: 'a' } }, replicas: [{ location: 'eastus', zoneRedundancy: 'Enabled' }] },
      [],
    );
    expect(stepFor(steps, 'eastus').settings).toEqual({
      regionEndpointEnabled: true,
      zoneRedundancy: 'Enabled',
      tags: { team: 'a' },
    });
  });

  test('a recreate carries the update the replica operation runs and the settings it recreates with', () => {
    const step = stepFor(
      plan({ replicas: [{ location: 'eastus', zoneRedundancy: 'Enabled' }] }, [
        replica('eastus', { regionEndpointEnabled: false, tags: { keep: 'me' } }),
      ]),
      'eastus',
    );
    expect(step).toMatchObject({
      kind: 'recreate',
      destructive: true,
      update: { zoneRedundancy: 'Enabled' },
      settings: { regionEndpointEnabled: false, zoneRedundancy: 'Enabled', tags: { keep: 'me' } },
    });
  });
});

describe('planReplicaSet: the whole plan', () => {
  const fleet = [
    replica('eastus', { regionEndpointEnabled: false }),
    replica('northeurope'),
    replica('uksouth', { zoneRedundancy: 'Enabled' }),
    replica('swedencentral', { provisioningState: 'Failed' }),
  ];
  const declaration = {
    defaults: { regionEndpointEnabled: true, zoneRedundancy: 'Disabled' },
    replicas: [
      { location: HOME },
      { location: 'eastus' },
      { location: 'uksouth' },
      { location: 'southeastasia' },
      { location: 'swedencentral' },
      { location: 'eastus2' },
    ],
  };

  test('steps come in the order an operator takes them: creates, updates, recreates, deletes, then the rest', () => {
    expect(plan(declaration, fleet).map((s) => `${s.kind} ${s.location ?? ''}`)).toEqual([
      'create eastus2',
      'create southeastasia',
      'update eastus',
      'recreate uksouth',
      'delete northeurope',
      `none ${HOME}`,
      'skip swedencentral',
    ]);
  });

  test('in sync only when no step changes anything; skipped replicas do not count as changes', () => {
    const steady = planReplicaSet({
      declaration: parseDesiredReplicaSet({ replicas: [{ location: 'eastus' }] }),
      homeRegion: HOME,
      replicas: [replica(HOME), replica('eastus', { provisioningState: 'Failed' })],
      approval: REQUEST,
    });
    expect([steady.inSync, steady.estimatedMinutes]).toEqual([true, 0]);
    expect(
      planReplicaSet({
        declaration: parseDesiredReplicaSet(declaration),
        homeRegion: HOME,
        replicas: [replica(HOME), ...fleet],
        approval: REQUEST,
      }).inSync,
    ).toBe(false);
  });

  test('the drift it shows: missing, extra and misconfigured replicas', () => {
    const drift = driftOf({ steps: plan(declaration, fleet) });
    expect(drift).toEqual({
      missing: ['eastus2', 'southeastasia'],
      extra: [{ location: 'northeurope', replicaName: 'northeurope' }],
      misconfigured: [
        { location: 'eastus', replicaName: 'eastus', settings: ['regionEndpointEnabled'] },
        { location: 'uksouth', replicaName: 'uksouth', settings: ['zoneRedundancy'] },
      ],
    });
    expect(hasDrift(drift)).toBe(true);
    expect(hasDrift(driftOf({ steps: plan({ replicas: [] }, []) }))).toBe(false);
  });
});

describe('planReplicaSet: private endpoints (prevention)', () => {
  const privateLink = { privateEndpoints: ['/pe/a', '/pe/b'], missingAt: ['/pe/b'] };
  const declaration = {
    replicas: [{ location: 'eastus' }, { location: 'uksouth', zoneRedundancy: 'Enabled' }],
  };
  const fleet = [replica('uksouth')];

  test('under auto, a grant comes first where the permission is missing', () => {
    const steps = plan(declaration, fleet, { privateLink });
    expect(steps.map((s) => s.kind)).toEqual(['grant', 'create', 'recreate', 'none']);
    expect(steps[0]).toMatchObject({ privateEndpoints: ['/pe/b'], needsApproval: false });
    expect(steps[0]!.reason).toContain(PRIVATE_LINK_ACTION);
    expect(steps.some((s) => s.blocked !== undefined)).toBe(false);
  });

  test('under report or approve the app may not grant: creates and recreates are blocked, saying why', () => {
    for (const registryPolicy of ['report', 'approve'] as const) {
      const steps = plan(declaration, fleet, {
        privateLink,
        approval: { trigger: 'request', registryPolicy },
      });
      expect(steps.map((s) => `${s.kind}:${s.blocked === undefined ? 'free' : 'blocked'}`)).toEqual([
        'create:blocked',
        'recreate:blocked',
        'none:free',
      ]);
      expect(steps[0]!.blocked).toContain(`(${registryPolicy})`);
    }
  });

  test('no grant when the permission is held, or when nothing is created', () => {
    expect(
      plan(declaration, fleet, { privateLink: { ...privateLink, missingAt: [] } }).map((s) => s.kind),
    ).toEqual(['create', 'recreate', 'none']);
    expect(plan({ replicas: [] }, [replica('eastus')], { privateLink }).map((s) => s.kind)).toEqual([
      'delete',
      'none',
    ]);
  });
});

describe('estimates and risks', () => {
  test('creation time grows with the registry’s size; an unknown size says so', () => {
    const at = (sizeGiB?: number): PlanStep =>
      stepFor(plan({ replicas: [{ location: 'eastus' }] }, [], { sizeGiB }), 'eastus');
    expect(at(0).estimate!.minutes).toBe(ESTIMATES.createBaseMinutes);
    expect(at(40).estimate!.minutes).toBe(ESTIMATES.createBaseMinutes + 40 * ESTIMATES.createMinutesPerGiB);
    expect(at(1024).estimate!.minutes).toBeGreaterThan(24 * 60);
    expect(at(undefined).estimate!.basis).toContain('unknown');
  });

  test('deleting a large replica is a high risk that names its content and the time to rebuild it', () => {
    const remove = (sizeGiB: number): PlanStep =>
      stepFor(plan({ replicas: [] }, [replica('eastus')], { sizeGiB }), 'eastus');
    expect(remove(10).risk!.level).toBe('medium');
    expect(remove(2048).risk!.level).toBe('high');
    expect(remove(2048).risk!.note).toMatch(/2048 GiB of synced content, and rebuilding it takes about 2 d/);
  });

  test('a recreate costs a delete, the name’s release and a create; turning an endpoint off is a medium risk', () => {
    const steps = plan(
      {
        replicas: [
          { location: 'eastus', zoneRedundancy: 'Enabled' },
          { location: 'uksouth', regionEndpointEnabled: false },
        ],
      },
      [replica('eastus'), replica('uksouth')],
      { sizeGiB: 10 },
    );
    expect(stepFor(steps, 'eastus').estimate!.minutes).toBe(
      ESTIMATES.deleteMinutes +
        ESTIMATES.nameReleaseMinutes +
        ESTIMATES.createBaseMinutes +
        10 * ESTIMATES.createMinutesPerGiB,
    );
    expect(stepFor(steps, 'uksouth').risk!.level).toBe('medium');
  });

  test('the total runs each group with bounded parallelism, the grant first and approved steps last', () => {
    const step = (kind: PlanStep['kind'], minutes: number, needsApproval = false): PlanStep => ({
      kind,
      reason: '',
      destructive: false,
      needsApproval,
      estimate: { minutes, basis: '' },
    });
    const steps = [
      step('grant', 5),
      step('create', 60),
      step('create', 60),
      step('create', 30),
      step('update', 2),
      step('delete', 5, true),
      step('none', 100),
      { ...step('create', 1000), blocked: 'no permission' },
    ];
    expect(estimateTotalMinutes(steps, 2)).toBe(5 + 90 + 2 + 5);
    expect(estimateTotalMinutes(steps, 1)).toBe(5 + 150 + 2 + 5);
  });

  test.each([
    [5, '5 min'],
    [61, '1 h 1 min'],
    [120, '2 h'],
    [3000, '2 d 2 h'],
  ])('%i minutes read as %s', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });
});

describe('approvalRule', () => {
  const create = { kind: 'create' as const, destructive: false };
  const remove = { kind: 'delete' as const, destructive: true };
  const recreate = { kind: 'recreate' as const, destructive: true };
  const grant = { kind: 'grant' as const, destructive: false };
  const none = { kind: 'none' as const, destructive: false };

  test.each<
    [
      string,
      { kind: PlanStep['kind']; destructive: boolean },
      boolean,
      'report' | 'approve' | 'auto',
      ApprovalContext,
      boolean,
    ]
  >([
    ['a person applies a create under auto', create, false, 'report', REQUEST, false],
    ['a person applies a delete', remove, false, 'report', REQUEST, true],
    ['a person applies a recreate', recreate, false, 'report', REQUEST, true],
    ['a person applies a delete the declaration allows', remove, true, 'report', REQUEST, false],
    [
      'a person applies a create under approve',
      create,
      true,
      'report',
      { trigger: 'request', registryPolicy: 'approve' },
      true,
    ],
    [
      'a person applies an allowed delete under approve',
      remove,
      true,
      'report',
      { trigger: 'request', registryPolicy: 'approve' },
      true,
    ],
    [
      'a person applies a create under report',
      create,
      false,
      'report',
      { trigger: 'request', registryPolicy: 'report' },
      false,
    ],
    [
      'drift restores a replica under auto',
      create,
      false,
      'auto',
      { trigger: 'drift', registryPolicy: 'auto' },
      false,
    ],
    [
      'drift deletes an extra replica under auto',
      remove,
      true,
      'auto',
      { trigger: 'drift', registryPolicy: 'auto' },
      true,
    ],
    [
      'drift recreates under auto, even when deletes are allowed',
      recreate,
      true,
      'auto',
      { trigger: 'drift', registryPolicy: 'auto' },
      true,
    ],
    [
      'drift restores a replica under approve',
      create,
      false,
      'approve',
      { trigger: 'drift', registryPolicy: 'auto' },
      true,
    ],
    ['a grant', grant, false, 'approve', { trigger: 'request', registryPolicy: 'approve' }, false],
    ['nothing to do', none, false, 'approve', { trigger: 'request', registryPolicy: 'approve' }, false],
  ])('%s', (_name, step, allowDeletes, drift, context, expected) => {
    expect(approvalRule(step, { allowDeletes, drift }, context)).toBe(expected);
  });

  test('the plan marks the steps that wait', () => {
    const steps = plan({ replicas: [{ location: 'eastus' }] }, [replica('uksouth')]);
    expect(steps.map((s) => `${s.kind}:${s.needsApproval}`)).toEqual([
      'create:false',
      'delete:true',
      'none:false',
    ]);
  });
});

describe('describeStep', () => {
  test('one readable line: kind, region, changes, time, risk and whether it waits', () => {
    const steps = plan(
      { replicas: [{ location: 'eastus', zoneRedundancy: 'Enabled' }] },
      [replica('eastus', { name: 'useast01' })],
      {
        sizeGiB: 200,
      },
    );
    expect(describeStep(steps[0]!)).toBe(
      'recreate eastus (replica useast01): zoneRedundancy "Disabled" → "Enabled", ~5 h 12 min, high risk [needs approval]',
    );
    expect(describeStep(steps[1]!)).toMatch(/^none westeurope — home region/);
  });
});
