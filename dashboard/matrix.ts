// The dashboard's fleet matrix as a pure function: what the REST API reports about registries, replicas
// and operations, turned into one cell per registry and region. Kept free of the DOM so that the rules
// of which state a cell shows are unit-tested on their own.

export type CellState = 'healthy' | 'provisioning' | 'stuck' | 'failed' | 'healing' | 'absent';

export interface RegistryRow {
  id: string;
  name: string;
  homeRegion: string;
}

export interface ReplicaItem {
  id: string;
  location: string;
  provisioningState: string;
}

export interface OperationItem {
  operationId: string;
  runtimeStatus: string;
  operation?: string;
  target?: string;
  phase?: string;
  armStartedAt?: string;
  requestedAt?: string;
  createdTime?: string;
  lastUpdatedTime?: string;
  result?: { outcome?: string; results?: { replicaId: string; outcome: string }[] };
}

export interface Cell {
  state: CellState;
  /** A symbol that tells the state apart without colour. */
  symbol: string;
  /** The words shown in the cell. */
  text: string;
}

/** The symbol and the word of each state, shown in every cell and in the legend. */
export const STATES: Record<CellState, { symbol: string; label: string }> = {
  healthy: { symbol: '✓', label: 'healthy' },
  provisioning: { symbol: '…', label: 'provisioning' },
  stuck: { symbol: '!', label: 'stuck' },
  failed: { symbol: '✗', label: 'failed' },
  healing: { symbol: '↻', label: 'being healed' },
  absent: { symbol: '·', label: 'absent' },
};

const ACTIVE = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);
/** Outcomes of a finished operation or a sweep that leave a provisioning replica stuck. */
const STUCK_OUTCOMES = new Set(['stuck', 'reported', 'escalated', 'rejected', 'failed']);
const PROVISIONING = new Set(['creating', 'updating', 'deleting']);

export function isActive(operation: OperationItem): boolean {
  return ACTIVE.has(operation.runtimeStatus);
}

const same = (a: string | undefined, b: string): boolean =>
  a !== undefined && a.toLowerCase() === b.toLowerCase();

/** Regions as columns: every region a replica of any registry is in, sorted. */
export function regionsOf(replicas: readonly ReplicaItem[]): string[] {
  return [...new Set(replicas.map((r) => r.location.toLowerCase()))].sort();
}

/** How long, in whole minutes or hours, from `since` to `now`. */
export function elapsed(since: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * The cell of one replica (or of none): an active heal wins, then ARM's own failure, then a provisioning
 * replica is stuck when the newest finished operation or sweep about it said so, else provisioning for as
 * long as the operations know.
 */
export function cellOf(
  replica: ReplicaItem | undefined,
  operations: readonly OperationItem[],
  now: Date,
): Cell {
  if (replica === undefined) return cell('absent');
  const about = operations.filter((o) => same(o.target, replica.id));
  if (about.some((o) => isActive(o) && o.operation === 'heal')) return cell('healing');
  const state = replica.provisioningState.toLowerCase();
  if (state === 'failed') return cell('failed');
  if (state === 'succeeded') return cell('healthy');
  if (!PROVISIONING.has(state)) return { ...cell('provisioning'), text: replica.provisioningState };
  if (stuckVerdict(replica.id, operations)) return cell('stuck');
  const since = about
    .filter(isActive)
    .map((o) => o.armStartedAt ?? o.requestedAt ?? o.createdTime)
    .find((t) => t !== undefined);
  const base = cell('provisioning');
  return since === undefined ? base : { ...base, text: `${base.text} ${elapsed(since, now)}` };
}

/** Whether the newest finished word about this replica (its own operation or a sweep's result) is stuck. */
function stuckVerdict(replicaId: string, operations: readonly OperationItem[]): boolean {
  const verdicts = operations
    .filter((o) => !isActive(o))
    .flatMap((o) => {
      const at = o.lastUpdatedTime ?? o.createdTime ?? '';
      if (same(o.target, replicaId) && o.result?.outcome !== undefined)
        return [{ at, outcome: o.result.outcome }];
      const entry = o.result?.results?.find((r) => same(r.replicaId, replicaId));
      return entry === undefined ? [] : [{ at, outcome: entry.outcome }];
    })
    .sort((a, b) => b.at.localeCompare(a.at));
  const newest = verdicts[0];
  return newest !== undefined && STUCK_OUTCOMES.has(newest.outcome);
}

function cell(state: CellState): Cell {
  return { state, symbol: STATES[state].symbol, text: STATES[state].label };
}

/** The matrix: one row per registry, one cell per region, in `regions` order. */
export function matrixOf(
  registries: readonly RegistryRow[],
  replicas: ReadonlyMap<string, readonly ReplicaItem[]>,
  operations: readonly OperationItem[],
  now: Date,
): { regions: string[]; rows: { registry: RegistryRow; cells: Cell[] }[] } {
  const all = [...replicas.values()].flat();
  const regions = regionsOf(all);
  const rows = registries.map((registry) => {
    const own = replicas.get(registry.id) ?? [];
    const cells = regions.map((region) =>
      cellOf(
        own.find((r) => same(r.location, region)),
        operations,
        now,
      ),
    );
    return { registry, cells };
  });
  return { regions, rows };
}
