// Conversions between Node's HTTP messages and the worker's RpcHttpData, as the Functions host makes
// them: raw request bytes are passed through untouched (signatures over the body keep working).

import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { RpcHttpCookie, RpcHttpData } from '../worker/coreTypes';

export function toRpcHttpRequest(
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  body: Buffer,
  params: Record<string, string>,
): RpcHttpData {
  const rpcHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      rpcHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  const request: RpcHttpData = {
    method,
    url: url.href,
    headers: rpcHeaders,
    query: rpcQuery(url.searchParams),
    params,
  };
  if (body.length > 0) {
    request.body = { bytes: new Uint8Array(body) };
    request.rawBody = { bytes: new Uint8Array(body) };
  }
  return request;
}

/**
 * The query map the host sends the worker. ASP.NET Core parses the query into a collection whose names
 * compare case-insensitively (`QueryFeature`: a dictionary with `StringComparer.OrdinalIgnoreCase`), and
 * the host's `ToRpcHttp` (`GrpcMessageConversionExtensions`) writes each name once with
 * `StringValues.ToString()`, which joins repeated values with commas: `?a=1&A=2&a=` arrives as one
 * `a` of `1,2,`. Empty values are kept (the Node worker asks for `UseNullableValueDictionaryForHttp`).
 * The name is written as it first appeared here (ASP.NET Core may keep a later spelling); the raw query
 * stays in the URL.
 */
export function rpcQuery(params: URLSearchParams): Record<string, string> {
  const names = new Map<string, string>();
  const values = new Map<string, string[]>();
  for (const [name, value] of params) {
    const folded = name.toLowerCase();
    if (!names.has(folded)) names.set(folded, name);
    values.set(folded, [...(values.get(folded) ?? []), value]);
  }
  const query: Record<string, string> = {};
  for (const [folded, name] of names) query[name] = (values.get(folded) ?? []).join(',');
  return query;
}

/** A Set-Cookie header value in the form ASP.NET Core writes it. */
export function formatCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  const seconds = cookie.expires?.value?.seconds;
  if (typeof seconds === 'number') {
    parts.push(`expires=${new Date(seconds * 1000).toUTCString()}`);
  }
  const maxAge = cookie.maxAge?.value;
  if (typeof maxAge === 'number') {
    parts.push(`max-age=${Math.trunc(maxAge)}`);
  }
  if (cookie.domain?.value) {
    parts.push(`domain=${cookie.domain.value}`);
  }
  if (cookie.path?.value) {
    parts.push(`path=${cookie.path.value}`);
  }
  if (cookie.secure?.value) {
    parts.push('secure');
  }
  switch (cookie.sameSite) {
    case 'lax':
      parts.push('samesite=lax');
      break;
    case 'strict':
      parts.push('samesite=strict');
      break;
    case 'explicitNone':
      parts.push('samesite=none');
      break;
    default:
      break;
  }
  if (cookie.httpOnly?.value) {
    parts.push('httponly');
  }
  return parts.join('; ');
}

function bodyBytes(data: RpcHttpData): Buffer {
  const body = data.body;
  if (!body) {
    return Buffer.alloc(0);
  }
  if (body.bytes) {
    return Buffer.from(body.bytes);
  }
  if (typeof body.string === 'string') {
    return Buffer.from(body.string);
  }
  if (typeof body.json === 'string') {
    return Buffer.from(body.json);
  }
  return Buffer.alloc(0);
}

export function writeRpcHttpResponse(data: RpcHttpData | undefined, res: ServerResponse): void {
  if (!data) {
    // The host answers 204 when a function produces no HTTP response.
    res.writeHead(204).end();
    return;
  }
  const status = Number(data.statusCode ?? '200') || 200;
  for (const [name, value] of Object.entries(data.headers ?? {})) {
    res.setHeader(name, value);
  }
  const cookies = (data.cookies ?? []).map(formatCookie);
  if (cookies.length > 0) {
    res.setHeader('set-cookie', cookies);
  }
  const body = bodyBytes(data);
  res.statusCode = status;
  if (status !== 204 && status !== 304) {
    res.setHeader('content-length', body.length);
    res.end(body);
  } else {
    res.end();
  }
}
