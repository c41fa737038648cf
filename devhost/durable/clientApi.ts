// The Durable extension's HTTP API (HttpApiHandler), served both at the webhook path and at the local RPC
// endpoint durable-functions' DurableClient calls: start, status, list, raise event, terminate, suspend,
// resume, restart, purge. Status codes and payloads follow the extension.

import { randomUUID } from 'node:crypto';
import type { DurableEngine } from './engine';
import { managementUrls } from './clientBindingData';
import { eventRaised, executionResumed, executionSuspended, executionTerminated } from './history';
import { clientMessage } from './messages';
import { parseJsonText } from './orchestrationPayload';
import type { InstanceState, RuntimeStatus } from './store';
import { isTerminal } from './store';
import { statusPayload } from './statusPayload';

export interface ApiRequest {
  method: string;
  /** Path below the API base, without leading or trailing slashes (e.g. `instances/abc/terminate`). */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** Origin the caller used (for the links in check-status responses). */
  origin: string;
  /** The full request URL. */
  url: string;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ClientApiOptions {
  /** Key appended to management links (`code=`), when the devhost enforces keys. */
  systemKey?: string;
}

const RUNTIME_STATUSES: readonly RuntimeStatus[] = [
  'Pending',
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Canceled',
  'Terminated',
  'Suspended',
];

const error = (status: number, message: string): ApiResponse => ({ status, body: { Message: message } });

function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name);
  if (value === null) {
    return fallback;
  }
  return value.toLowerCase() === 'true' ? true : value.toLowerCase() === 'false' ? false : fallback;
}

