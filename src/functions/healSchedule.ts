// The self-healing schedule (`HEAL_SCHEDULE`, NCRONTAB): each tick starts a sweep, unless the previous
// one is still running; such a tick is skipped and audited as skipped. The schedule is checked when this
// module loads, so a malformed one stops the app at start.
import { app } from '@azure/functions';
import type { InvocationContext, Timer } from '@azure/functions';
import * as df from 'durable-functions';

import { sweepOnSchedule } from '../app/healing/healing.useCases';
import { healScheduleBinding } from '../config/settings';

export const HEAL_SCHEDULE_FUNCTION = 'healSchedule';

export async function healScheduleTick(timer: Timer, context: InvocationContext): Promise<void> {
  const start = await sweepOnSchedule(df.getClient(context));
  if (start.started) context.log(`sweep started${timer.isPastDue ? ' (the tick was late)' : ''}`);
  else if (start.busy) context.log(`sweep tick skipped: ${start.reason}`);
  else context.error(`sweep tick failed: ${start.reason}`);
}

app.timer(HEAL_SCHEDULE_FUNCTION, {
  schedule: healScheduleBinding(),
  extraInputs: [df.input.durableClient()],
  handler: healScheduleTick,
});
