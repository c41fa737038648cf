// What the Durable extension does with the actions an out-of-process orchestrator returns.
//
// The extension replays the actions against DurableTask.Core one at a time, awaiting each before it issues
// the next (OutOfProcOrchestrationShim, schema V2+); WhenAll/WhenAny issue their children together.
// DurableTask.Core hands out sequence numbers as tasks are issued and, while it walks the history, checks
// every scheduling event against the task issued under that number. Retries (RetryInterceptor) and long
// timers are expanded here, on the host side, into attempts and timers with their own sequence numbers.
// The durable-functions SDK mirrors that numbering; simulating the host is what tells which actions are
// new, which ids they take, and whether the orchestrator still does what its history says it did. The
// checks the extension makes while it issues an action (known function names, sub-orchestration ids,
// retry intervals) fail the orchestration as they do there.

import type { OrchestratorAction, RetryOptionsJson } from './actions';
import { ActionType, actionTypeName, inputJson } from './actions';
import type { EventRaisedEvent, HistoryEvent } from './history';
import { EventType } from './history';
import { subOrchestrationIdProblem } from './instanceIdRules';
import type { KnownFunctions } from './knownFunctions';
import { unknownActivityProblem, unknownOrchestratorProblem } from './knownFunctions';
import { MAXIMUM_DELAY_MS, nextRetryDelayMs } from './retryPolicy';

export interface TimerLimits {
  /** Timers further away than this are split into intervals (Azure Storage provider: 6 days). */
  maximumShortTimerMs: number;
  /** Length of each interval of a split timer (Azure Storage provider: 3 days). */
  longRunningTimerIntervalMs: number;
}

export type ScheduledWork =
  | { kind: 'activity'; id: number; name: string; input: string | null }
  | { kind: 'timer'; id: number; fireAt: Date }
  | { kind: 'subOrchestration'; id: number; name: string; instanceId: string; input: string | null };

export interface ShimReplayResult {
  /** Work the orchestrator asked for that the history does not hold yet, in sequence order. */
  newWork: ScheduledWork[];
  /** Set when the history and the orchestrator disagree. */
  nondeterminism?: string;
  /** Set when the orchestrator used an API the devhost does not carry out. */
  unsupported?: string;
  /** Set when the extension would throw while issuing an action: the orchestration fails with it. */
  failure?: string;
  /** Set when the orchestrator called continueAsNew; carryOver holds events that arrived after it. */
  continueAsNew?: { input: unknown; carryOver: EventRaisedEvent[] };
  /** The next free sequence number (DurableTask.Core gives it to the completion action). */
  nextSequenceNumber: number;
}

export interface ShimReplayInput {
  /** The whole history of the execution, this episode's new events included. */
  history: HistoryEvent[];
  actions: OrchestratorAction[];
  executionId: string;
  limits: TimerLimits;
  /** The instance and its parent, for the extension's sub-orchestration id checks. */
  instanceId?: string;
  parentInstanceId?: string | null;
  /** The registered functions; when given, actions naming others fail the orchestration. */
  functions?: KnownFunctions;
}

export function replayShim(input: ShimReplayInput): ShimReplayResult {
  return new ShimSimulation(input).run();
}

abstract class HostTask {
  settled = false;
  failed = false;
  private listeners: (() => void)[] = [];

  whenSettled(listener: () => void): void {
    if (this.settled) {
      listener();
    } else {
      this.listeners.push(listener);
    }
  }

  settle(failed: boolean): void {
    if (this.settled) {
      return;
    }
    this.settled = true;
    this.failed = failed;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) {
      listener();
    }
  }
}

class SettledTask extends HostTask {
  constructor() {
    super();
    this.settle(false);
  }
}

/** A task that never completes: an action the devhost cannot carry out. */
class BlockedTask extends HostTask {}

class ScheduledTask extends HostTask {
  inHistory = false;
  constructor(readonly work: ScheduledWork) {
    super();
  }
}

class ExternalEventTask extends HostTask {
  constructor(readonly eventName: string) {
    super();
  }
}

