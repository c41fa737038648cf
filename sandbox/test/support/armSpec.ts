// Conformance checks against the official Azure REST API definitions (OpenAPI 2.0) that the ARM sandbox
// follows: containerregistry 2025-11-01 and authorization 2022-04-01, read from the copy in
// sandbox/test/fixtures/azure-rest-api-specs. Subscriptions_ListLocations has only an official
// example there, so its responses are compared with the example's shape instead (a weaker check).
import type { SpecOperation } from './armSpecOperations';
import { findOperation, operationIndex } from './armSpecOperations';
import { loadJson, specFilePath } from './armSpecFiles';
import { compareWithExampleShape } from './compareWithExampleShape';
import { validateSchemaAt } from './validateSchemaAt';

export { SPEC_FILES, armSpecRoot } from './armSpecFiles';
export type { SpecKey } from './armSpecFiles';
export { findOperation } from './armSpecOperations';
export type { SpecOperation, SpecParameter, SpecResponse } from './armSpecOperations';
export { officialExampleReferences, officialExamples } from './armSpecExamples';
export type { ExampleReference, ExampleResponse, OfficialExample } from './armSpecExamples';

function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === null || body === '';
}

/** The documented response for a status: its own entry, or `default` for error statuses. */
function responseKey(operation: SpecOperation, status: number): string | undefined {
  if (operation.responses[String(status)] !== undefined) return String(status);
  return status >= 400 && operation.responses.default !== undefined ? 'default' : undefined;
}

function validateExampleOnlyResponse(operation: SpecOperation, status: number, body: unknown): string[] {
  const [file] = Object.values(operation.examples);
  const example = loadJson(specFilePath(file ?? '')) as { responses?: Record<string, { body?: unknown }> };
  const documented = example.responses?.[String(status)];
  if (documented === undefined) {
    return [
      `status ${status} is not documented for ${operation.operationId} (its example shows ${Object.keys(example.responses ?? {}).join(', ')})`,
    ];
  }
  return compareWithExampleShape(documented.body, body);
}

/**
 * Readable problems of a response (empty when it conforms): unknown operation, undocumented status, a body
 * where the spec has none, and everything wrong with the body against the response schema, including
 * properties the schema does not declare (`unexpected property $.properties.foo`).
 */
export function validateResponse(operationId: string, status: number, body: unknown): string[] {
  const operation = findOperation(operationId);
  if (operation === undefined) return [`unknown operation ${operationId}`];
  if (operation.exampleOnly === true) return validateExampleOnlyResponse(operation, status, body);
  const key = responseKey(operation, status);
  if (key === undefined) {
    return [
      `status ${status} is not documented for ${operationId} (documented: ${Object.keys(operation.responses).join(', ')})`,
    ];
  }
  const response = operationIndex().get(operationId)!.responses[key]!;
  if (response.node.schema === undefined) {
    return isEmptyBody(body)
      ? []
      : [`status ${status} of ${operationId} has no body in the spec, got ${JSON.stringify(body)}`];
  }
  if (isEmptyBody(body)) return [`status ${status} of ${operationId} must have a body`];
  return validateSchemaAt({ file: response.file, pointer: `${response.pointer}/schema` }, body);
}

/** Readable problems of a request body against the operation's body parameter (empty when it conforms). */
export function validateRequestBody(operationId: string, body: unknown): string[] {
  const entry = operationIndex().get(operationId);
  if (entry === undefined) return [`unknown operation ${operationId}`];
  const parameter = entry.bodyParameter;
  if (parameter === undefined) {
    return isEmptyBody(body) ? [] : [`${operationId} takes no request body, got ${JSON.stringify(body)}`];
  }
  if (body === undefined) {
    return parameter.node.required === true
      ? [`${operationId} requires a request body (${parameter.node.name})`]
      : [];
  }
  return validateSchemaAt({ file: parameter.file, pointer: `${parameter.pointer}/schema` }, body);
}

/**
 * Problems of a paged list as a client walks it: every page a valid 200 body, every page but the last
 * with a next link (the operation's `x-ms-pageable` nextLinkName), the last without one.
 */
export function validatePagedList(operationId: string, pages: unknown[]): string[] {
  const operation = findOperation(operationId);
  if (operation === undefined) return [`unknown operation ${operationId}`];
  const nextLinkName = operation.pageable?.nextLinkName;
  if (operation.pageable === undefined || nextLinkName === undefined || nextLinkName === null) {
    return [`${operationId} is not a paged operation`];
  }
  if (pages.length === 0) return ['a paged list has at least one page'];
  return pages.flatMap((page, index) => {
    const problems = validateResponse(operationId, 200, page);
    const nextLink = (page as Record<string, unknown> | null)?.[nextLinkName];
    const isLast = index === pages.length - 1;
    if (isLast && nextLink !== undefined && nextLink !== null)
      problems.push(`the last page has ${nextLinkName}`);
    if (!isLast && typeof nextLink !== 'string')
      problems.push(`$.${nextLinkName} is missing, but more pages follow`);
    return problems.map((problem) => `page ${index + 1}: ${problem}`);
  });
}
