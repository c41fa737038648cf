// The ARM clients carry the throttling and retry counter once, after the retry policy so that it sees
// every attempt.
import { DefaultAzureCredential } from '@azure/identity';

import { ArmClients } from '../../src/azure/armClients';
import { ARM_REQUEST_TELEMETRY_POLICY } from '../../src/azure/armRequestTelemetry';

const SUBSCRIPTION = '00000000-0000-0000-0000-0000000000ab';

test('every client gets the policy once, after the retry policy', () => {
  const clients = new ArmClients(new DefaultAzureCredential(), 'https://127.0.0.1:1');

  for (const make of [
    () => clients.containerRegistry(SUBSCRIPTION),
    () => clients.authorization(SUBSCRIPTION),
    () => clients.subscriptions(),
  ]) {
    const client = make();
    expect(make()).toBe(client);
    const names = client.pipeline.getOrderedPolicies().map((policy) => policy.name);
    expect(names.filter((name) => name === ARM_REQUEST_TELEMETRY_POLICY)).toHaveLength(1);
    const retry = names.findIndex((name) => /retryPolicy$/i.test(name));
    expect(retry).toBeGreaterThanOrEqual(0);
    expect(names.indexOf(ARM_REQUEST_TELEMETRY_POLICY)).toBeGreaterThan(retry);
  }
});
