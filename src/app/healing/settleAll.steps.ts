// Waits for every task of a batch and reports each one's outcome, instead of failing at the first fault
// as Task.all does. The batch is scheduled at once; tasks still running after a fault are waited for one
// by one (they are already scheduled, so yielding them again schedules nothing new).
import type { OrchestrationContext, Task } from 'durable-functions';

export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export function* settleAll(
  context: OrchestrationContext,
  tasks: Task[],
): Generator<unknown, Settled[], unknown> {
  if (tasks.length === 0) return [];
  try {
    yield context.df.Task.all(tasks);
  } catch {
    for (const task of tasks) {
      if (task.isCompleted) continue;
      try {
        yield task;
      } catch {
        // read below from the task itself
      }
    }
  }
  return tasks.map((task) =>
    task.isFaulted ? { ok: false, error: task.result } : { ok: true, value: task.result },
  );
}

/** `items` cut into consecutive batches of at most `size`. */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size))
    batches.push(items.slice(i, i + Math.max(1, size)));
  return batches;
}
