// Runs one activity work item and records its result.
//
// The result becomes a message in the instance's partition, written in the same transaction that deletes
// the work item. So the work item is either still there (the devhost stopped before recording: the
// activity runs again, at least once as in Azure) or gone together with exactly one recorded result.

import type { TransactionAction } from '@azure/data-tables';
import type { Logger } from '../log';
import { taskCompleted, taskFailed } from './history';
import { taskResultMessage } from './messages';
import type { OrchestrationStore, WorkItem } from './store';
import { deleteAction, isStatusCode, messageEntity } from './store';
import type { DurableFunctions } from './workerBridge';

export interface ActivityContext {
  store: OrchestrationStore;
  functions: DurableFunctions;
  log: Logger;
  now(): Date;
}

export type ActivityResult = 'recorded' | 'superseded';

export async function runActivity(ctx: ActivityContext, item: WorkItem): Promise<ActivityResult> {
  const outcome = await ctx.functions.runActivity(item.name, item.input);
  const now = ctx.now();
  let event;
  switch (outcome.kind) {
    case 'completed':
      event = taskCompleted(now, item.taskScheduledId, outcome.result);
      break;
    case 'failed':
      ctx.log.warn(
        `Activity '${item.name}' (${item.instanceId}, task ${item.taskScheduledId}) failed: ${outcome.message}`,
      );
      event = taskFailed(
        now,
        item.taskScheduledId,
        `Activity function '${item.name}' failed: ${outcome.message}`,
        outcome.details,
      );
      break;
    case 'notFound': {
      const message = `The function '${item.name}' doesn't exist, is disabled, or is not an activity function.`;
      event = taskFailed(now, item.taskScheduledId, message, message);
      break;
    }
  }
  const message = taskResultMessage(item.executionId, item.taskScheduledId, event);
  const actions: TransactionAction[] = [
    deleteAction(item.instanceId, item.rowKey),
    ['create', messageEntity(item.instanceId, message)],
  ];
  try {
    await ctx.store.commit(actions);
    return 'recorded';
  } catch (error) {
    // 404: the work item is gone (already recorded, or the instance was purged); 409: the result is waiting.
    if (isStatusCode(error, 404, 409)) {
      return 'superseded';
    }
    throw error;
  }
}
