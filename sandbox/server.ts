// The ARM sandbox's HTTPS server: request plumbing, routing, authentication, faults, error rendering
// and the request log. Resource behaviour lives in the route modules.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { handleAdmin } from './admin';
import type { AdminHost } from './admin';
import {
  methodNotAllowed,
  missingApiVersion,
  noRegisteredProviderFound,
  pathNotFound,
  unroutablePath,
  unsupportedApiVersion,
} from './armErrors';
import { handleAuthorization } from './authorization';
import type { SandboxConfig, SandboxContext } from './context';
import { clearSandboxContext, createSandboxContext } from './context';
import type { TerminalFault } from './faults';
import type { TokenIssuer } from './identity';
import { createTokenIssuer, deriveSigningKey, handleManagedIdentityRequest } from './identity';
import { subscriptionRoutes } from './locations';
import { chargeBudget } from './throttledRequest';
import { operationRoutes } from './operations';
import { registryRoutes } from './registries';
import { replicationRoutes } from './replications';
import { RequestLog } from './requestLog';
import type { RequestLogEntry } from './requestLog';
import { authorizationOperationName, compileRoutes, findRoute } from './router';
import type { RouteParams } from './router';
import { applySeed } from './seed';
import { readState, restoreClock, restoreState, saveState } from './statePersistence';
import { ensureCertificateAuthority, issueServerCertificate } from './tls';
import { ArmError } from './types';
import type {
  Principal,
  ProvisioningTimings,
  RunningSandbox,
  SandboxOptions,
  SandboxRequest,
  SandboxResponse,
  SeedDocument,
} from './types';

export const MANAGED_IDENTITY_PATH = '/msi/token';
export const DEFAULT_TENANT_ID = '00000000-0000-0000-0000-00000000a11c';
export const DEFAULT_IDENTITY_HEADER = 'local-sandbox-identity-header';
export const DEFAULT_TIMINGS: ProvisioningTimings = {
  createSeconds: 20,
  createSecondsPerGiB: 3,
  updateSeconds: 8,
  deleteSeconds: 10,
  syncSeconds: 10,
  syncSecondsPerGiB: 1,
};
const DEFAULT_PAGE_SIZE = 20;
const DEFAULT_RECREATE_BLOCK_SECONDS = 60;
const MAX_BODY_BYTES = 1024 * 1024;

const ROUTES = compileRoutes([
  ...subscriptionRoutes,
  ...registryRoutes,
  ...replicationRoutes,
  ...operationRoutes,
]);

/** The operation name the sandbox logs for a request (spec operationIds where the spec has one). */
export function operationNameFor(method: string, path: string): string | undefined {
  const lookup = findRoute(ROUTES, method.toUpperCase(), path);
  return lookup.kind === 'found'
    ? lookup.route.operation
    : authorizationOperationName(method.toUpperCase(), path);
}

/** The sandbox package's folder (holder of its package.json), found from this file in source or in dist. */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('The sandbox package (package.json) was not found.');
    dir = parent;
  }
  return dir;
}

/** The demo fleet that `npm start` and `npm run sandbox` serve. */
export function demoSeedFile(): string {
  return path.join(packageRoot(), 'seeds', 'demo.json');
}

