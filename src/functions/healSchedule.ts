// The self-healing schedule (`HEAL_SCHEDULE`, NCRONTAB): each tick starts a sweep, unless the previous
// one is still running; such a tick is skipped and audited as skipped.
import { app } from '@azure/functions';
import type { InvocationContext, Timer } from '@azure/functions';
import * as df from 'durable-functions';

import { healScheduleBinding } from '../config/settings';
import { auditSweepRequest, startSweep, sweepRequest } from './sweepStarter';

export const HEAL_SCHEDULE_FUNCTION = 'healSchedule';

export const SCHEDULE_ACTOR = { id: 'schedule', name: 'heal schedule' };

export async function healScheduleTick(timer: Timer, context: InvocationContext): Promise<void> {
  const request = sweepRequest(SCHEDULE_ACTOR, 'schedule', false);
  const start = await startSweep(df.getClient(context), request);
  if (start.started) {
    context.log(`sweep started${timer.isPastDue ? ' (the tick was late)' : ''}`);
    return;
  }
  if (!start.busy) {
    context.error(`sweep tick failed: ${start.reason}`);
    await auditSweepRequest(request, 'failed', { reason: start.reason });
    return;
  }
  context.log(`sweep tick skipped: ${start.reason}`);
  await auditSweepRequest(request, 'skipped', { reason: start.reason });
}

app.timer(HEAL_SCHEDULE_FUNCTION, {
  schedule: healScheduleBinding(),
  extraInputs: [df.input.durableClient()],
  handler: healScheduleTick,
});
