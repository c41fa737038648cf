// The one place that builds Azure Resource Manager clients. The endpoint comes from settings so the same
// code talks to public Azure or to a local stand-in; tokens are always asked for ARM's audience.
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { DefaultAzureCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';
import type { Pipeline, PipelinePolicy } from '@azure/core-rest-pipeline';

import { armEndpoint, managedIdentityClientId } from '../config/settings';
import { armBudget } from './armBudget';
import type { ArmBudget } from './armBudget';
import { armRequestTelemetryPolicy } from './armRequestTelemetry';

export const ARM_SCOPE = 'https://management.azure.com/.default';

export class ArmClients {
  private readonly registries = new Map<string, ContainerRegistryManagementClient>();
  private readonly authorizations = new Map<string, AuthorizationManagementClient>();
  private subscriptionClient: SubscriptionClient | undefined;

  /** Policies every client gets after its retry policy, so they see each attempt: the budget, telemetry. */
  private readonly policies: PipelinePolicy[];

  constructor(
    readonly credential: TokenCredential,
    readonly endpoint: string,
    /** Told about every answer (remaining requests, 429s), per attempt. */
    readonly budget: ArmBudget = armBudget(),
  ) {
    this.policies = [budget.policy, armRequestTelemetryPolicy()];
  }

  private instrument<T extends { pipeline: Pipeline }>(client: T): T {
    for (const policy of this.policies) client.pipeline.addPolicy(policy, { afterPhase: 'Retry' });
    return client;
  }

  containerRegistry(subscriptionId: string): ContainerRegistryManagementClient {
    let client = this.registries.get(subscriptionId);
    if (client === undefined) {
      client = this.instrument(
        new ContainerRegistryManagementClient(this.credential, subscriptionId, {
          endpoint: this.endpoint,
          credentials: { scopes: [ARM_SCOPE] },
        }),
      );
      this.registries.set(subscriptionId, client);
    }
    return client;
  }

  authorization(subscriptionId: string): AuthorizationManagementClient {
    let client = this.authorizations.get(subscriptionId);
    if (client === undefined) {
      client = this.instrument(
        new AuthorizationManagementClient(this.credential, subscriptionId, {
          endpoint: this.endpoint,
          credentialScopes: [ARM_SCOPE],
        }),
      );
      this.authorizations.set(subscriptionId, client);
    }
    return client;
  }

  subscriptions(): SubscriptionClient {
    if (this.subscriptionClient === undefined) {
      this.subscriptionClient = this.instrument(
        new SubscriptionClient(this.credential, {
          endpoint: this.endpoint,
          credentialScopes: [ARM_SCOPE],
        }),
      );
    }
    return this.subscriptionClient;
  }
}

let shared: ArmClients | undefined;

/** Clients for the app's own identity, shared by every invocation in this process. */
export function armClients(): ArmClients {
  if (shared === undefined) {
    const clientId = managedIdentityClientId();
    const credential = new DefaultAzureCredential(
      clientId === undefined ? {} : { managedIdentityClientId: clientId },
    );
    shared = new ArmClients(credential, armEndpoint());
  }
  return shared;
}
