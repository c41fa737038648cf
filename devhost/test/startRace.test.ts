// Two starts of one id racing: the Azure Storage provider reads, then writes conditionally and ignores the
// 409/412 (CreateTaskOrchestrationAsync, SetNewExecutionAsync), so the loser's caller is told it started.
// Made deterministic by handing the second start the state read before the first wrote; the scheduler is
// not needed, so a sink that ignores its signals stands in for it.

import { OrchestrationStore } from '../durable/store';
import type { WorkSignals } from '../durable/workQueue';
import { WorkQueue } from '../durable/workQueue';
import { storageConnectionString, uniqueHub } from '../testing';

const ignoreSignals: WorkSignals = {
  instanceReady: () => undefined,
  workItemsReady: () => undefined,
  wakeAt: () => undefined,
};

test('a start that loses the race to another start is dropped, and the winner keeps the instance', async () => {
  const store = await OrchestrationStore.open(storageConnectionString(), uniqueHub('Race'));
  const queue = new WorkQueue(store, ignoreSignals);
  const request = (input: string) => ({ instanceId: 'contested', name: 'Sequence', input, parent: null });

  const seenByLoser = await store.readState('contested');
  expect(seenByLoser).toBeUndefined();
  expect((await queue.startInstance(request('"winner"'))).outcome).toBe('started');
  const loser = await queue.startInstance(request('"loser"'), new Date(), seenByLoser ?? null);
  expect(loser.outcome).toBe('dropped');
  expect((await store.readState('contested'))?.input).toBe('"winner"');
});

test('a start after the first one has been written is refused as running', async () => {
  const store = await OrchestrationStore.open(storageConnectionString(), uniqueHub('Race'));
  const queue = new WorkQueue(store, ignoreSignals);
  const request = { instanceId: 'taken', name: 'Sequence', input: null, parent: null };
  expect((await queue.startInstance(request)).outcome).toBe('started');
  expect(await queue.startInstance(request)).toMatchObject({
    outcome: 'conflict',
    state: { runtimeStatus: 'Pending' },
  });
});
