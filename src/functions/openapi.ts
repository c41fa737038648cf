import { app } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';

import { OPENAPI_DOCUMENT } from '../http/openapi';

export const OPENAPI_FUNCTION = 'openapi';

export function openapi(): HttpResponseInit {
  return { status: 200, jsonBody: OPENAPI_DOCUMENT, headers: { 'cache-control': 'public, max-age=300' } };
}

app.http(OPENAPI_FUNCTION, {
  route: 'openapi.json',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: openapi,
});
