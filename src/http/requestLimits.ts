// How much of a request each route reads: its body limit and the query parameters it takes. Every route
// has both, so nothing a caller sends is read without bound or ignored without a word.
import type { HttpRequest } from '@azure/functions';

import { readBodyWithin } from './requestBody';
import { refuseUnknownParameters, requestQuery } from './queryParameters';

/** A create or update of a replica: a handful of fields and at most 50 tags (ARM's limit) fit easily. */
export const REPLICA_BODY_LIMIT_BYTES = 64 * 1024;
/** An approval: `{"approved": true}`. */
export const APPROVAL_BODY_LIMIT_BYTES = 1024;
/** Routes that read no body; a small stray one (`{}` from a client that always sends one) is ignored. */
export const NO_BODY_LIMIT_BYTES = 1024;

/**
 * For a route that reads no body: refuses a body past NO_BODY_LIMIT_BYTES (413) and any parameter
 * outside `parameters` (400); answers the query to read those from.
 */
export async function admitBodylessRequest(
  request: HttpRequest,
  parameters: readonly string[] = [],
): Promise<URLSearchParams> {
  await readBodyWithin(request, NO_BODY_LIMIT_BYTES);
  const query = requestQuery(request);
  refuseUnknownParameters(query, parameters);
  return query;
}