class CompoundTask extends HostTask {
  constructor(
    private readonly mode: 'all' | 'any',
    private readonly children: HostTask[],
  ) {
    super();
    if (children.length === 0) {
      this.settle(false);
    }
    for (const child of children) {
      child.whenSettled(() => this.check());
    }
  }

  private check(): void {
    if (this.mode === 'any') {
      if (this.children.some((c) => c.settled)) {
        this.settle(false);
      }
    } else if (this.children.every((c) => c.settled)) {
      this.settle(this.children.some((c) => c.failed));
    }
  }
}

function describeWork(work: ScheduledWork): string {
  switch (work.kind) {
    case 'activity':
      return `CallActivity '${work.name}'`;
    case 'timer':
      return 'CreateTimer';
    case 'subOrchestration':
      return `CallSubOrchestrator '${work.name}'`;
  }
}

function describeScheduledEvent(event: HistoryEvent): string {
  switch (event.EventType) {
    case EventType.TaskScheduled:
      return `CallActivity '${event.Name}'`;
    case EventType.SubOrchestrationInstanceCreated:
      return `CallSubOrchestrator '${event.Name}'`;
    default:
      return 'CreateTimer';
  }
}

function sameWork(event: HistoryEvent, work: ScheduledWork): boolean {
  switch (event.EventType) {
    case EventType.TaskScheduled:
      return work.kind === 'activity' && work.name === event.Name;
    case EventType.SubOrchestrationInstanceCreated:
      return work.kind === 'subOrchestration' && work.name === event.Name;
    case EventType.TimerCreated:
      return work.kind === 'timer';
    default:
      return false;
  }
}

class ShimSimulation {
  private nextId = 0;
  private now = new Date(0);
  private cursor = 0;
  private readonly scheduled = new Map<number, ScheduledTask>();
  private readonly waiters = new Map<string, ExternalEventTask[]>();
  private readonly buffered = new Map<string, EventRaisedEvent[]>();
  private nondeterminism: string | undefined;
  private unsupported: string | undefined;
  private failure: string | undefined;
  private continueAsNew: { input: unknown; carryOver: EventRaisedEvent[] } | undefined;

  constructor(private readonly input: ShimReplayInput) {}

  run(): ShimReplayResult {
    for (const event of this.input.history) {
      this.process(event);
      if (this.nondeterminism !== undefined || this.failure !== undefined) {
        break;
      }
    }
    const newWork = [...this.scheduled.values()]
      .filter((t) => !t.inHistory)
      .map((t) => t.work)
      .sort((a, b) => a.id - b.id);
    return {
      newWork,
      nondeterminism: this.nondeterminism,
      unsupported: this.unsupported,
      failure: this.failure,
      continueAsNew: this.continueAsNew,
      nextSequenceNumber: this.nextId,
    };
  }

  private process(event: HistoryEvent): void {
    switch (event.EventType) {
      case EventType.OrchestratorStarted:
        this.now = new Date(event.Timestamp);
        return;
      case EventType.ExecutionStarted:
        this.advance();
        return;
      case EventType.TaskScheduled:
      case EventType.TimerCreated:
      case EventType.SubOrchestrationInstanceCreated:
        this.confirm(event);
        return;
      case EventType.TaskCompleted:
      case EventType.SubOrchestrationInstanceCompleted:
        this.complete(event.TaskScheduledId, false);
        return;
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceFailed:
        this.complete(event.TaskScheduledId, true);
        return;
      case EventType.TimerFired:
        this.complete(event.TimerId, false);
        return;
      case EventType.EventRaised:
        if (this.continueAsNew) {
          this.continueAsNew.carryOver.push(event);
        } else {
          this.deliver(event);
        }
        return;
      default:
        return;
    }
  }

  /** Issues the orchestrator's actions in order, each once the one before it has completed. */
  private advance(): void {
    const actions = this.input.actions;
    while (this.cursor < actions.length && this.nondeterminism === undefined && this.failure === undefined) {
      const action = actions[this.cursor++];
      if (!action) {
        continue;
      }
      const task = this.issue(action);
      if (!task.settled) {
        task.whenSettled(() => this.advance());
        return;
      }
    }
  }

