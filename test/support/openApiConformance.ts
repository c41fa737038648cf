// Whether a real answer is one the OpenAPI document promises: its status is documented for the
// operation, its media type is, and its body matches the schema (problem types and statuses included).
import type { HttpResult } from '@acr-replica-guard/devhost/testing';
import { OPENAPI_DOCUMENT } from '../../src/http/openapi';
import { findOperation, operationsOf, pointer } from './openApiDocument';
import type { OpenApiDocument } from './openApiDocument';
import { OpenApiValidator } from './openApiValidator';

const DOCUMENT = OPENAPI_DOCUMENT as unknown as OpenApiDocument;
const validator = new OpenApiValidator(DOCUMENT);
const PROBLEM_TYPE = /^urn:acr-replica-guard:problem:[a-z]+(-[a-z]+)*$/;

type Responses = Record<string, { content?: Record<string, unknown> }>;

/** `METHOD /path/template` of the documented operation a request reaches, if any. */
export function documentedOperation(method: string, url: string): string | undefined {
  const found = findOperation(DOCUMENT, method, new URL(url, 'http://host').pathname);
  return found === undefined ? undefined : `${found.method.toUpperCase()} ${found.path}`;
}

/** How an answer departs from the document; empty when it conforms. */
export function departures(method: string, url: string, answer: HttpResult): string[] {
  const documented = findOperation(DOCUMENT, method, new URL(url, 'http://host').pathname);
  if (documented === undefined) return [`${method} ${url} is not documented`];
  const status = String(answer.status);
  const response = (documented.operation as { responses: Responses }).responses[status];
  if (response === undefined) return [`status ${status} is not documented`];
  const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const content = response.content ?? {};
  if (Object.keys(content).length === 0)
    return answer.text === '' ? [] : [`status ${status} documents no body, got ${mediaType}`];
  if (content[mediaType] === undefined)
    return [`status ${status} documents ${Object.keys(content).join(', ')}, got "${mediaType}"`];
  // Pages, styles and scripts are checked by their media type alone.
  if (!mediaType.endsWith('json')) return [];
  const body = answer.json<Record<string, unknown>>();
  const problems = validator.validate(
    pointer('paths', documented.path, documented.method, 'responses', status, 'content', mediaType, 'schema'),
    body,
  );
  if (mediaType === 'application/problem+json') {
    if (!PROBLEM_TYPE.test(String(body.type))) problems.push(`problem type ${String(body.type)}`);
    if (body.status !== answer.status) problems.push(`problem status ${String(body.status)}`);
  }
  return problems;
}

/** Every documented operation, as `METHOD /path/template`. */
export function documentedOperations(): string[] {
  return operationsOf(DOCUMENT).map(({ method, path }) => `${method.toUpperCase()} ${path}`);
}
