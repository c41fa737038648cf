// The admin API under /admin/: seeding, reset, request log, faults, tokens, clock, settings and a state
// dump.
// It needs no token; the sandbox listens on loopback only.
import type { SandboxContext } from './context';
import { lifecycleEnv } from './context';
import { FaultRuleError } from './faults';
import type { TokenIssuer } from './identity';
import { DEFAULT_AUDIENCE } from './identity';
import { operationStatus, settleRegistry, viewReplica } from './replicaLifecycle';
import { key } from './resourceIds';
import type { RequestLog } from './requestLog';
import { countByOperation } from './requestLog';
import { SeedError } from './seed';
import type { FaultRule, SeedDocument } from './types';

export interface AdminHost {
  ctx: SandboxContext;
  log: RequestLog;
  tokens: TokenIssuer;
  seed(doc: SeedDocument): void;
  /** Back to the start-up seed (or empty, with `{empty: true}`). */
  reset(options: { empty: boolean }): void;
}

export interface AdminRequest {
  method: string;
  /** Path below /admin, e.g. "/seed". */
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface AdminResponse {
  status: number;
  body?: unknown;
}

export function handleAdmin(request: AdminRequest, host: AdminHost): AdminResponse {
  try {
    return dispatch(request, host);
  } catch (error) {
    if (
      error instanceof SeedError ||
      error instanceof FaultRuleError ||
      error instanceof AdminInputError ||
      error instanceof RangeError
    ) {
      return fail(400, 'InvalidRequest', error.message);
    }
    throw error;
  }
}

function dispatch({ method, path, query, body }: AdminRequest, host: AdminHost): AdminResponse {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'POST /seed':
      host.seed(requireObject(body));
      return { status: 200, body: { seeded: true } };
    case 'POST /reset':
      host.reset({ empty: (body as { empty?: unknown } | undefined)?.empty === true });
      return { status: 204 };
    case 'GET /requests': {
      const requests = host.log.query({
        ...optional('subscriptionId', query.get('subscriptionId')),
        ...optional('operation', query.get('operation')),
        ...optional('principalId', query.get('principalId')),
      });
      return { status: 200, body: { counts: countByOperation(requests), requests } };
    }
    case 'DELETE /requests':
      host.log.clear();
      return { status: 204 };
    case 'GET /faults':
      return { status: 200, body: { rules: host.ctx.faults.list() } };
    case 'POST /faults': {
      const rules = (Array.isArray(body) ? body : [requireObject(body)]) as FaultRule[];
      return { status: 201, body: { rules: host.ctx.faults.add(rules) } };
    }
    case 'DELETE /faults':
      host.ctx.faults.clear(query.get('subscriptionId') ?? undefined);
      return { status: 204 };
    case 'POST /token':
      return issueToken(body, host);
    case 'GET /state':
      return { status: 200, body: describeState(host.ctx, query.get('subscriptionId') ?? undefined) };
    case 'GET /clock':
      return { status: 200, body: describeClock(host.ctx) };
    case 'POST /clock':
      return setClock(body, host.ctx);
    case 'GET /settings':
      return { status: 200, body: describeSettings(host.ctx) };
    case 'POST /settings':
      return changeSettings(body, host.ctx);
    default: {
      const faultId = /^DELETE \/faults\/([^/]+)$/.exec(route)?.[1];
      if (faultId !== undefined) {
        return host.ctx.faults.remove(decodeURIComponent(faultId))
          ? { status: 204 }
          : fail(404, 'NotFound', `No fault rule '${faultId}'.`);
      }
      return fail(404, 'NotFound', `No admin route '${route}'.`);
    }
  }
}

function issueToken(body: unknown, host: AdminHost): AdminResponse {
  const { objectId, resource, expiresInSeconds } = requireObject(body) as {
    objectId?: unknown;
    resource?: unknown;
    expiresInSeconds?: unknown;
  };
  if (typeof objectId !== 'string') throw new AdminInputError('objectId is required.');
  const principal = host.ctx.state.principal(objectId);
  if (!principal) return fail(404, 'PrincipalNotFound', `No seeded principal '${objectId}'.`);
  const issued = host.tokens.issue(principal, {
    audience: typeof resource === 'string' ? resource : DEFAULT_AUDIENCE,
    ...(typeof expiresInSeconds === 'number' ? { lifetimeSeconds: expiresInSeconds } : {}),
  });
  return {
    status: 200,
    body: { accessToken: issued.accessToken, expiresOn: issued.expiresOn, tokenType: 'Bearer' },
  };
}

