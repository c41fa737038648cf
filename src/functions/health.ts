// GET /api/health: whether the app is up, for probes. Like every route it reads no more than it takes:
// no body, no query parameters.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { withProblems } from '../http/handler';
import { admitBodylessRequest } from '../http/requestLimits';

export const HEALTH_FUNCTION = 'health';

export async function health(request: HttpRequest): Promise<HttpResponseInit> {
  await admitBodylessRequest(request);
  return {
    status: 200,
    jsonBody: { status: 'ok', service: 'acr-replica-guard' },
    headers: { 'cache-control': 'no-store' },
  };
}

app.http(HEALTH_FUNCTION, {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withProblems(health),
});