/** `.local/sandbox-tls` under the working directory, so every local run shares one CA. */
export function defaultTlsDir(): string {
  return path.resolve('.local', 'sandbox-tls');
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const ca = await ensureCertificateAuthority(options.tlsDir ?? defaultTlsDir());
  const certificate = await issueServerCertificate(ca);
  const tenantId = options.tenantId ?? options.seed?.tenantId ?? DEFAULT_TENANT_ID;
  const identityHeader = options.identityHeader ?? DEFAULT_IDENTITY_HEADER;
  const tokens = createTokenIssuer(tenantId, deriveSigningKey(ca.key));
  const config: SandboxConfig = {
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    timings: { ...DEFAULT_TIMINGS, ...options.timings },
    recreateBlockSeconds: options.recreateBlockSeconds ?? DEFAULT_RECREATE_BLOCK_SECONDS,
    rbacPropagationSeconds: options.rbacPropagationSeconds ?? 0,
    listLagSeconds: options.listLagSeconds ?? 0,
    throttling: options.throttling ?? true,
  };
  const saved = options.statePath === undefined ? undefined : readState(options.statePath);
  const ctx = saved
    ? createSandboxContext(tenantId, saved.clock.speed, config, restoreClock(saved))
    : createSandboxContext(tenantId, options.speed ?? 1, config);
  const persist = (): void => {
    if (options.statePath !== undefined) saveState(ctx, options.statePath);
  };
  const log = new RequestLog();
  const seed = (doc: SeedDocument): void => applySeed(doc, ctx);
  const admin: AdminHost = {
    ctx,
    log,
    tokens,
    seed,
    reset({ empty }) {
      clearSandboxContext(ctx);
      log.clear();
      if (!empty && options.seed) seed(options.seed);
    },
  };
  if (saved) {
    restoreState(saved, ctx);
    // A speed asked for now applies from now on; the time already run stays as it was.
    if (options.speed !== undefined && options.speed !== ctx.clock.speed()) ctx.clock.setSpeed(options.speed);
  } else if (options.seed) {
    seed(options.seed);
  }
  persist();

  const server = https.createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    void handleRequest(req, res, { ctx, admin, log, tokens, identityHeader, persist });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    caPath: ca.caPath,
    identityEndpoint: `${url}${MANAGED_IDENTITY_PATH}`,
    identityHeader,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) {
            reject(error);
            return;
          }
          try {
            persist();
            resolve();
          } catch (saveError) {
            reject(saveError instanceof Error ? saveError : new Error(String(saveError)));
          }
        });
        server.closeAllConnections();
      }),
  };
}

interface Services {
  ctx: SandboxContext;
  admin: AdminHost;
  log: RequestLog;
  tokens: TokenIssuer;
  identityHeader: string;
  /** Saves the state when the sandbox keeps it in a file (a no-op otherwise). */
  persist(): void;
}

interface Exchange {
  requestId: string;
  correlationId: string;
  res: ServerResponse;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, services: Services): Promise<void> {
  const exchange: Exchange = {
    requestId: randomUUID(),
    correlationId: headerValue(req, 'x-ms-correlation-request-id') ?? randomUUID(),
    res,
  };
  try {
    const url = splitTarget(req.url ?? '/');
    const method = (req.method ?? 'GET').toUpperCase();
    const pathname = decodePath(url.pathname);
    const rawBody = await readBody(req);
    if (pathname === '/admin' || pathname.startsWith('/admin/')) {
      const answer = handleAdmin(
        {
          method,
          path: pathname.slice('/admin'.length),
          query: url.searchParams,
          body: parseJson(rawBody) ?? undefined,
        },
        services.admin,
      );
      if (method !== 'GET') services.persist();
      send(exchange, answer);
      return;
    }
    if (pathname === MANAGED_IDENTITY_PATH) {
      const answer = handleManagedIdentityRequest(
        { query: url.searchParams, identityHeader: headerValue(req, 'x-identity-header') },
        services.identityHeader,
        services.ctx.state,
        services.tokens,
      );
      send(exchange, answer);
      logEntry(services, exchange, {
        method,
        path: pathname,
        operation: 'ManagedIdentity_GetToken',
        status: answer.status,
      });
      return;
    }
    await handleArm(req, { method, pathname, query: url.searchParams, rawBody }, exchange, services);
    if (method !== 'GET') services.persist();
  } catch (error) {
    if (!res.headersSent) send(exchange, errorResponse(error));
    else res.destroy();
  }
}

interface ParsedRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  rawBody: string;
}

