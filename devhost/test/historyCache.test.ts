// The history cache reads from storage only what it does not hold, and never trusts what it holds once the
// instance row has changed underneath: rows another writer appended are read, a new execution is read
// whole. Against Table Storage, with the store's history reads recorded (the store itself is real).

import type { TransactionAction } from '@azure/data-tables';
import type { HistoryEvent } from '../durable/history';
import {
  eventRaised,
  EventType,
  executionStarted,
  orchestratorCompleted,
  orchestratorStarted,
} from '../durable/history';
import { HistoryCache } from '../durable/historyCache';
import type { InstanceState } from '../durable/store';
import { historyEntities, OrchestrationStore, stateChanges, stateEntity } from '../durable/store';
import { storageConnectionString, uniqueHub } from '../testing';

const at = new Date('2026-01-01T00:00:00Z');
const episode = (name: string): HistoryEvent[] => [
  orchestratorStarted(at),
  eventRaised(at, name, 'null'),
  orchestratorCompleted(at),
];

function instance(executionId: string, historyRows: number): InstanceState {
  return {
    instanceId: 'cached',
    name: 'Sequence',
    executionId,
    runtimeStatus: 'Running',
    input: null,
    output: null,
    customStatus: null,
    createdTime: at,
    lastUpdatedTime: at,
    parent: null,
    historyRows,
    outboxRows: 0,
  };
}

/** Another writer: history rows and the instance row in one transaction, as an episode writes them. */
async function write(
  store: OrchestrationStore,
  state: InstanceState,
  fromRow: number,
  events: HistoryEvent[],
): Promise<InstanceState> {
  const rows = historyEntities(state.instanceId, state.executionId, fromRow, events);
  const next = { ...state, historyRows: fromRow + rows.length };
  const actions: TransactionAction[] = rows.map((row): TransactionAction => ['create', row]);
  actions.push(['upsert', stateEntity(next), 'Replace']);
  await store.commit(actions);
  return readState(store);
}

const names = (events: HistoryEvent[]): string[] =>
  events.flatMap((e) => (e.EventType === EventType.EventRaised ? [e.Name] : []));

async function readState(store: OrchestrationStore): Promise<InstanceState> {
  const state = await store.readState('cached');
  if (!state) throw new Error('the instance row is missing');
  return state;
}

test('held history is used while the instance row is unchanged; rows written since are read, and a new execution whole', async () => {
  const store = await OrchestrationStore.open(storageConnectionString(), uniqueHub('Cache'));
  const reads: number[] = [];
  const observed = Object.create(store) as OrchestrationStore;
  observed.readHistory = (instanceId, executionId, fromRow = 0) => {
    reads.push(fromRow);
    return store.readHistory(instanceId, executionId, fromRow);
  };
  const cache = new HistoryCache(observed);

  const started = [executionStarted(at, { InstanceId: 'cached', ExecutionId: 'e1' }, 'Sequence', null, null)];
  let state = await write(store, instance('e1', 0), 0, [...started, ...episode('one')]);
  expect(names(await cache.historyOf(state))).toEqual(['one']);
  expect(names(await cache.historyOf(state))).toEqual(['one']);
  expect(reads).toEqual([0]);

  state = await write(store, state, state.historyRows, episode('two'));
  expect(names(await cache.historyOf(state))).toEqual(['one', 'two']);
  expect(reads).toEqual([0, 1]);

  const restarted = [
    executionStarted(at, { InstanceId: 'cached', ExecutionId: 'e2' }, 'Sequence', null, null),
  ];
  state = await write(store, instance('e2', 0), 0, [...restarted, ...episode('three')]);
  const held = await cache.historyOf(state);
  expect(names(held)).toEqual(['three']);
  expect(reads).toEqual([0, 1, 0]);

  // The devhost's own commit: the ETag the transaction answers with is the one the next read finds.
  const rows = historyEntities('cached', 'e2', state.historyRows, episode('four'));
  const next = { ...state, historyRows: state.historyRows + rows.length };
  const answer = await store.commit([
    ...rows.map((row): TransactionAction => ['create', row]),
    ['update', stateChanges(state, next), 'Merge', { etag: state.etag }],
  ]);
  cache.committed(next, answer?.subResponses[rows.length]?.etag, [...held, ...episode('four')]);
  expect(names(await cache.historyOf(await readState(store)))).toEqual(['three', 'four']);
  expect(reads).toEqual([0, 1, 0]);
});

test('merging an episode into the instance row leaves the input alone and clears an earlier null', async () => {
  const store = await OrchestrationStore.open(storageConnectionString(), uniqueHub('Merge'));
  const first = { ...instance('e1', 0), input: '"kept"', customStatus: null };
  await store.commit([['create', stateEntity(first)]]);
  const before = await readState(store);
  const after = { ...before, customStatus: '"step 2"', lastUpdatedTime: new Date(at.getTime() + 1000) };
  const changes = stateChanges(before, after);
  expect(Object.keys(changes).filter((k) => k.startsWith('Input'))).toEqual([]);
  await store.commit([['update', changes, 'Merge', { etag: before.etag }]]);
  expect(await readState(store)).toMatchObject({ input: '"kept"', customStatus: '"step 2"', output: null });
});
