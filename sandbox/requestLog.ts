// What callers asked of the sandbox and what they got, so tests can count operations and faults.

export interface RequestLogEntry {
  /** ISO timestamp (wall clock). */
  at: string;
  requestId: string;
  method: string;
  path: string;
  /** Operation name, e.g. "Replications_Create". */
  operation: string;
  status: number;
  subscriptionId?: string;
  /** Object id of the authenticated caller. */
  principalId?: string;
  /** The injected fault, when one replaced or delayed the answer. */
  fault?: 'throttle' | 'error' | 'drop' | 'latency';
}

export interface RequestLogQuery {
  subscriptionId?: string;
  operation?: string;
  principalId?: string;
}

/** Keeps the latest entries only: the log is for tests and debugging, not an audit trail. */
const CAPACITY = 20_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > CAPACITY) this.entries.splice(0, this.entries.length - CAPACITY);
  }

  query(filter: RequestLogQuery = {}): RequestLogEntry[] {
    return this.entries.filter(
      (e) =>
        matches(filter.subscriptionId, e.subscriptionId) &&
        matches(filter.operation, e.operation) &&
        matches(filter.principalId, e.principalId),
    );
  }

  clear(): void {
    this.entries = [];
  }
}

/** Counts per "operation status" pair, e.g. {"Replications_Create 201": 2, "Replications_Create 429": 1}. */
export function countByOperation(entries: readonly RequestLogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) {
    const name = `${entry.operation} ${entry.status}`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

function matches(wanted: string | undefined, actual: string | undefined): boolean {
  return wanted === undefined || (actual !== undefined && wanted.toLowerCase() === actual.toLowerCase());
}