async function handleArm(
  req: IncomingMessage,
  parsed: ParsedRequest,
  exchange: Exchange,
  services: Services,
): Promise<void> {
  const { ctx } = services;
  const { method, pathname, query } = parsed;
  const lookup = findRoute(ROUTES, method, pathname);
  const operation = operationNameFor(method, pathname) ?? `Unknown_${method}`;
  const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(pathname)?.[1];
  const entry = {
    method,
    path: pathname,
    operation,
    ...(subscriptionId !== undefined ? { subscriptionId } : {}),
  };

  const faults = ctx.faults.decide({ ...entry, path: pathname });
  if (faults.latencyMs > 0) await delay(faults.latencyMs);
  if (faults.terminal) {
    const status = injectFault(faults.terminal, exchange, req, subscriptionId);
    logEntry(services, exchange, { ...entry, status, fault: faults.terminal.kind });
    return;
  }

  let principal: Principal | undefined;
  let response: SandboxResponse;
  let budgetHeaders: Record<string, string> = {};
  try {
    principal = authenticate(headerValue(req, 'authorization'), services);
    // ARM throttles a request once it knows who sent it, before it looks any further.
    const charge = chargeBudget(ctx, principal, method, subscriptionId);
    budgetHeaders = charge.headers;
    if (charge.refusal !== undefined) throw charge.refusal;
    const apiVersion = query.get('api-version');
    if (!apiVersion) throw missingApiVersion();
    // A leading "//" reaches ARM's routes (Microsoft's own REST examples send one); an empty segment
    // further on does not.
    if (pathname.replace(/^\/+/, '/').includes('//')) throw unroutablePath(apiVersion);
    const body = parseJson(parsed.rawBody);
    const request: SandboxRequest = {
      method,
      path: pathname,
      query,
      headers: req.headers,
      body: body ?? undefined,
      principal,
      baseUrl: `https://${req.headers.host ?? 'localhost'}`,
    };
    if (body === null)
      throw new ArmError(
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized.',
      );
    response = handleAuthorization(request, ctx.rbac) ?? dispatch(lookup, request, apiVersion, ctx);
  } catch (error) {
    response = errorResponse(error, ctx.state.tenantId);
  }
  response = { ...response, headers: { ...response.headers, ...budgetHeaders } };
  send(exchange, response);
  logEntry(services, exchange, {
    ...entry,
    status: response.status,
    ...(principal ? { principalId: principal.objectId } : {}),
    ...(faults.latencyMs > 0 ? { fault: 'latency' as const } : {}),
  });
}

function dispatch(
  lookup: ReturnType<typeof findRoute>,
  request: SandboxRequest,
  apiVersion: string,
  ctx: SandboxContext,
): SandboxResponse {
  if (lookup.kind === 'none') throw pathNotFound(request.path);
  if (lookup.kind === 'wrongMethod') throw methodNotAllowed(request.method);
  const { route, params } = lookup;
  if (!route.apiVersions.includes(apiVersion)) {
    if (route.resourceType === undefined) throw unsupportedApiVersion(apiVersion, route.apiVersions);
    const subscription = ctx.state.subscription(params['subscriptionId'] ?? '');
    throw noRegisteredProviderFound(
      requestLocation(request, params, ctx),
      apiVersion,
      route.resourceType,
      route.apiVersions,
      subscription?.locations ?? [],
    );
  }
  return route.handle(request, params, ctx);
}

/** The location ARM routes a request by: the body's, the resource's, or the one in the path. */
function requestLocation(request: SandboxRequest, params: RouteParams, ctx: SandboxContext): string {
  const body = request.body as { location?: unknown } | undefined;
  if (typeof body?.location === 'string') return body.location;
  const registry = ctx.state.registry(
    `/subscriptions/${params['subscriptionId'] ?? ''}/resourceGroups/${params['resourceGroupName'] ?? ''}/providers/Microsoft.ContainerRegistry/registries/${params['registryName'] ?? ''}`,
  );
  return registry?.location ?? params['location'] ?? 'global';
}

/** 401 for missing or unusable bearer tokens, with ARM's codes and a WWW-Authenticate challenge. */
class AuthenticationError extends ArmError {
  constructor(code: string, message: string) {
    super(401, code, message);
  }
}

