// GET /api/openapi.json: this API's OpenAPI description. No body, no query parameters.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { withProblems } from '../http/handler';
import { OPENAPI_DOCUMENT } from '../http/openapi';
import { admitBodylessRequest } from '../http/requestLimits';

export const OPENAPI_FUNCTION = 'openapi';

export async function openapi(request: HttpRequest): Promise<HttpResponseInit> {
  await admitBodylessRequest(request);
  return { status: 200, jsonBody: OPENAPI_DOCUMENT, headers: { 'cache-control': 'public, max-age=300' } };
}

app.http(OPENAPI_FUNCTION, {
  route: 'openapi.json',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withProblems(openapi),
});