  private issue(action: OrchestratorAction): HostTask {
    const problem = this.problemWith(action);
    if (problem !== undefined) {
      this.failure ??= problem;
      return new BlockedTask();
    }
    switch (action.actionType) {
      case ActionType.CallActivity:
        return this.activity(action);
      case ActionType.CallActivityWithRetry:
        return this.withRetry(action, () => this.activity(action));
      case ActionType.CallSubOrchestrator:
        return this.subOrchestration(action);
      case ActionType.CallSubOrchestratorWithRetry:
        return this.withRetry(action, () => this.subOrchestration(action));
      case ActionType.CreateTimer:
        return this.createTimer(action);
      case ActionType.WaitForExternalEvent:
        return this.waitForEvent(action.externalEventName ?? '');
      case ActionType.ContinueAsNew:
        this.continueAsNew = { input: action.input, carryOver: [] };
        return new SettledTask();
      case ActionType.WhenAll:
        return new CompoundTask(
          'all',
          (action.compoundActions ?? []).map((a) => this.issue(a)),
        );
      case ActionType.WhenAny:
        return new CompoundTask(
          'any',
          (action.compoundActions ?? []).map((a) => this.issue(a)),
        );
      case ActionType.CallHttp:
        this.unsupported ??= 'callHttp is not supported by the devhost';
        return new BlockedTask();
      default:
        this.unsupported ??= `${actionTypeName(action.actionType)}: durable entities are not supported by the devhost`;
        return new BlockedTask();
    }
  }

