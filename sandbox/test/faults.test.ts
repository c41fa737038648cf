// Fault rules decided without HTTP: matching, counted rules, rates, and replica-create failures.
import { FaultBook, FaultRuleError } from '../faults';

const request = {
  subscriptionId: 'sub-1',
  operation: 'Replications_Get',
  method: 'GET',
  path: '/subscriptions/sub-1/x',
};

describe('fault book', () => {
  it('hits only the next N matching requests of a counted rule, then retires it', () => {
    const book = new FaultBook();
    book.add([{ kind: 'throttle', count: 2, match: { operation: 'replications_get' } }]);

    const decisions = [book.decide(request), book.decide(request), book.decide(request)];

    expect(decisions.map((d) => d.terminal?.kind)).toEqual(['throttle', 'throttle', undefined]);
    expect(book.list()).toEqual([]);
  });

  it('ignores requests of other subscriptions, operations or methods', () => {
    const book = new FaultBook();
    book.add([
      { kind: 'error', match: { subscriptionId: 'sub-2' } },
      { kind: 'drop', match: { method: 'PUT' } },
    ]);

    expect(book.decide(request)).toEqual({ latencyMs: 0 });
  });

  it('adds up latency rules and applies at most one answer-replacing fault', () => {
    const book = new FaultBook(() => 0.5);
    book.add([
      { kind: 'latency', latencyMs: 10, jitterMs: 10 },
      { kind: 'latency', latencyMs: 5 },
      { kind: 'error', status: 503, retryAfterSeconds: 2, count: 1 },
      { kind: 'throttle', count: 1 },
    ]);

    const first = book.decide(request);
    const second = book.decide(request);

    expect(first).toMatchObject({
      latencyMs: 20,
      terminal: { kind: 'error', status: 503, retryAfterSeconds: 2 },
    });
    expect(second.terminal?.kind).toBe('throttle');
  });

  it('hits a request when the random draw falls under the rate', () => {
    const draws = [0.1, 0.9];
    const book = new FaultBook(() => draws.shift() ?? 1);
    book.add([{ kind: 'error', rate: 0.5 }]);

    expect([book.decide(request).terminal?.kind, book.decide(request).terminal?.kind]).toEqual([
      'error',
      undefined,
    ]);
  });

  it('fails the next create of a registry, optionally in one location only', () => {
    const book = new FaultBook();
    book.add([
      {
        kind: 'replicationFailure',
        registryId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r',
        location: 'eastus',
        count: 1,
      },
    ]);
    const registry = '/subscriptions/S/resourceGroups/G/providers/Microsoft.ContainerRegistry/registries/R';

    expect(book.takeReplicationFailure(registry, 'westus')).toBeUndefined();
    expect(book.takeReplicationFailure(registry, 'eastus')).toMatchObject({
      code: 'ReplicationProvisioningFailed',
    });
    expect(book.takeReplicationFailure(registry, 'eastus')).toBeUndefined();
  });

  it('clears the rules of one subscription and rejects malformed rules', () => {
    const book = new FaultBook();
    book.add([
      { kind: 'error', match: { subscriptionId: 'sub-1' } },
      { kind: 'error', match: { subscriptionId: 'sub-2' } },
    ]);

    book.clear('SUB-1');

    expect(book.list().map((r) => r.match?.subscriptionId)).toEqual(['sub-2']);
    expect(() => book.add([{ kind: 'replicationFailure' }])).toThrow(FaultRuleError);
    expect(() => book.add([{ kind: 'throttle', count: 0 }])).toThrow(FaultRuleError);
  });
});
