// Timer-triggered functions: `%Setting%` references resolved, NCRONTAB (or TimeSpan) schedules, runOnStartup,
// and the TimerInfo payload the host sends ({Schedule, ScheduleStatus, IsPastDue}, camel-cased by the
// library). A run that starts well after its scheduled time is reported as past due.

import { resolveSettingReferences } from '../config/appSettings';
import type { Logger } from '../log';
import type { RegisteredFunction, WorkerRuntime } from '../worker/coreModule';
import type { ExtraInputProvider } from '../worker/bindingInputs';
import { buildInputData, triggerBinding, triggerType } from '../worker/bindingInputs';
import { invokeFunction } from '../worker/invokeFunction';
import type { CronSchedule } from './ncrontab';
import { nextOccurrence, parseNcrontab, parseTimeSpanSchedule } from './ncrontab';

/** DateTime.MinValue, what the host reports as the last run before the first one. */
const NEVER = '0001-01-01T00:00:00';
/** Runs starting later than this after their scheduled time count as past due. */
export const PAST_DUE_TOLERANCE_MS = 1000;
const MAX_TIMEOUT_MS = 2_147_483_647;

export interface TimerInfoPayload {
  Schedule: { AdjustForDST: boolean };
  ScheduleStatus: { Last: string; Next: string; LastUpdated: string };
  IsPastDue: boolean;
}

interface TimerFunction {
  fn: RegisteredFunction;
  schedule: { cron: CronSchedule } | { intervalMs: number };
  runOnStartup: boolean;
  disabled: boolean;
  last: string;
  timeout?: NodeJS.Timeout;
}

export function timerPayload(
  last: string,
  next: Date | undefined,
  isPastDue: boolean,
  now: Date,
): TimerInfoPayload {
  return {
    Schedule: { AdjustForDST: true },
    ScheduleStatus: { Last: last, Next: next?.toISOString() ?? NEVER, LastUpdated: now.toISOString() },
    IsPastDue: isPastDue,
  };
}

/**
 * The host's switch for one function: the app setting `AzureWebJobs.<name>.Disabled` (or, where dots
 * cannot stand in a variable name, `AzureWebJobs__<name>__Disabled`) set to true or 1. A disabled timer
 * is never triggered by its schedule; the admin endpoint can still run it on demand.
 */
export function isFunctionDisabled(name: string, env: NodeJS.ProcessEnv): boolean {
  const value = env[`AzureWebJobs.${name}.Disabled`] ?? env[`AzureWebJobs__${name}__Disabled`];
  return value !== undefined && ['true', '1'].includes(value.trim().toLowerCase());
}

export class TimerTriggers {
  private readonly timers: TimerFunction[] = [];
  private stopped = false;

  constructor(
    private readonly runtime: WorkerRuntime,
    private readonly extras: ExtraInputProvider,
    env: NodeJS.ProcessEnv,
    private readonly log: Logger,
  ) {
    for (const fn of runtime.functions.values()) {
      if (triggerType(fn) !== 'timertrigger') {
        continue;
      }
      const binding = triggerBinding(fn).binding;
      const schedule = typeof binding.schedule === 'string' ? binding.schedule : '';
      const expression = resolveSettingReferences(schedule, env);
      const intervalMs = parseTimeSpanSchedule(expression);
      this.timers.push({
        fn,
        schedule: intervalMs !== undefined ? { intervalMs } : { cron: parseNcrontab(expression) },
        runOnStartup: binding.runOnStartup === true,
        disabled: isFunctionDisabled(fn.metadata.name, env),
        last: NEVER,
      });
    }
  }

  get functionNames(): string[] {
    return this.timers.map((t) => t.fn.metadata.name);
  }

  start(): void {
    this.stopped = false;
    for (const timer of this.timers) {
      if (timer.disabled) {
        this.log.info(`Function ${timer.fn.metadata.name} is disabled: its schedule does not run`);
        continue;
      }
      if (timer.runOnStartup) {
        void this.fire(timer, new Date(), false);
      }
      this.scheduleNext(timer, new Date());
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) {
      clearTimeout(timer.timeout);
    }
  }

  /** Runs a timer function now, as the host's admin endpoint does. */
  async runNow(name: string): Promise<boolean> {
    const timer = this.timers.find((t) => t.fn.metadata.name.toLowerCase() === name.toLowerCase());
    if (!timer) {
      return false;
    }
    await this.fire(timer, new Date(), false);
    return true;
  }

  private next(timer: TimerFunction, after: Date): Date | undefined {
    return 'cron' in timer.schedule
      ? nextOccurrence(timer.schedule.cron, after)
      : new Date(after.getTime() + timer.schedule.intervalMs);
  }

  private scheduleNext(timer: TimerFunction, after: Date): void {
    const due = this.next(timer, after);
    if (!due || this.stopped) {
      return;
    }
    const arm = (): void => {
      const wait = due.getTime() - Date.now();
      if (wait > MAX_TIMEOUT_MS) {
        timer.timeout = setTimeout(arm, MAX_TIMEOUT_MS);
        return;
      }
      timer.timeout = setTimeout(
        () => {
          const now = new Date();
          void this.fire(timer, due, now.getTime() - due.getTime() > PAST_DUE_TOLERANCE_MS);
          this.scheduleNext(timer, due > now ? due : now);
        },
        Math.max(0, wait),
      );
    };
    arm();
  }

  private async fire(timer: TimerFunction, scheduledFor: Date, isPastDue: boolean): Promise<void> {
    const now = new Date();
    const payload = timerPayload(timer.last, this.next(timer, now), isPastDue, now);
    timer.last = scheduledFor.toISOString();
    const name = timer.fn.metadata.name;
    try {
      await invokeFunction(this.runtime, timer.fn, {
        inputData: buildInputData(timer.fn, { json: JSON.stringify(payload) }, this.extras),
      });
      this.log.info(`Executed 'Functions.${name}' (Succeeded)`);
    } catch (error) {
      this.log.error(
        `Executed 'Functions.${name}' (Failed): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