  /** What DurableOrchestrationContext throws for this action before scheduling anything, if anything. */
  private problemWith(action: OrchestratorAction): string | undefined {
    const known = this.input.functions;
    const name = action.functionName ?? '';
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry:
        return (
          this.retryProblem(action) ?? (known === undefined ? undefined : unknownActivityProblem(known, name))
        );
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry:
        return (
          this.retryProblem(action) ??
          (known === undefined ? undefined : unknownOrchestratorProblem(known, name)) ??
          (action.instanceId
            ? subOrchestrationIdProblem(action.instanceId, this.input.instanceId, this.input.parentInstanceId)
            : undefined)
        );
      default:
        return undefined;
    }
  }

  /** AzureStorageDurabilityProvider.ValidateDelayTime on the retry intervals. */
  private retryProblem(action: OrchestratorAction): string | undefined {
    const options = action.retryOptions;
    if (
      options !== undefined &&
      (options.firstRetryIntervalInMilliseconds > MAXIMUM_DELAY_MS ||
        (options.maxRetryIntervalInMilliseconds ?? 0) > MAXIMUM_DELAY_MS)
    ) {
      return `The Azure Storage provider supports a maximum of ${MAXIMUM_DELAY_MS / 86_400_000} days for time-based delays`;
    }
    return undefined;
  }

  private schedule(make: (id: number) => ScheduledWork): ScheduledTask {
    const id = this.nextId++;
    const task = new ScheduledTask(make(id));
    this.scheduled.set(id, task);
    return task;
  }

  private activity(action: OrchestratorAction): ScheduledTask {
    return this.schedule((id) => ({
      kind: 'activity',
      id,
      name: action.functionName ?? '',
      input: inputJson(action.input),
    }));
  }

  private subOrchestration(action: OrchestratorAction): ScheduledTask {
    return this.schedule((id) => ({
      kind: 'subOrchestration',
      id,
      name: action.functionName ?? '',
      // DurableTask.Core names unnamed sub-orchestrations after the parent execution and the task id.
      instanceId: action.instanceId || `${this.input.executionId}:${id}`,
      input: inputJson(action.input),
    }));
  }

  private timer(fireAt: Date): ScheduledTask {
    return this.schedule((id) => ({ kind: 'timer', id, fireAt }));
  }

  private createTimer(action: OrchestratorAction): HostTask {
    const fireAt = new Date(action.fireAt ?? 0);
    const task =
      fireAt.getTime() - this.now.getTime() > this.input.limits.maximumShortTimerMs
        ? this.longTimer(fireAt)
        : this.timer(fireAt);
    if (action.isCanceled) {
      // The extension cancels the timer's token right after creating it: the task ends, the timer stays.
      task.settle(true);
    }
    return task;
  }

  /** A timer beyond the provider's limit, carried out as a chain of interval timers. */
  private longTimer(finalFireAt: Date): HostTask {
    const whole = new BlockedTask();
    const next = (): void => {
      const { maximumShortTimerMs, longRunningTimerIntervalMs } = this.input.limits;
      const remaining = finalFireAt.getTime() - this.now.getTime();
      const fireAt =
        remaining > maximumShortTimerMs
          ? new Date(this.now.getTime() + longRunningTimerIntervalMs)
          : finalFireAt;
      const part = this.timer(fireAt);
      part.whenSettled(() => {
        if (whole.settled) {
          return;
        }
        if (finalFireAt.getTime() > this.now.getTime()) {
          next();
        } else {
          whole.settle(false);
        }
      });
    };
    next();
    return whole;
  }

  /**
   * DurableTask.Core's RetryInterceptor: attempt, and after each failure a timer, then the next attempt.
   * After the last attempt it still creates a timer (older versions did, and histories must replay), but
   * one that fires at once: there is no back-off wait once the attempts are used up.
   */
  private withRetry(action: OrchestratorAction, attempt: () => ScheduledTask): HostTask {
    const options: RetryOptionsJson = action.retryOptions ?? {
      firstRetryIntervalInMilliseconds: 1000,
      maxNumberOfAttempts: 1,
    };
    const whole = new BlockedTask();
    const firstAttemptAt = this.now;
    let retryCount = 0;
    const run = (): void => {
      const current = attempt();
      current.whenSettled(() => {
        if (!current.failed) {
          whole.settle(false);
          return;
        }
        if (retryCount + 1 >= options.maxNumberOfAttempts) {
          this.timer(this.now).whenSettled(() => whole.settle(true));
          return;
        }
        const delay = nextRetryDelayMs(options, retryCount, firstAttemptAt, this.now);
        if (delay <= 0) {
          whole.settle(true);
          return;
        }
        this.timer(new Date(this.now.getTime() + delay)).whenSettled(() => {
          retryCount++;
          run();
        });
      });
    };
    run();
    return whole;
  }

  private waitForEvent(name: string): HostTask {
    const task = new ExternalEventTask(name);
    const pending = this.buffered.get(name);
    if (pending && pending.length > 0) {
      pending.shift();
      task.settle(false);
      return task;
    }
    const list = this.waiters.get(name) ?? [];
    list.push(task);
    this.waiters.set(name, list);
    return task;
  }

  private deliver(event: EventRaisedEvent): void {
    const list = this.waiters.get(event.Name);
    const waiter = list?.shift();
    if (waiter) {
      waiter.settle(false);
      return;
    }
    const pending = this.buffered.get(event.Name) ?? [];
    pending.push(event);
    this.buffered.set(event.Name, pending);
  }

  private confirm(event: HistoryEvent): void {
    const id = event.EventId;
    const task = this.scheduled.get(id);
    const recorded = describeScheduledEvent(event);
    if (!task || task.inHistory) {
      this.nondeterminism = `Non-deterministic orchestrator: at step ${id} history has ${recorded} but the orchestrator scheduled nothing at that step`;
      return;
    }
    if (!sameWork(event, task.work)) {
      this.nondeterminism = `Non-deterministic orchestrator: at step ${id} history has ${recorded} but the orchestrator scheduled ${describeWork(task.work)}`;
      return;
    }
    task.inHistory = true;
  }

  private complete(id: number, failed: boolean): void {
    const task = this.scheduled.get(id);
    // DurableTask.Core ignores completions it has no open task for (duplicates, canceled timers).
    if (task && task.inHistory && !task.settled) {
      task.settle(failed);
    }
  }
}
