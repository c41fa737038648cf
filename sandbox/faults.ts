// Injected faults: latency, throttling, server errors, dropped connections, and replica creates that
// end Failed. Rules can be scoped (subscription, operation, method, path) so parallel tests do not
// disturb each other, and can be deterministic ("the next N matching requests").
import { randomUUID } from 'node:crypto';
import type { FaultMatch, FaultRule } from './types';

export interface RequestFacts {
  subscriptionId?: string;
  operation: string;
  method: string;
  path: string;
}

export type TerminalFault =
  | { kind: 'throttle'; retryAfterSeconds: number; ruleId: string }
  | { kind: 'error'; status: 500 | 503; retryAfterSeconds?: number; ruleId: string }
  | { kind: 'drop'; ruleId: string };

export interface FaultDecision {
  /** Delay before answering (sum of matching latency rules). */
  latencyMs: number;
  /** At most one fault that replaces the answer. */
  terminal?: TerminalFault;
}

const KINDS: ReadonlySet<FaultRule['kind']> = new Set([
  'latency',
  'throttle',
  'error',
  'drop',
  'replicationFailure',
]);

export class FaultBook {
  private rules: FaultRule[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** Validates and installs rules; returns them with their ids. */
  add(rules: readonly FaultRule[]): FaultRule[] {
    const installed = rules.map((rule) => ({ ...validateRule(rule), id: rule.id ?? randomUUID() }));
    this.rules.push(...installed);
    return installed;
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Removes every rule, or those scoped to one subscription. */
  clear(subscriptionId?: string): void {
    this.rules =
      subscriptionId === undefined
        ? []
        : this.rules.filter((rule) => !sameText(rule.match?.subscriptionId, subscriptionId));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  /** Decides the faults for one ARM request, consuming counted rules that hit. */
  decide(request: RequestFacts): FaultDecision {
    let latencyMs = 0;
    let terminal: TerminalFault | undefined;
    for (const rule of [...this.rules]) {
      if (rule.kind === 'replicationFailure' || !matches(rule.match, request)) continue;
      if (rule.kind !== 'latency' && terminal) continue;
      if (!this.hits(rule)) continue;
      if (rule.kind === 'latency') {
        latencyMs += (rule.latencyMs ?? 0) + (rule.jitterMs ? this.random() * rule.jitterMs : 0);
      } else {
        terminal = toTerminal(rule);
      }
    }
    return terminal ? { latencyMs, terminal } : { latencyMs };
  }

  /** Consumes a `replicationFailure` rule matching a replica create, if any. */
  takeReplicationFailure(
    registryId: string,
    location: string,
  ): { code: string; message: string } | undefined {
    const rule = this.rules.find(
      (r) =>
        r.kind === 'replicationFailure' &&
        sameText(r.registryId, registryId) &&
        (r.location === undefined || sameText(r.location, location)),
    );
    if (!rule || !this.hits(rule)) return undefined;
    return {
      code: rule.errorCode ?? 'ReplicationProvisioningFailed',
      message: rule.errorMessage ?? `The replication in location '${location}' failed to provision.`,
    };
  }

  private hits(rule: FaultRule): boolean {
    if (rule.rate !== undefined && this.random() >= rule.rate) return false;
    if (rule.count !== undefined) {
      rule.count -= 1;
      if (rule.count <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return true;
  }
}

function toTerminal(rule: FaultRule): TerminalFault {
  const ruleId = rule.id ?? '';
  switch (rule.kind) {
    case 'throttle':
      return { kind: 'throttle', retryAfterSeconds: rule.retryAfterSeconds ?? 1, ruleId };
    case 'error':
      return {
        kind: 'error',
        status: rule.status ?? 500,
        ruleId,
        ...(rule.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.retryAfterSeconds } : {}),
      };
    default:
      return { kind: 'drop', ruleId };
  }
}

function matches(match: FaultMatch | undefined, request: RequestFacts): boolean {
  if (!match) return true;
  return (
    (match.subscriptionId === undefined || sameText(match.subscriptionId, request.subscriptionId)) &&
    (match.operation === undefined || sameText(match.operation, request.operation)) &&
    (match.method === undefined || sameText(match.method, request.method)) &&
    (match.pathIncludes === undefined ||
      request.path.toLowerCase().includes(match.pathIncludes.toLowerCase()))
  );
}

function sameText(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

function validateRule(rule: FaultRule): FaultRule {
  const problems: string[] = [];
  if (!KINDS.has(rule.kind)) problems.push(`kind must be one of ${[...KINDS].join(', ')}`);
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1))
    problems.push('rate must be between 0 and 1');
  if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count > 0))
    problems.push('count must be a positive integer');
  if (rule.latencyMs !== undefined && !(rule.latencyMs >= 0)) problems.push('latencyMs must be >= 0');
  if (rule.jitterMs !== undefined && !(rule.jitterMs >= 0)) problems.push('jitterMs must be >= 0');
  if (rule.status !== undefined && rule.status !== 500 && rule.status !== 503)
    problems.push('status must be 500 or 503');
  if (rule.retryAfterSeconds !== undefined && !(rule.retryAfterSeconds >= 0))
    problems.push('retryAfterSeconds must be >= 0');
  if (rule.kind === 'replicationFailure' && !rule.registryId)
    problems.push('replicationFailure needs registryId');
  if (problems.length > 0) throw new FaultRuleError(`Invalid fault rule: ${problems.join('; ')}.`);
  return { ...rule, ...(rule.match ? { match: { ...rule.match } } : {}) };
}

export class FaultRuleError extends Error {
  override readonly name = 'FaultRuleError';
}