function setClock(body: unknown, ctx: SandboxContext): AdminResponse {
  const { speed, advanceSeconds } = requireObject(body) as { speed?: unknown; advanceSeconds?: unknown };
  if (speed !== undefined) {
    if (typeof speed !== 'number') throw new AdminInputError('speed must be a number.');
    ctx.clock.setSpeed(speed);
  }
  if (advanceSeconds !== undefined) {
    if (typeof advanceSeconds !== 'number') throw new AdminInputError('advanceSeconds must be a number.');
    ctx.clock.advance(advanceSeconds * 1000);
  }
  return { status: 200, body: describeClock(ctx) };
}

/** Behaviours a test may switch while the sandbox runs (same names as the startSandbox options). */
const SETTINGS = ['listLagSeconds', 'rbacPropagationSeconds', 'recreateBlockSeconds'] as const;

interface Settings extends Record<(typeof SETTINGS)[number], number> {
  throttling: boolean;
}

function describeSettings(ctx: SandboxContext): Settings {
  const { listLagSeconds, rbacPropagationSeconds, recreateBlockSeconds, throttling } = ctx.config;
  return { listLagSeconds, rbacPropagationSeconds, recreateBlockSeconds, throttling };
}

function changeSettings(body: unknown, ctx: SandboxContext): AdminResponse {
  const changes = requireObject(body) as Record<string, unknown>;
  const known = [...SETTINGS, 'throttling'];
  for (const [name, value] of Object.entries(changes)) {
    if (!known.includes(name))
      throw new AdminInputError(`Unknown setting '${name}'; known: ${known.join(', ')}.`);
    if (name === 'throttling') {
      if (typeof value !== 'boolean') throw new AdminInputError('throttling must be true or false.');
    } else if (typeof value !== 'number' || !(value >= 0))
      throw new AdminInputError(`${name} must be a number of seconds, 0 or more.`);
  }
  for (const name of SETTINGS) {
    const value = changes[name];
    if (typeof value === 'number') ctx.config[name] = value;
  }
  if (typeof changes['throttling'] === 'boolean') ctx.config.throttling = changes['throttling'];
  return { status: 200, body: describeSettings(ctx) };
}

function describeClock(ctx: SandboxContext): unknown {
  return { speed: ctx.clock.speed(), virtualTime: new Date(ctx.clock.now()).toISOString() };
}

function describeState(ctx: SandboxContext, subscriptionId: string | undefined): unknown {
  const env = lifecycleEnv(ctx);
  const registries = [...ctx.state.registries.values()].filter(
    (r) => subscriptionId === undefined || key(r.subscriptionId) === key(subscriptionId),
  );
  return {
    tenantId: ctx.state.tenantId,
    clock: describeClock(ctx),
    subscriptions: [...ctx.state.subscriptions.values()]
      .filter((s) => subscriptionId === undefined || key(s.subscriptionId) === key(subscriptionId))
      .map((s) => ({
        subscriptionId: s.subscriptionId,
        locations: s.locations,
        resourceGroups: [...s.resourceGroups.values()],
      })),
    registries: registries.map((registry) => {
      settleRegistry(registry, env);
      return {
        id: registry.id,
        sku: registry.sku,
        location: registry.location,
        sizeGiB: registry.sizeGiB,
        privateEndpoints: registry.privateEndpoints,
        replicas: [...registry.replicas.values()].map((replica) => {
          const operation =
            replica.operationId === undefined ? undefined : ctx.state.operations.get(replica.operationId);
          const view = viewReplica(replica, env);
          return {
            name: replica.name,
            location: replica.location,
            provisioningState: view.provisioningState,
            displayStatus: view.displayStatus,
            createdBy: replica.systemData.createdBy,
            ...(operation
              ? {
                  operation: {
                    id: operation.id,
                    kind: operation.kind,
                    status: operationStatus(operation, ctx.clock.now()),
                    neverCompletes: operation.durationMs === Infinity,
                  },
                }
              : {}),
          };
        }),
        recentlyDeleted: [...registry.deletedReplicas.keys()],
      };
    }),
  };
}

class AdminInputError extends Error {}

function requireObject(body: unknown): object {
  if (typeof body !== 'object' || body === null) throw new AdminInputError('A JSON object body is required.');
  return body;
}

function optional<K extends string>(name: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [name]: value } as Record<K, string>);
}

function fail(status: number, code: string, message: string): AdminResponse {
  return { status, body: { error: { code, message } } };
}
