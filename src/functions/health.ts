import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

export const HEALTH_FUNCTION = 'health';

export function health(_request: HttpRequest, _context: InvocationContext): HttpResponseInit {
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
  handler: health,
});