function authenticate(authorization: string | undefined, services: Services): Principal {
  if (authorization === undefined) {
    throw new AuthenticationError(
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
    );
  }
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) {
    throw new AuthenticationError(
      'AuthenticationFailedInvalidHeader',
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
    );
  }
  const verified = services.tokens.verify(match[1]);
  if ('rejection' in verified)
    throw new AuthenticationError(verified.rejection.code, verified.rejection.message);
  const { claims } = verified;
  // A valid token for a principal the sandbox no longer knows (e.g. after a reset) still authenticates;
  // RBAC then decides, as ARM does for any principal of the tenant.
  return (
    services.ctx.state.principal(claims.oid) ?? {
      objectId: claims.oid,
      appId: claims.appid,
      clientId: claims.appid,
      displayName: claims.name,
      type: claims.idtyp === 'user' ? 'User' : 'ServicePrincipal',
    }
  );
}

function injectFault(
  fault: TerminalFault,
  exchange: Exchange,
  req: IncomingMessage,
  subscriptionId: string | undefined,
): number {
  switch (fault.kind) {
    case 'drop':
      req.socket.destroy();
      return 0;
    case 'throttle': {
      const error = new ArmError(
        429,
        'SubscriptionRequestsThrottled',
        `Number of requests for subscription '${subscriptionId ?? ''}' exceeded the limit. Please try again after '${fault.retryAfterSeconds}' seconds.`,
      );
      send(exchange, {
        ...errorResponse(error),
        headers: { 'Retry-After': String(fault.retryAfterSeconds) },
      });
      return 429;
    }
    case 'error': {
      const error =
        fault.status === 503
          ? new ArmError(
              503,
              'ServiceUnavailable',
              'The server is currently unable to handle the request. Please retry.',
            )
          : new ArmError(
              500,
              'InternalServerError',
              `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', tracking id '${exchange.requestId}', request correlation id '${exchange.correlationId}'.`,
            );
      const headers: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
      send(exchange, { ...errorResponse(error), headers });
      return fault.status;
    }
  }
}

function errorResponse(error: unknown, tenantId?: string): SandboxResponse {
  if (error instanceof ArmError) {
    const headers: Record<string, string> = {};
    if (error instanceof AuthenticationError) {
      headers['WWW-Authenticate'] =
        `Bearer authorization_uri="https://login.microsoftonline.com/${tenantId ?? DEFAULT_TENANT_ID}", error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`;
    }
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message } },
      headers: { ...error.headers, ...headers },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { error: { code: 'InternalServerError', message } } };
}

function send(
  exchange: Exchange,
  response: { status: number; body?: unknown; headers?: Record<string, string> },
): void {
  const { res } = exchange;
  const hasBody = response.body !== undefined;
  const payload = hasBody ? JSON.stringify(response.body) : '';
  res.writeHead(response.status, {
    'x-ms-request-id': exchange.requestId,
    'x-ms-correlation-request-id': exchange.correlationId,
    ...(hasBody ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': String(Buffer.byteLength(payload)),
    ...response.headers,
  });
  res.end(payload);
}

function logEntry(
  services: Services,
  exchange: Exchange,
  entry: Omit<RequestLogEntry, 'at' | 'requestId'>,
): void {
  services.log.record({ at: new Date().toISOString(), requestId: exchange.requestId, ...entry });
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Path and query of a request target. Not `new URL(target, base)`: a target such as
 * "//subscriptions/..." (what SDKs send for scopes given with a leading slash) would read as a host,
 * and such a path must reach the check that refuses it as ARM does.
 */
function splitTarget(target: string): { pathname: string; searchParams: URLSearchParams } {
  const queryStart = target.indexOf('?');
  return queryStart < 0
    ? { pathname: target, searchParams: new URLSearchParams() }
    : {
        pathname: target.slice(0, queryStart),
        searchParams: new URLSearchParams(target.slice(queryStart + 1)),
      };
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/** Parsed JSON; undefined for an empty body, null for one that is not JSON. */
function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ArmError(413, 'RequestEntityTooLarge', 'The request content is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
