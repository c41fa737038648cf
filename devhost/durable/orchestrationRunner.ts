// One orchestration episode: take the instance's due messages, replay the history with the new events
// through the app's orchestrator function, and commit the result in a single transaction:
//
//   history row(s) for the episode + instance row (ETag-checked, changed properties merged)
//   + consumed messages deleted
//   + one outbox row listing the work to deliver (activities, timers, sub-orchestrations, parent notice)
//
// It reads the instance row and the inbox; the history comes from the history cache, which reads from
// storage only the rows it does not hold yet.
//
// A crash before the commit leaves everything as it was (the messages are still there, the episode runs
// again); a crash after it leaves an outbox row, which the scheduler delivers at its next start (or its
// fallback poll, once the row is old).

import type { TransactionAction } from '@azure/data-tables';
import type { Logger } from '../log';
import type { OrchestratorStateJson } from './actions';
import { flattenActions, inputJson } from './actions';
import { planEpisode } from './episodePlan';
import type { ExecutionStartedEvent, HistoryEvent, ParentInstance } from './history';
import {
  continuedAsNew,
  EventType,
  executionCompleted,
  executionStarted,
  orchestratorCompleted,
  orchestratorStarted,
  OrchestrationStatus,
  subOrchestrationCompleted,
  subOrchestrationCreated,
  subOrchestrationFailed,
  taskScheduled,
  timerCreated,
  timerFired,
} from './history';
import type { OrchestrationMessage, OutboxItem } from './messages';
import { clientMessage, startMessage, subOrchestrationResultMessage, timerMessage } from './messages';
import { customStatusProblem } from './customStatusLimit';
import type { HistoryCache } from './historyCache';
import { orchestrationPayload } from './orchestrationPayload';
import type { ScheduledWork, TimerLimits } from './shimReplay';
import { replayShim } from './shimReplay';
import type { InstanceState, OrchestrationStore, RuntimeStatus, StoredMessage } from './store';
import {
  deleteAction,
  historyEntities,
  isStatusCode,
  isTerminal,
  messageEntity,
  outboxEntity,
  outboxRowKey,
  stateChanges,
} from './store';
import type { DurableFunctions } from './workerBridge';
import { newExecutionId, WorkQueue } from './workQueue';

/** Keeps an episode's transaction under the 100-action limit, continue-as-new carry-over included. */
export const MAX_MESSAGES_PER_EPISODE = 40;
const MAX_TRANSACTION_ACTIONS = 100;

export interface EpisodeContext {
  store: OrchestrationStore;
  history: HistoryCache;
  queue: WorkQueue;
  functions: DurableFunctions;
  limits: TimerLimits;
  log: Logger;
  now(): Date;
}

/** `more`: due messages were left for another episode (batch limit). */
export type EpisodeResult = 'idle' | 'committed' | 'more' | 'conflict';

export interface EpisodeOutcome {
  result: EpisodeResult;
  /**
   * Visible messages left in the inbox (a suspended instance keeps all but resume and terminate; one not
   * started yet keeps everything until its start message comes).
   */
  waiting: string[];
  /** When the earliest message not yet visible (a durable timer) becomes visible. */
  nextVisibleAt: Date | undefined;
}

interface Completion {
  status: RuntimeStatus;
  output: string | null;
  /** For a failure: the reason a parent orchestration sees. */
  reason?: string;
  details?: string;
}

function schedulingEvent(work: ScheduledWork, now: Date): HistoryEvent {
  switch (work.kind) {
    case 'activity':
      return taskScheduled(now, work.id, work.name, work.input);
    case 'timer':
      return timerCreated(now, work.id, work.fireAt);
    case 'subOrchestration':
      return subOrchestrationCreated(now, work.id, work.name, work.instanceId, work.input);
  }
}

function outboxItemFor(work: ScheduledWork, state: InstanceState): OutboxItem {
  switch (work.kind) {
    case 'activity':
      return {
        type: 'activity',
        executionId: state.executionId,
        taskScheduledId: work.id,
        name: work.name,
        input: work.input,
      };
    case 'timer': {
      const fired = timerFired(work.fireAt, work.id, work.fireAt.toISOString());
      return {
        type: 'message',
        instanceId: state.instanceId,
        message: timerMessage(state.executionId, work.id, fired, work.fireAt),
      };
    }
    case 'subOrchestration': {
      const parent: ParentInstance = {
        Name: state.name,
        Version: '',
        TaskScheduleId: work.id,
        OrchestrationInstance: { InstanceId: state.instanceId, ExecutionId: state.executionId },
      };
      return {
        type: 'startSubOrchestration',
        instanceId: work.instanceId,
        name: work.name,
        input: work.input,
        parent,
      };
    }
  }
}

function parentNotice(state: InstanceState, completion: Completion, now: Date): OutboxItem | undefined {
  const parent = state.parent;
  if (!parent) {
    return undefined;
  }
  const taskId = parent.TaskScheduleId;
  const event =
    completion.status === 'Completed'
      ? subOrchestrationCompleted(now, taskId, completion.output ?? 'null')
      : subOrchestrationFailed(now, taskId, completion.reason ?? completion.status, completion.details ?? '');
  return {
    type: 'message',
    instanceId: parent.OrchestrationInstance.InstanceId,
    message: subOrchestrationResultMessage(parent.OrchestrationInstance.ExecutionId, taskId, event),
  };
}

