// A sweep's heals run as orchestrations of their own under each replica's id: started only when nothing
// holds the replica (a sub-orchestration would replace a running one on the Durable host), and judged by
// what runs under the id afterwards; then followed until they end.
import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import type { ActivityHandler } from 'durable-functions';

import { instanceStatus, isActive, runsInput, startExclusive } from '../../azure/exclusiveStart';
import type { HealResult } from '../../domain';
import { HEAL_REPLICA_ORCHESTRATION, READ_HEALS_ACTIVITY, START_HEAL_ACTIVITY } from './healing.contract';
import type { HealLaunch, HealProgress, HealStart } from './healing.contract';

/**
 * Starts each heal unless another operation holds its replica, in the order given; safe to run again (a
 * heal started already then finds itself), so a start that throws fails the call and all are tried again.
 */
export async function startHeals(launches: HealLaunch[], context: InvocationContext): Promise<HealStart[]> {
  const client = df.getClient(context);
  return Promise.all(
    launches.map((launch) =>
      startExclusive(client, HEAL_REPLICA_ORCHESTRATION, launch.instanceId, launch.request),
    ),
  );
}

export async function readHeals(launches: HealLaunch[], context: InvocationContext): Promise<HealProgress[]> {
  const client = df.getClient(context);
  return Promise.all(
    launches.map(async ({ instanceId, request }): Promise<HealProgress> => {
      const status = await instanceStatus(client, instanceId);
      if (status === undefined) {
        return { instanceId, done: true, failure: 'the heal was purged before the sweep read its result' };
      }
      if (!runsInput(status, request)) {
        return {
          instanceId,
          done: true,
          failure:
            'a later operation on the replica replaced the heal before the sweep read its result (the audit trail has what the heal did)',
        };
      }
      if (isActive(status)) return { instanceId, done: false };
      if (status.runtimeStatus === df.OrchestrationRuntimeStatus.Completed) {
        return { instanceId, done: true, result: status.output as HealResult };
      }
      const output = typeof status.output === 'string' ? status.output : JSON.stringify(status.output);
      return { instanceId, done: true, failure: `the heal ended ${String(status.runtimeStatus)}: ${output}` };
    }),
  );
}

const clientInput = df.input.durableClient();
df.app.activity(START_HEAL_ACTIVITY, {
  extraInputs: [clientInput],
  handler: startHeals as ActivityHandler,
});
df.app.activity(READ_HEALS_ACTIVITY, {
  extraInputs: [clientInput],
  handler: readHeals as ActivityHandler,
});
