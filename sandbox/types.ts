// Shared contracts of the ARM sandbox: the seed document, principals, and the request/response shape
// that route handlers work with.

/** A security principal known to the sandbox (a managed identity, service principal or user). */
export interface Principal {
  /** Entra object id: the `oid` claim, and `principalId` in role assignments. */
  objectId: string;
  /** Application (client) id: the `appid` claim. */
  appId: string;
  /** Client id used to pick a user-assigned identity at the token endpoint (defaults to appId). */
  clientId: string;
  displayName: string;
  type: 'ServicePrincipal' | 'User';
  /** Resource id of a user-assigned identity, which the token endpoint also accepts as `mi_res_id`. */
  resourceId?: string;
}

export interface SeedPrincipal extends Partial<Pick<Principal, 'clientId' | 'type' | 'resourceId'>> {
  objectId: string;
  appId: string;
  displayName: string;
  /** The identity the token endpoint issues when no client_id is asked for (one principal at most). */
  systemAssigned?: boolean;
}

export interface SeedSubscription {
  subscriptionId: string;
  displayName?: string;
  /** Region names offered to the subscription (e.g. "westeurope"). */
  locations: string[];
  /**
   * Resource groups that exist without holding a seeded registry or private endpoint (those groups
   * exist implicitly).
   */
  resourceGroups?: string[];
}

export interface SeedReplica {
  location: string;
  /** Defaults to the location name. */
  name?: string;
  regionEndpointEnabled?: boolean;
  zoneRedundancy?: 'Enabled' | 'Disabled';
  tags?: Record<string, string>;
  /**
   * Seeds a replica whose creation is under way, as if `createdBy` (a principal object id) had just
   * issued the PUT: the sandbox then decides its fate with the same rules as for a live create.
   */
  creating?: { createdBy: string };
  /** Seeds a replica whose last operation ended Failed. */
  failed?: boolean;
  /** Principal object id recorded in systemData as creator (defaults to the registry's). */
  createdBy?: string;
}

export interface SeedRegistry {
  /** Full resource id: /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name} */
  id: string;
  location: string;
  sku: 'Basic' | 'Standard' | 'Premium';
  tags?: Record<string, string>;
  /** Resource ids of private endpoints connected to the registry. */
  privateEndpoints?: string[];
  /** Registry size; replica provisioning time grows with it. */
  sizeGiB?: number;
  /** Replicas other than the home replica, which always exists. */
  replicas?: SeedReplica[];
  /** Principal object id recorded in systemData as creator (defaults to a seed marker). */
  createdBy?: string;
}

