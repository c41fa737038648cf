import type { AuditRecord } from '../../src/domain';
import { DIMENSIONS, METRICS, REPLICA_STATES, TELEMETRY_EVENTS } from '../../src/domain/telemetry';
import type { Measurement } from '../../src/domain/telemetry';
import {
  armCallSignals,
  armRequestKind,
  auditStepSignals,
  healOutcomeOf,
  replicaStateSignals,
  verificationSignals,
} from '../../src/domain/telemetrySignals';

const SUB = '00000000-0000-0000-0000-0000000000aa';
const REGISTRY = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.ContainerRegistry/registries/crapp01`;
const REPLICA = `${REGISTRY}/replications/northeurope`;

function record(overrides: Partial<AuditRecord>): AuditRecord {
  return {
    time: '2026-03-01T10:30:00.000Z',
    actor: { id: 'schedule', name: 'heal schedule' },
    channel: 'schedule',
    operation: 'heal',
    target: REPLICA,
    instanceId: 'replica:abc',
    step: 'diagnosed',
    outcome: 'succeeded',
    ...overrides,
  };
}

const measured = (measurements: Measurement[]): string[] => measurements.map((m) => `${m.metric}=${m.value}`);

describe('one log record per audit entry', () => {
  test('carries the operation id, registry, replica, region, step and outcome as dimensions', () => {
    const { log } = auditStepSignals({ ...record({ step: 'permission-granted' }), sequence: 7 });

    expect(log).toEqual({
      event: TELEMETRY_EVENTS.auditStep,
      severity: 'info',
      message: `heal permission-granted succeeded: ${REPLICA}`,
      dimensions: {
        event: TELEMETRY_EVENTS.auditStep,
        operationId: 'replica:abc',
        operation: 'heal',
        registry: REGISTRY,
        subscriptionId: SUB,
        replicaId: REPLICA,
        region: 'northeurope',
        step: 'permission-granted',
        outcome: 'succeeded',
        channel: 'schedule',
        sequence: 7,
      },
    });
  });

  test('never carries the actor, the detail or anything not named in DIMENSIONS', () => {
    const secretish = record({
      actor: { id: 'U0SECRET', name: 'Someone' },
      step: 'approval',
      outcome: 'accepted',
      detail: { approver: { id: 'U0SECRET' }, body: 'token=abc', reason: 'because' },
    });
    const { log } = auditStepSignals(secretish);

    const names = Object.values(DIMENSIONS) as string[];
    expect(Object.keys(log!.dimensions).filter((name) => !names.includes(name))).toEqual([]);
    expect(JSON.stringify(log)).not.toMatch(/U0SECRET|token=abc|because|Someone/);
  });

  test('a registry target has no replica dimensions; a fleet target has none at all', () => {
    expect(auditStepSignals(record({ operation: 'sweep', target: REGISTRY })).log!.dimensions).toMatchObject({
      registry: REGISTRY,
      subscriptionId: SUB,
    });
    expect(auditStepSignals(record({ target: REGISTRY })).log!.dimensions.replicaId).toBeUndefined();
    const fleet = auditStepSignals(record({ operation: 'sweep', target: 'sweep', step: 'sweep-started' }));
    expect(fleet.log!.dimensions.registry).toBeUndefined();
  });

  test('a target shaped as an id but with a name ARM would refuse has no dimensions', () => {
    const badName = `${REGISTRY.replace(/registries\/[^/]+$/, 'registries/not_a_registry')}`;
    expect(auditStepSignals(record({ target: badName })).log!.dimensions.registry).toBeUndefined();
    expect(
      auditStepSignals(record({ target: `${badName}/replications/eastus` })).log!.dimensions.replicaId,
    ).toBeUndefined();
  });

  test.each([
    ['escalated', 'failed', 'error'],
    ['attempt-failed', 'failed', 'warning'],
    ['healed', 'succeeded', 'info'],
  ] as const)('%s %s is logged at %s', (step, outcome, severity) => {
    expect(auditStepSignals(record({ step, outcome })).log!.severity).toBe(severity);
  });

  test('a diagnosis carries what was diagnosed and how long the replica has been in its state', () => {
    const { log } = auditStepSignals(
      record({
        detail: {
          diagnosis: 'missing-private-link-permission',
          evidence: { provisioningState: 'Creating', minutesInState: 190.5, statusMessage: 'keep out' },
          plan: ['grant'],
        },
      }),
    );
    expect(log!.dimensions).toMatchObject({
      diagnosis: 'missing-private-link-permission',
      provisioningState: 'Creating',
      minutesInState: 190.5,
    });
    expect(JSON.stringify(log)).not.toContain('keep out');
  });
});

describe('heals by outcome and time to heal', () => {
  test.each([
    ['healed', 'succeeded', undefined, 'healed'],
    ['escalated', 'failed', undefined, 'escalated'],
    ['reported', 'skipped', undefined, 'reported'],
    ['approval', 'refused', undefined, 'rejected'],
    ['approval', 'skipped', undefined, 'rejected'],
    ['approval', 'accepted', undefined, undefined],
    ['scope-checked', 'refused', undefined, 'skipped'],
    ['busy', 'skipped', undefined, 'skipped'],
    ['diagnosed', 'skipped', undefined, 'skipped'],
    ['diagnosed', 'succeeded', { diagnosis: 'slow' }, 'skipped'],
    ['diagnosed', 'succeeded', { diagnosis: 'healthy' }, 'healthy'],
    ['diagnosed', 'succeeded', { diagnosis: 'failed' }, undefined],
    ['permission-granted', 'succeeded', undefined, undefined],
  ] as const)('%s %s %j ends the heal as %s', (step, outcome, detail, expected) => {
    expect(healOutcomeOf(record({ step, outcome, ...(detail === undefined ? {} : { detail }) }))).toBe(
      expected,
    );
  });

  test('only heals count: a replica operation that succeeds is no heal', () => {
    expect(healOutcomeOf(record({ operation: 'create', step: 'healed' }))).toBeUndefined();
  });

  test('the heal outcome counts once, and the time from the request to it is the time to heal', () => {
    const { log, measurements } = auditStepSignals(
      record({
        step: 'healed',
        detail: { attempt: 1, requestedAt: '2026-03-01T10:00:00.000Z' },
      }),
    );
    expect(measured(measurements)).toEqual(['heals=1', 'timeToHeal=1800']);
    expect(measurements[0]!.dimensions).toEqual({
      registry: REGISTRY,
      subscriptionId: SUB,
      healOutcome: 'healed',
      channel: 'schedule',
    });
    expect(log!.dimensions).toMatchObject({ healOutcome: 'healed', durationSeconds: 1800 });
  });

  test('an outcome without its request time counts without a duration; a time before the request none', () => {
    expect(measured(auditStepSignals(record({ step: 'reported', outcome: 'skipped' })).measurements)).toEqual(
      ['heals=1'],
    );
    const backwards = record({ step: 'healed', detail: { requestedAt: '2026-03-01T11:00:00.000Z' } });
    expect(measured(auditStepSignals(backwards).measurements)).toEqual(['heals=1']);
  });
});

describe('sweeps', () => {
  const completed = record({
    operation: 'sweep',
    target: 'sweep',
    instanceId: 'sweep',
    step: 'sweep-completed',
    detail: {
      dryRun: false,
      requestedAt: '2026-03-01T10:29:00.000Z',
      registries: 5,
      registriesScanned: 5,
      suspects: 3,
      scanFailures: 2,
      healed: 1,
    },
  });

  test('a completed sweep counts, with its suspects, its duration and its failed scans', () => {
    const { log, measurements } = auditStepSignals(completed);
    expect(measured(measurements)).toEqual([
      'sweeps=1',
      'sweepSuspects=3',
      'sweepDuration=60',
      'scanFailures=2',
    ]);
    expect(
      measurements.every((m) => m.dimensions.outcome === 'completed' && m.dimensions.dryRun === false),
    ).toBe(true);
    expect(log!.dimensions).toMatchObject({
      suspects: 3,
      scanFailures: 2,
      durationSeconds: 60,
      dryRun: false,
    });
  });

  test.each(['failed', 'skipped', 'refused'] as const)('a sweep whose start %s counts as such', (outcome) => {
    const { measurements } = auditStepSignals(
      record({ operation: 'sweep', target: 'sweep', step: 'requested', outcome, detail: { dryRun: true } }),
    );
    expect(measurements).toEqual([{ metric: 'sweeps', value: 1, dimensions: { outcome, dryRun: true } }]);
  });

  test('the start and a failed scan entry count nothing themselves (the completion counts the scans)', () => {
    for (const step of ['sweep-started', 'scan-failed']) {
      expect(auditStepSignals(record({ operation: 'sweep', target: 'sweep', step })).measurements).toEqual(
        [],
      );
    }
  });
});

test('replicas by state: the states the registry’s replicas are in, known or not, no zeros', () => {
  const { measurements, log } = replicaStateSignals(REGISTRY, [
    'Succeeded',
    'creating',
    'Succeeded',
    'Weird',
  ]);

  expect(log).toBeUndefined();
  const byState = Object.fromEntries(measurements.map((m) => [String(m.dimensions.state), m.value]));
  expect(byState).toEqual({ Succeeded: 2, Creating: 1, Weird: 1 });
  expect(REPLICA_STATES).toContain('Creating');
  expect(measurements.every((m) => m.metric === 'replicas' && m.dimensions.registry === REGISTRY)).toBe(true);
});

describe('ARM throttling and retries', () => {
  const url = `https://management.azure.com/subscriptions/${SUB.toUpperCase()}/resourceGroups/rg/providers/x?api-version=1`;

  test.each([
    ['GET', 'read'],
    ['HEAD', 'read'],
    ['PUT', 'write'],
    ['PATCH', 'write'],
    ['POST', 'write'],
    ['DELETE', 'delete'],
  ] as const)('%s is a %s', (method, kind) => {
    expect(armRequestKind(method)).toBe(kind);
  });

  test.each([
    [200, 1, []],
    [429, 1, ['armThrottled=1']],
    [200, 2, ['armRetries=1']],
    [429, 3, ['armThrottled=1', 'armRetries=1']],
    [undefined, 2, ['armRetries=1']],
  ] as const)('status %s on attempt %s counts %j', (status, attempt, expected) => {
    const { measurements } = armCallSignals({
      method: 'DELETE',
      url,
      attempt,
      ...(status === undefined ? {} : { status }),
    });
    expect(measured(measurements)).toEqual(expected);
    for (const m of measurements)
      expect(m.dimensions).toEqual({ subscriptionId: SUB, requestKind: 'delete' });
  });
});

test('a verification logs its verdict and counts by whether the chain was intact', () => {
  const broken = verificationSignals(REGISTRY, {
    intact: false,
    entries: 12,
    firstBreak: { kind: 'hash', sequence: 4 },
  });
  expect(broken.log).toMatchObject({
    event: TELEMETRY_EVENTS.auditVerified,
    severity: 'error',
    dimensions: { intact: false, entries: 12, breakKind: 'hash', sequence: 4, registry: REGISTRY },
  });
  expect(broken.measurements).toEqual([
    {
      metric: 'auditVerifications',
      value: 1,
      dimensions: { registry: REGISTRY, subscriptionId: SUB, intact: false },
    },
  ]);
  expect(verificationSignals(REGISTRY, { intact: true, entries: 3 }).log!.severity).toBe('info');
});

test('metric names are unique and namespaced', () => {
  const names = Object.values(METRICS).map((m) => m.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names.every((name) => name.startsWith('replicaguard.'))).toBe(true);
});