function failureCompletion(name: string, message: string, details: string): Completion {
  const reason = `Orchestrator function '${name}' failed: ${message}`;
  return { status: 'Failed', output: JSON.stringify(reason), reason, details: details || message };
}

export async function runEpisode(ctx: EpisodeContext, instanceId: string): Promise<EpisodeOutcome> {
  const inbox = await ctx.store.readInbox(instanceId);
  const now = ctx.now();
  const due = inbox.messages.filter((m) => m.visibleAt.getTime() <= now.getTime());
  const later = inbox.messages.filter((m) => m.visibleAt.getTime() > now.getTime());
  const nextVisibleAt = later.reduce<Date | undefined>(
    (earliest, m) => (earliest === undefined || m.visibleAt < earliest ? m.visibleAt : earliest),
    undefined,
  );
  const batch = due.slice(0, MAX_MESSAGES_PER_EPISODE);
  const done: EpisodeResult = due.length > batch.length ? 'more' : 'committed';
  const outcome = (result: EpisodeResult, consumed: StoredMessage[] = batch): EpisodeOutcome => {
    const taken = new Set(consumed.map((m) => m.rowKey));
    const waiting = result === 'more' ? [] : batch.filter((m) => !taken.has(m.rowKey)).map((m) => m.rowKey);
    return { result, waiting, nextVisibleAt };
  };
  const state = inbox.state;
  if (batch.length === 0) {
    return outcome('idle');
  }
  if (!state) {
    // The instance was purged; its leftover messages mean nothing now.
    await ctx.store.commit(batch.map((m) => deleteAction(instanceId, m.rowKey)));
    ctx.history.forget(instanceId);
    return outcome(done);
  }

  // A finished instance takes nothing from its inbox, whatever its history says.
  const past = isTerminal(state.runtimeStatus) ? [] : await ctx.history.historyOf(state);
  const plan = planEpisode(state, past, batch);
  if (plan.events.length === 0) {
    if (plan.consumed.length === 0) {
      return outcome('idle', []);
    }
    await ctx.store.commit(plan.consumed.map((m) => deleteAction(instanceId, m.rowKey)));
    return outcome(done, plan.consumed);
  }

  const newEventsFrom = past.length;
  const episodeEvents: HistoryEvent[] = [orchestratorStarted(now), ...plan.events];
  const history = [...past, ...episodeEvents];
  const started = history.find((e): e is ExecutionStartedEvent => e.EventType === EventType.ExecutionStarted);
  const name = started?.Name ?? state.name;

  const appended: HistoryEvent[] = [...episodeEvents];
  const outbox: OutboxItem[] = [];
  const sameInstanceMessages: OrchestrationMessage[] = [];
  let next: InstanceState = { ...state, runtimeStatus: 'Running', lastUpdatedTime: now };
  let completion: Completion | undefined;

  if (plan.terminated) {
    const terminated = plan.events.find((e) => e.EventType === EventType.ExecutionTerminated);
    const reason = terminated?.EventType === EventType.ExecutionTerminated ? terminated.Input : null;
    completion = {
      status: 'Terminated',
      output: JSON.stringify(reason ?? ''),
      reason: `Orchestration '${instanceId}' was terminated: ${reason ?? ''}`,
      details: reason ?? '',
    };
    appended.push(executionCompleted(now, -1, OrchestrationStatus.Terminated, completion.output));
  } else if (plan.suspended) {
    next.runtimeStatus = 'Suspended';
  } else {
    const payload = orchestrationPayload(instanceId, history, newEventsFrom, ctx.limits);
    const outcome = await ctx.functions.runOrchestrator(name, payload);
    let jsState: OrchestratorStateJson | undefined;
    if (outcome.kind === 'notFound') {
      completion = failureCompletion(
        name,
        `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`,
        '',
      );
    } else {
      jsState = outcome.state;
      // The extension sets the custom status before it replays the actions; an oversized one throws there.
      const customStatus =
        jsState?.customStatus === undefined ? undefined : JSON.stringify(jsState.customStatus);
      const tooLarge = customStatus === undefined ? undefined : customStatusProblem(customStatus);
      if (customStatus !== undefined && tooLarge === undefined) {
        next.customStatus = customStatus;
      }
      const replay = replayShim({
        history,
        actions: jsState ? flattenActions(jsState) : [],
        executionId: state.executionId,
        limits: ctx.limits,
        instanceId,
        parentInstanceId: state.parent?.OrchestrationInstance.InstanceId ?? null,
        functions: ctx.functions.known(),
      });
      if (tooLarge !== undefined) {
        completion = failureCompletion(name, tooLarge, tooLarge);
      } else if (replay.nondeterminism !== undefined) {
        completion = failureCompletion(name, replay.nondeterminism, replay.nondeterminism);
      } else if (replay.failure !== undefined) {
        completion = failureCompletion(name, replay.failure, replay.failure);
      } else if (outcome.kind === 'failed') {
        completion = failureCompletion(name, outcome.message, outcome.details);
      } else if (replay.unsupported !== undefined) {
        completion = failureCompletion(name, replay.unsupported, replay.unsupported);
      } else if (replay.continueAsNew) {
        const input = inputJson(replay.continueAsNew.input);
        appended.push(continuedAsNew(now, replay.nextSequenceNumber, input));
        const executionId = newExecutionId();
        const restart = executionStarted(
          now,
          { InstanceId: instanceId, ExecutionId: executionId },
          name,
          input,
          state.parent,
          (started?.Generation ?? 1) + 1,
        );
        sameInstanceMessages.push(startMessage(executionId, restart));
        for (const event of replay.continueAsNew.carryOver) {
          sameInstanceMessages.push(clientMessage(event));
        }
        next = {
          ...next,
          executionId,
          runtimeStatus: 'ContinuedAsNew',
          input,
          output: null,
          historyRows: 0,
          outboxRows: 0,
        };
      } else {
        for (const work of replay.newWork) {
          appended.push(schedulingEvent(work, now));
          outbox.push(outboxItemFor(work, state));
        }
        if (outcome.state.isDone) {
          const output = JSON.stringify(outcome.state.output ?? null);
          completion = { status: 'Completed', output };
          appended.push(
            executionCompleted(now, replay.nextSequenceNumber, OrchestrationStatus.Completed, output),
          );
        }
      }
    }
    if (completion?.status === 'Failed') {
      appended.push(executionCompleted(now, -1, OrchestrationStatus.Failed, completion.output));
    }
  }
  appended.push(orchestratorCompleted(now));

  if (completion) {
    next.runtimeStatus = completion.status;
    next.output = completion.output;
    const notice = parentNotice(state, completion, now);
    if (notice) {
      outbox.push(notice);
    }
  }

  const actions: TransactionAction[] = [];
  const historyRows = historyEntities(instanceId, state.executionId, state.historyRows, appended);
  actions.push(...historyRows.map((entity): TransactionAction => ['create', entity]));
  actions.push(...plan.consumed.map((m: StoredMessage) => deleteAction(instanceId, m.rowKey)));
  actions.push(
    ...sameInstanceMessages.map((m): TransactionAction => [
      'upsert',
      messageEntity(instanceId, m),
      'Replace',
    ]),
  );

  // Work in the instance's own partition goes into the episode's transaction when it fits; the rest
  // (other instances, or too much for one transaction) goes through an outbox row.
  const local = outbox.filter((item) => WorkQueue.isLocal(instanceId, item));
  const remote = outbox.filter((item) => !WorkQueue.isLocal(instanceId, item));
  const inline = actions.length + local.length + (remote.length > 0 ? 1 : 0) + 1 <= MAX_TRANSACTION_ACTIONS;
  const deferred = inline ? remote : outbox;
  if (inline) {
    actions.push(...local.map((item) => WorkQueue.localWrite(instanceId, item)));
  }
  let outboxKey: string | undefined;
  if (deferred.length > 0) {
    outboxKey = outboxRowKey(state.executionId, state.outboxRows);
    actions.push(['create', outboxEntity(instanceId, outboxKey, deferred)]);
  }
  if (next.executionId === state.executionId) {
    next.historyRows = state.historyRows + historyRows.length;
    next.outboxRows = state.outboxRows + (outboxKey ? 1 : 0);
  }
  const stateUpdate = actions.length;
  actions.push(['update', stateChanges(state, next), 'Merge', { etag: state.etag }]);

  let committed;
  try {
    committed = await ctx.store.commit(actions);
  } catch (error) {
    if (isStatusCode(error, 409, 412)) {
      ctx.log.debug(`Episode of ${instanceId} lost a race and will run again`);
      ctx.history.forget(instanceId);
      return outcome('conflict', plan.consumed);
    }
    throw error;
  }
  // The rows just written are the history's end (a new execution has none yet), and the instance row's
  // new ETag vouches for it.
  const etag = committed?.subResponses[stateUpdate]?.etag;
  if (isTerminal(next.runtimeStatus)) {
    ctx.history.forget(instanceId);
  } else {
    ctx.history.committed(next, etag, next.executionId === state.executionId ? [...past, ...appended] : []);
  }

  if (completion) {
    ctx.log.info(`Orchestration '${name}' (${instanceId}) ${completion.status.toLowerCase()}`);
  }
  if (inline) {
    ctx.queue.announce(instanceId, local);
  }
  if (outboxKey) {
    await ctx.queue.deliverOutbox({ rowKey: outboxKey, instanceId, items: deferred }, false);
  }
  if (next.executionId !== state.executionId) {
    await ctx.queue.removeStaleRows(instanceId, next.executionId);
  }
  // A new execution's start message is already waiting.
  return outcome(next.executionId !== state.executionId ? 'more' : done, plan.consumed);
}
