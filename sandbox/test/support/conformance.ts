// Checks raw responses recorded from the SDK clients against the official REST definitions, so every
// sandbox test that drives a client also proves the sandbox answered as the specs say.
import { operationNameFor } from '../../server';
import type { RecordedResponse } from '../../testing';
import { validateResponse } from './armSpec';

/** Operations the specs do not define (LRO polling URLs); Microsoft.Authorization has its own tests. */
const UNCHECKED =
  /_GetOperationStatus$|_GetOperationResult$|^RoleAssignments_|^RoleDefinitions_|^Permissions_/;

/** Spec violations of recorded responses. */
export function conformanceProblems(responses: readonly RecordedResponse[]): string[] {
  return responses.flatMap(({ method, url, status, body }) => {
    const operation = operationNameFor(method, decodeURIComponent(new URL(url).pathname));
    if (operation === undefined) return [`${method} ${url}: no sandbox operation`];
    if (UNCHECKED.test(operation)) return [];
    return validateResponse(operation, status, body).map(
      (problem) => `${method} ${url} → ${status}: ${problem}`,
    );
  });
}
