// Test helpers for the ARM sandbox: an in-process sandbox per test file (sharing the CA named by
// NODE_EXTRA_CA_CERTS, which Node reads at start), real SDK clients pointed at it, a credential that
// fetches tokens from the admin API, the admin API itself, and a recorder of raw responses (checked
// against the official specs by the sandbox's own conformance tests).
import path from 'node:path';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { startSandbox } from '../server';
import { ensureCertificateAuthority, issueServerCertificate } from '../tls';
import type { ServerCertificate } from '../tls';
import type { RunningSandbox, SandboxOptions, SeedDocument } from '../types';

export const ARM_SCOPE = 'https://management.azure.com/.default';

/**
 * One connection per admin call. A test process can stall for seconds (jest compiling the next file)
 * with an idle keep-alive connection to the sandbox, which the server then times out; a request sent on
 * it as it closes fails with "other side closed".
 */
const FRESH_CONNECTION = { connection: 'close' };

/** The folder of the CA this process trusts; a sandbox started there serves a certificate it accepts. */
export function trustedTlsDir(): string {
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (!ca) {
    throw new Error(
      'NODE_EXTRA_CA_CERTS must name the sandbox CA when the test process starts (create it with ensureCertificateAuthority).',
    );
  }
  return path.dirname(ca);
}

/**
 * A certificate for 127.0.0.1 and localhost signed by the CA this process trusts, for another local HTTPS
 * stand-in (Azurite with OAuth, say) that the process should reach without disabling verification.
 */
export async function trustedServerCertificate(): Promise<ServerCertificate> {
  return issueServerCertificate(await ensureCertificateAuthority(trustedTlsDir()));
}

export interface TestSandbox extends RunningSandbox {
  admin: AdminClient;
}

/** Starts a sandbox on a free port with its own seed; speed 1000 makes provisioning take milliseconds. */
export async function startTestSandbox(
  seed: SeedDocument,
  options: Omit<SandboxOptions, 'seed' | 'tlsDir'> = {},
): Promise<TestSandbox> {
  const sandbox = await startSandbox({ speed: 1000, pageSize: 2, ...options, seed, tlsDir: trustedTlsDir() });
  return { ...sandbox, admin: new AdminClient(sandbox.url) };
}

export class AdminClient {
  constructor(private readonly baseUrl: string) {}

  async call<T = unknown>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}/admin${route}`, {
      method,
      ...(body === undefined
        ? { headers: FRESH_CONNECTION }
        : {
            body: JSON.stringify(body),
            headers: { ...FRESH_CONNECTION, 'content-type': 'application/json' },
          }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async requests(subscriptionId: string): Promise<RequestLogView> {
    return (await this.call<RequestLogView>('GET', `/requests?subscriptionId=${subscriptionId}`)).body;
  }
}

export interface RequestLogView {
  counts: Record<string, number>;
  requests: {
    /** When the sandbox answered (wall clock). */
    at: string;
    method: string;
    path: string;
    operation: string;
    status: number;
    principalId?: string;
    fault?: string;
  }[];
}

/** A TokenCredential for any seeded principal, minted by the sandbox's admin API. */
export class SandboxTokenCredential implements TokenCredential {
  constructor(
    private readonly sandboxUrl: string,
    private readonly objectId: string,
  ) {}

  async getToken(): Promise<AccessToken> {
    const response = await fetch(`${this.sandboxUrl}/admin/token`, {
      method: 'POST',
      headers: { ...FRESH_CONNECTION, 'content-type': 'application/json' },
      body: JSON.stringify({ objectId: this.objectId }),
    });
    if (!response.ok) throw new Error(`The sandbox refused a token for ${this.objectId}: ${response.status}`);
    const body = (await response.json()) as { accessToken: string; expiresOn: number };
    return { token: body.accessToken, expiresOnTimestamp: body.expiresOn * 1000 };
  }
}

export interface RecordedResponse {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A pipeline policy that keeps every raw response the client receives. */
export function responseRecorder(): { policy: PipelinePolicy; responses: RecordedResponse[] } {
  const responses: RecordedResponse[] = [];
  const policy: PipelinePolicy = {
    name: 'sandboxResponseRecorder',
    async sendRequest(request, next) {
      const response = await next(request);
      const text = response.bodyAsText;
      responses.push({
        method: request.method,
        url: request.url,
        status: response.status,
        headers: response.headers.toJSON(),
        body: text ? (JSON.parse(text) as unknown) : undefined,
      });
      return response;
    },
  };
  return { policy, responses };
}

export interface ClientOptions {
  /** Recorder policy to attach (see responseRecorder). */
  recorder?: PipelinePolicy;
}

const FAST_RETRIES = { retryDelayInMs: 5, maxRetryDelayInMs: 20 };

export function registryClient(
  sandbox: RunningSandbox,
  credential: TokenCredential,
  subscriptionId: string,
  options: ClientOptions = {},
): ContainerRegistryManagementClient {
  const client = new ContainerRegistryManagementClient(credential, subscriptionId, {
    endpoint: sandbox.url,
    credentials: { scopes: [ARM_SCOPE] },
    retryOptions: FAST_RETRIES,
  });
  if (options.recorder) client.pipeline.addPolicy(options.recorder);
  return client;
}

export function authorizationClient(
  sandbox: RunningSandbox,
  credential: TokenCredential,
  subscriptionId: string,
): AuthorizationManagementClient {
  return new AuthorizationManagementClient(credential, subscriptionId, {
    endpoint: sandbox.url,
    credentialScopes: [ARM_SCOPE],
    retryOptions: FAST_RETRIES,
  });
}

export function subscriptionClient(
  sandbox: RunningSandbox,
  credential: TokenCredential,
  options: ClientOptions = {},
): SubscriptionClient {
  const client = new SubscriptionClient(credential, {
    endpoint: sandbox.url,
    credentialScopes: [ARM_SCOPE],
    retryOptions: FAST_RETRIES,
  });
  if (options.recorder) client.pipeline.addPolicy(options.recorder);
  return client;
}

/** Quick polling for the SDK's pollers: ARM sends no Retry-After for replications, so they would wait their default 2 s. */
export const FAST_POLLING = { updateIntervalInMs: 5 };
