// The history the devhost already holds for the instances it runs, so that an episode reads from storage
// only what it does not have. Storage stays the truth: an entry is used only while the instance row's
// ETag is the one the devhost last wrote or read with it (every history row is written in the same
// transaction as an ETag-checked update of that row), and otherwise only the rows after the ones held are
// read (history rows are created once per execution and never changed), or, for another execution, all.

import type { HistoryEvent } from './history';
import type { InstanceState, OrchestrationStore } from './store';

interface Entry {
  executionId: string;
  /** The instance row's ETag when `events` was all the execution's history. */
  etag: string;
  /** History rows `events` came from (the instance row's HistoryRows then). */
  rows: number;
  events: HistoryEvent[];
}

/** Enough for every instance running at once; the least recently used beyond this are read again. */
const DEFAULT_CAPACITY = 100;

export class HistoryCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: OrchestrationStore,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** The current execution's history as the instance row `state` (just read) describes it. */
  async historyOf(state: InstanceState): Promise<HistoryEvent[]> {
    const id = state.instanceId;
    const held = this.entries.get(id);
    let events: HistoryEvent[];
    if (held?.executionId === state.executionId && held.etag === state.etag) {
      events = held.events;
    } else if (held?.executionId === state.executionId && held.rows <= state.historyRows) {
      const newer = await this.store.readHistory(id, state.executionId, held.rows);
      events = [...held.events, ...newer];
    } else {
      events = await this.store.readHistory(id, state.executionId);
    }
    this.remember(id, { executionId: state.executionId, etag: state.etag, rows: state.historyRows, events });
    return events;
  }

  /** After a commit: the execution's history is now `events`, and the instance row has `etag`. */
  committed(state: InstanceState, etag: string | undefined, events: HistoryEvent[]): void {
    this.remember(state.instanceId, {
      executionId: state.executionId,
      etag,
      rows: state.historyRows,
      events,
    });
  }

  forget(instanceId: string): void {
    this.entries.delete(instanceId);
  }

  private remember(instanceId: string, entry: Omit<Entry, 'etag'> & { etag: string | undefined }): void {
    this.entries.delete(instanceId);
    if (entry.etag === undefined) {
      return;
    }
    this.entries.set(instanceId, { ...entry, etag: entry.etag });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) {
        break;
      }
      this.entries.delete(oldest);
    }
  }
}
