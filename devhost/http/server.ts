// The devhost's HTTP front door: HTTP triggers under the route prefix, the Durable HTTP API (webhook path
// and local RPC path), the admin endpoint that runs a non-HTTP function, and a devhost-only history view.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log';
import type { ClientApi } from '../durable/clientApi';
import { RPC_PATH, WEBHOOK_PATH } from '../durable/clientBindingData';
import type { DurableEngine } from '../durable/engine';
import type { TimerTriggers } from '../timer/timerTriggers';
import type { WorkerRuntime } from '../worker/coreModule';
import type { ExtraInputProvider } from '../worker/bindingInputs';
import type { KeySettings } from './authKeys';
import { isAuthorized, isSystemAuthorized, presentedKey } from './authKeys';
import type { HttpRoute } from './httpTriggers';
import { findRoute, invokeHttpFunction } from './httpTriggers';
import { toRpcHttpRequest, writeRpcHttpResponse } from './rpcHttp';

export interface FrontDoor {
  runtime: WorkerRuntime;
  routes: HttpRoute[];
  routePrefix: string;
  keys: KeySettings;
  extras: ExtraInputProvider;
  timers: TimerTriggers;
  clientApi?: ClientApi;
  engine?: DurableEngine;
  log: Logger;
  /** Whether the local RPC path is served (it is not when keys are enforced). */
  rpcEnabled: boolean;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  for (const [name, value] of Object.entries(headers)) {
    res.setHeader(name, value);
  }
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function stripPrefix(path: string, prefix: string): string | undefined {
  if (prefix === '') {
    return path;
  }
  const lowerPath = path.toLowerCase();
  const lowerPrefix = `/${prefix.toLowerCase()}`;
  if (lowerPath === lowerPrefix) {
    return '/';
  }
  return lowerPath.startsWith(`${lowerPrefix}/`) ? path.slice(lowerPrefix.length) : undefined;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function createRequestHandler(door: FrontDoor): (req: IncomingMessage, res: ServerResponse) => void {
  const masterOnly = (req: IncomingMessage, url: URL): boolean =>
    isAuthorized('admin', presentedKey(req.headers, url.searchParams), door.keys);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;

    if (path === '/' || path === '') {
      if (!isAuthorized('function', presentedKey(req.headers, url.searchParams), door.keys)) {
        res.writeHead(401).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The Functions devhost is running.\n');
      return;
    }

    const durableBase =
      path.startsWith(`${WEBHOOK_PATH}/`) || path === WEBHOOK_PATH ? WEBHOOK_PATH : undefined;
    const rpcBase = door.rpcEnabled && path.startsWith(RPC_PATH) ? RPC_PATH.slice(0, -1) : undefined;
    if (durableBase !== undefined || rpcBase !== undefined) {
      if (!door.clientApi) {
        sendJson(res, 404, { Message: 'This app has no durable functions' });
        return;
      }
      // Both paths take the system key (or the master key) once keys are enforced.
      if (!isSystemAuthorized(presentedKey(req.headers, url.searchParams), door.keys)) {
        res.writeHead(401).end();
        return;
      }
      const base = durableBase ?? rpcBase ?? '';
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name] = firstHeader(value);
      }
      const response = await door.clientApi.handle({
        method,
        path: path.slice(base.length).replace(/^\/+|\/+$/g, ''),
        query: url.searchParams,
        headers,
        body,
        origin: url.origin,
        url: url.href,
      });
      sendJson(res, response.status, response.body, response.headers);
      return;
    }

    const admin = /^\/admin\/functions\/([^/]+)\/?$/i.exec(path);
    if (admin && method === 'POST') {
      if (!masterOnly(req, url)) {
        res.writeHead(401).end();
        return;
      }
      const ran = await door.timers.runNow(decodeURIComponent(admin[1] ?? ''));
      res.writeHead(ran ? 202 : 404).end();
      return;
    }

    const history = /^\/devhost\/instances\/([^/]+)\/history\/?$/i.exec(path);
    if (history && method === 'GET') {
      if (!masterOnly(req, url)) {
        res.writeHead(401).end();
        return;
      }
      const id = decodeURIComponent(history[1] ?? '');
      const events =
        url.searchParams.get('executions') === 'all'
          ? await door.engine?.histories(id)
          : await door.engine?.history(id);
      sendJson(res, events ? 200 : 404, events ?? { Message: 'No such instance' });
      return;
    }

    const functionPath = stripPrefix(path, door.routePrefix);
    const found = functionPath === undefined ? undefined : findRoute(door.routes, method, functionPath);
    if (!found) {
      res.writeHead(404).end();
      return;
    }
    if (!isAuthorized(found.route.authLevel, presentedKey(req.headers, url.searchParams), door.keys)) {
      res.writeHead(401).end();
      return;
    }
    const name = found.route.fn.metadata.name;
    const started = Date.now();
    try {
      const request = toRpcHttpRequest(method, url, req.headers, body, found.params);
      const response = await invokeHttpFunction(door.runtime, found.route.fn, request, door.extras);
      door.log.info(`Executed 'Functions.${name}' (Succeeded, Duration=${Date.now() - started}ms)`);
      writeRpcHttpResponse(response, res);
    } catch (error) {
      door.log.error(
        `Executed 'Functions.${name}' (Failed, Duration=${Date.now() - started}ms): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (!res.headersSent) {
        res.writeHead(500).end();
      }
    }
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      door.log.error(`Request ${req.method ?? ''} ${req.url ?? ''} failed: ${String(error)}`);
      if (!res.headersSent) {
        res.writeHead(500).end();
      }
    });
  };
}