function dateParam(query: URLSearchParams, name: string): Date | undefined {
  const value = query.get(name);
  if (!value) {
    return undefined;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function statusesParam(query: URLSearchParams): RuntimeStatus[] | undefined {
  const values = query
    .getAll('runtimeStatus')
    .flatMap((v) => v.split(','))
    .map((v) => RUNTIME_STATUSES.find((s) => s.toLowerCase() === v.trim().toLowerCase()))
    .filter((v): v is RuntimeStatus => v !== undefined);
  return values.length > 0 ? values : undefined;
}

function jsonBody(body: Buffer): { ok: true; text: string | null } | { ok: false } {
  const text = body.toString('utf8');
  if (text.trim() === '') {
    return { ok: true, text: null };
  }
  try {
    JSON.parse(text);
    return { ok: true, text };
  } catch {
    return { ok: false };
  }
}

export class ClientApi {
  constructor(
    private readonly engine: DurableEngine,
    private readonly options: ClientApiOptions = {},
  ) {}

  async handle(request: ApiRequest): Promise<ApiResponse> {
    const segments = request.path
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const [controller, first, second, third] = segments;
    const method = request.method.toUpperCase();
    if (controller === 'orchestrators' && first !== undefined && segments.length <= 3) {
      return method === 'POST' ? this.start(request, first, second) : error(404, 'Not found');
    }
    if (controller === 'entities') {
      return error(501, 'Durable entities are not supported by the devhost');
    }
    if (controller !== 'instances') {
      return error(404, 'Not found');
    }
    if (first === undefined) {
      if (method === 'GET') {
        return this.list(request);
      }
      return method === 'DELETE' ? this.purgeByFilter(request) : error(404, 'Not found');
    }
    if (second === undefined) {
      if (method === 'GET') {
        return this.status(request, first);
      }
      return method === 'DELETE' ? this.purge(first) : error(404, 'Not found');
    }
    if (method !== 'POST') {
      return error(404, 'Not found');
    }
    switch (second.toLowerCase()) {
      case 'raiseevent':
        return third === undefined ? error(404, 'Not found') : this.raiseEvent(request, first, third);
      case 'terminate':
        return this.control(first, (reason) => executionTerminated(new Date(), reason), request);
      case 'suspend':
        return this.control(first, (reason) => executionSuspended(new Date(), reason), request);
      case 'resume':
        return this.control(first, (reason) => executionResumed(new Date(), reason), request);
      case 'rewind':
        return this.rewind(first);
      case 'restart':
        return this.restart(request, first);
      default:
        return error(404, 'Not found');
    }
  }

  checkStatusResponse(origin: string, instanceId: string): ApiResponse {
    const links = managementUrls(origin, this.engine.hubName, instanceId, this.options.systemKey);
    return {
      status: 202,
      headers: { Location: links.statusQueryGetUri, 'Retry-After': '10' },
      body: {
        id: instanceId,
        statusQueryGetUri: links.statusQueryGetUri,
        sendEventPostUri: links.sendEventPostUri,
        terminatePostUri: links.terminatePostUri,
        purgeHistoryDeleteUri: links.purgeHistoryDeleteUri,
        restartPostUri: links.restartPostUri,
        suspendPostUri: links.suspendPostUri,
        resumePostUri: links.resumePostUri,
      },
    };
  }

  private async start(
    request: ApiRequest,
    functionName: string,
    instanceId: string | undefined,
  ): Promise<ApiResponse> {
    if (!this.engine.functions.isOrchestrator(functionName)) {
      return error(
        400,
        `The function '${functionName}' doesn't exist, is disabled, or is not an orchestrator function.`,
      );
    }
    const body = jsonBody(request.body);
    if (!body.ok) {
      return error(400, 'Invalid JSON content');
    }
    const id = instanceId || randomUUID().replace(/-/g, '');
    const idProblem = instanceIdProblem(id);
    if (idProblem !== undefined) {
      return error(400, `The instance ID '${id.slice(0, 300)}' is not valid: ${idProblem}.`);
    }
    const result = await this.engine.queue.startInstance({
      instanceId: id,
      name: functionName,
      input: body.text,
      parent: null,
    });
    if (result.outcome === 'conflict') {
      // The host does not answer a conflict: with the default overridable states (non-running only) the
      // start fails inside the extension and the HTTP API reports an internal error.
      return error(
        500,
        `An Orchestration instance with the status ${result.state.runtimeStatus} already exists.`,
      );
    }
    return this.afterStart(request, id);
  }

  /** `timeout` and `pollingInterval` (seconds) ask the API to wait for the instance to finish. */
  private async afterStart(request: ApiRequest, instanceId: string): Promise<ApiResponse> {
    const timeout = Number(request.query.get('timeout'));
    const interval = Number(request.query.get('pollingInterval'));
    if (timeout > 0 && interval > 0) {
      const deadline = Date.now() + timeout * 1000;
      for (;;) {
        const state = await this.engine.store.readState(instanceId);
        if (state && isTerminal(state.runtimeStatus)) {
          return state.runtimeStatus === 'Completed'
            ? { status: 200, body: parseJsonText(state.output) }
            : { status: 200, body: statusPayload(state, { showInput: true }) };
        }
        if (Date.now() >= deadline) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(interval * 1000, deadline - Date.now())));
      }
    }
    return this.checkStatusResponse(request.origin, instanceId);
  }

  private async status(request: ApiRequest, instanceId: string): Promise<ApiResponse> {
    const state = await this.engine.store.readState(instanceId);
    if (!state) {
      return { status: 404 };
    }
    const showHistory = boolParam(request.query, 'showHistory', false);
    const history = showHistory ? await this.engine.history(instanceId) : undefined;
    const body = statusPayload(state, {
      showInput: boolParam(request.query, 'showInput', true),
      history,
      showHistoryOutput: boolParam(request.query, 'showHistoryOutput', false),
    });
    switch (state.runtimeStatus) {
      case 'Running':
      case 'Pending':
      case 'ContinuedAsNew':
      case 'Suspended':
        return {
          status: 202,
          headers: { Location: request.url, 'Retry-After': '5' },
          body,
        };
      case 'Failed':
        return {
          status: boolParam(request.query, 'returnInternalServerErrorOnFailure', false) ? 500 : 200,
          body,
        };
      default:
        return { status: 200, body };
    }
  }

  private async list(request: ApiRequest): Promise<ApiResponse> {
    const top = Number(request.query.get('top'));
    const page = await this.engine.store.listStates({
      createdTimeFrom: dateParam(request.query, 'createdTimeFrom'),
      createdTimeTo: dateParam(request.query, 'createdTimeTo'),
      runtimeStatus: statusesParam(request.query),
      instanceIdPrefix: request.query.get('instanceIdPrefix') ?? undefined,
      pageSize: Number.isInteger(top) && top > 0 ? top : undefined,
      continuationToken: request.headers['x-ms-continuation-token'] || undefined,
    });
    const showInput = boolParam(request.query, 'showInput', false);
    return {
      status: 200,
      headers: page.continuationToken ? { 'x-ms-continuation-token': page.continuationToken } : {},
      body: page.states.map((state) => statusPayload(state, { showInput })),
    };
  }

  private async raiseEvent(request: ApiRequest, instanceId: string, eventName: string): Promise<ApiResponse> {
    const state = await this.engine.store.readState(instanceId);
    if (!state) {
      return { status: 404 };
    }
    if (isTerminal(state.runtimeStatus)) {
      return { status: 410 };
    }
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') {
      return error(400, 'Only application/json request content is supported');
    }
    const body = jsonBody(request.body);
    if (!body.ok) {
      return error(400, 'Invalid JSON content');
    }
    await this.engine.queue.send(
      instanceId,
      clientMessage(eventRaised(new Date(), eventName, body.text ?? 'null')),
    );
    return { status: 202 };
  }

  private async control(
    instanceId: string,
    event: (reason: string | null) => Parameters<typeof clientMessage>[0],
    request: ApiRequest,
  ): Promise<ApiResponse> {
    const state = await this.engine.store.readState(instanceId);
    if (!state) {
      return { status: 404 };
    }
    if (isTerminal(state.runtimeStatus)) {
      return { status: 410 };
    }
    await this.engine.queue.send(instanceId, clientMessage(event(request.query.get('reason'))));
    return { status: 202 };
  }

  private async rewind(instanceId: string): Promise<ApiResponse> {
    const state = await this.engine.store.readState(instanceId);
    if (!state) {
      return error(404, `No orchestration with instance ID "${instanceId}" found.`);
    }
    if (state.runtimeStatus !== 'Failed') {
      return error(
        412,
        `This orchestration has status ${state.runtimeStatus}, but only orchestrations in the "Failed" state can be rewound.`,
      );
    }
    return error(501, 'Rewind is not supported by the devhost.');
  }

  private async restart(request: ApiRequest, instanceId: string): Promise<ApiResponse> {
    const state = await this.engine.store.readState(instanceId);
    if (!state) {
      return error(400, 'InstanceId does not match a valid orchestration instance.');
    }
    const newId = boolParam(request.query, 'restartWithNewInstanceId', true)
      ? randomUUID().replace(/-/g, '')
      : instanceId;
    const result = await this.engine.queue.startInstance({
      instanceId: newId,
      name: state.name,
      input: state.input,
      parent: null,
    });
    if (result.outcome === 'conflict') {
      return error(409, 'A non-terminal instance with this instance ID already exists.');
    }
    return this.afterStart(request, newId);
  }

  private async purge(instanceId: string): Promise<ApiResponse> {
    const state = await this.engine.store.readState(instanceId);
    if (!state) {
      return { status: 404 };
    }
    if (!isTerminal(state.runtimeStatus)) {
      return error(
        412,
        `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${instanceId} has status ${state.runtimeStatus}`,
      );
    }
    await this.engine.store.deletePartition(instanceId);
    return { status: 200, body: { instancesDeleted: 1 } };
  }

  private async purgeByFilter(request: ApiRequest): Promise<ApiResponse> {
    const from = dateParam(request.query, 'createdTimeFrom');
    if (!from) {
      return error(400, "Please provide value for 'createdTimeFrom' parameter.");
    }
    const to = dateParam(request.query, 'createdTimeTo') ?? new Date();
    const statuses = statusesParam(request.query);
    let deleted = 0;
    let continuationToken: string | undefined;
    const victims: InstanceState[] = [];
    do {
      const page = await this.engine.store.listStates({
        createdTimeFrom: from,
        createdTimeTo: to,
        runtimeStatus: statuses,
        continuationToken,
      });
      victims.push(...page.states.filter((s) => isTerminal(s.runtimeStatus)));
      continuationToken = page.continuationToken;
    } while (continuationToken);
    for (const state of victims) {
      await this.engine.store.deletePartition(state.instanceId);
      deleted++;
    }
    return deleted === 0 ? { status: 404 } : { status: 200, body: { instancesDeleted: deleted } };
  }
}

/** The host's rule for instance ids: at most 256 characters, none of / \ # ? or control characters. */
function instanceIdProblem(id: string): string | undefined {
  if (id.length > 256) return `it is ${id.length} characters long; the limit is 256`;
  // eslint-disable-next-line no-control-regex
  if (/[/\\#?\u0000-\u001f\u007f-\u009f]/.test(id)) return 'it holds / \\ # ? or a control character';
  return undefined;
}
