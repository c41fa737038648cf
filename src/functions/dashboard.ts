// GET /api/dashboard: the operators' page, and GET /api/dashboard/{file}: its style sheet and scripts.
// The page needs a function key like the API it reads; its scripts and styles hold no data and no
// secret, and a browser cannot send the key's header with them, so they are served without one.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { withProblems } from '../http/handler';
import { admitBodylessRequest } from '../http/requestLimits';
import { DASHBOARD_ASSETS, serveStatic, staticFile } from '../http/staticFiles';

export const DASHBOARD_FUNCTION = 'dashboard';
export const DASHBOARD_ASSET_FUNCTION = 'dashboardAsset';

const ASSETS = ['dashboard.css', 'app.js', 'matrix.js'];

export async function dashboard(request: HttpRequest): Promise<HttpResponseInit> {
  await admitBodylessRequest(request);
  return serveStatic(staticFile(DASHBOARD_ASSETS, 'index.html'), { cacheControl: 'no-store' });
}

export async function dashboardAsset(request: HttpRequest): Promise<HttpResponseInit> {
  await admitBodylessRequest(request);
  const name = request.params.file ?? '';
  const found = ASSETS.includes(name) ? staticFile(DASHBOARD_ASSETS, name) : undefined;
  return serveStatic(found, { cacheControl: 'no-cache' });
}

app.http(DASHBOARD_FUNCTION, {
  route: 'dashboard',
  methods: ['GET'],
  authLevel: 'function',
  handler: withProblems(dashboard),
});

app.http(DASHBOARD_ASSET_FUNCTION, {
  route: 'dashboard/{file}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withProblems(dashboardAsset),
});