export interface SeedPermission {
  actions: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

export interface SeedRoleDefinition {
  /** GUID name; generated when absent. */
  name?: string;
  roleName: string;
  description?: string;
  type?: 'BuiltInRole' | 'CustomRole';
  permissions: SeedPermission[];
  assignableScopes: string[];
}

export interface SeedRoleAssignment {
  principalId: string;
  /** Role by name (built-in or seeded) or by full role definition id. */
  role: string;
  scope: string;
  principalType?: 'ServicePrincipal' | 'User' | 'Group';
  /** A role assignment condition (see conditions.ts for what the sandbox evaluates). */
  condition?: string;
  /** Defaults to "2.0", the only version ARM accepts. */
  conditionVersion?: string;
}

export interface SeedDocument {
  tenantId?: string;
  principals?: SeedPrincipal[];
  subscriptions?: SeedSubscription[];
  registries?: SeedRegistry[];
  roleDefinitions?: SeedRoleDefinition[];
  roleAssignments?: SeedRoleAssignment[];
  /** Fault rules to install with the seed (same shape as `POST /admin/faults`). */
  faults?: FaultRule[];
}

/** Which requests a fault rule applies to; every given field must match. */
export interface FaultMatch {
  subscriptionId?: string;
  /** Operation name as in the request log, e.g. "Replications_Create". */
  operation?: string;
  method?: string;
  /** Case-insensitive substring of the request path. */
  pathIncludes?: string;
}

/**
 * A fault to inject. HTTP faults (`latency`, `throttle`, `error`, `drop`) act on matching ARM requests,
 * never on admin or token routes. `replicationFailure` makes matching replica creates end Failed.
 */
export interface FaultRule {
  /** Assigned when absent. */
  id?: string;
  kind: 'latency' | 'throttle' | 'error' | 'drop' | 'replicationFailure';
  match?: FaultMatch;
  /** Probability that a matching request is hit, 0..1 (default 1). */
  rate?: number;
  /** The rule hits only this many more requests (or creates), then retires. */
  count?: number;
  /** `latency`: delay in milliseconds, plus up to `jitterMs` more. */
  latencyMs?: number;
  jitterMs?: number;
  /** `error`: 500 (default) or 503. */
  status?: 500 | 503;
  /** `throttle` (default 1) and `error` with 503 (no header when absent): the Retry-After value. */
  retryAfterSeconds?: number;
  /** `replicationFailure`: the registry (full resource id) and optionally the location concerned. */
  registryId?: string;
  location?: string;
  errorCode?: string;
  errorMessage?: string;
}

/** A request after authentication, as route handlers see it. */
export interface SandboxRequest {
  method: string;
  /** The URL path, percent-decoded, without query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The caller, from the bearer token. */
  principal: Principal;
  /** Base URL of the sandbox as the caller reached it, e.g. https://127.0.0.1:8443 */
  baseUrl: string;
}

export interface SandboxResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An ARM error; rendered as `{"error": {"code", "message"}}` with its HTTP status. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra answer headers, e.g. `x-ms-failure-cause` on refusals by ARM's gateway. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ArmError';
  }
}

export interface SandboxOptions {
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Folder that holds the sandbox CA (created when missing, reused otherwise). */
  tlsDir?: string;
  seed?: SeedDocument;
  /** Time scale for provisioning: 10 makes every operation ten times faster. */
  speed?: number;
  /** Secret that callers of the managed-identity endpoint must send as X-IDENTITY-HEADER. */
  identityHeader?: string;
  /** How long a just-deleted replica name cannot be created again, in (unscaled) seconds. */
  recreateBlockSeconds?: number;
  /**
   * How long a role assignment made through the API takes to become effective, in (unscaled) seconds
   * (default 0): ARM's assignments propagate with delay.
   */
  rbacPropagationSeconds?: number;
  /**
   * How long a resource created through the API stays out of list answers (role definitions, role
   * assignments, replications), in (unscaled) seconds (default 0). GET by id is never late.
   */
  listLagSeconds?: number;
  /**
   * ARM's throttling: a token bucket per principal and subscription (or tenant) for reads, writes and
   * deletes, refilled on the virtual clock (default true). Switch it off only for unit tests that count
   * on unlimited requests.
   */
  throttling?: boolean;
  /**
   * A file that keeps the sandbox's state across restarts: loaded at start when it exists (the seed is
   * then not applied), written after every change. Without it the state lives in memory only.
   */
  statePath?: string;
  /** Tenant of the sandbox (defaults to the seed's, else a fixed id). */
  tenantId?: string;
  /** Items per page of list operations (ARM's `nextLink` paging). */
  pageSize?: number;
  /** Operation durations, in unscaled seconds. */
  timings?: Partial<ProvisioningTimings>;
}

/** Durations of replica operations, in seconds before scaling by `speed`. */
export interface ProvisioningTimings {
  createSeconds: number;
  /** Added to a create per GiB of registry content. */
  createSecondsPerGiB: number;
  updateSeconds: number;
  deleteSeconds: number;
  /** How long a new replica shows "Syncing" after its create succeeded... */
  syncSeconds: number;
  /** ...plus this per GiB of registry content. */
  syncSecondsPerGiB: number;
}

export interface RunningSandbox {
  /** e.g. https://127.0.0.1:8443 */
  url: string;
  port: number;
  /** PEM file of the CA that signed the server certificate: use as NODE_EXTRA_CA_CERTS. */
  caPath: string;
  /** Managed-identity endpoint (App Service protocol), for IDENTITY_ENDPOINT. */
  identityEndpoint: string;
  identityHeader: string;
  close(): Promise<void>;
}
