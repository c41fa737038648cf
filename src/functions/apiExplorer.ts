// GET /api/docs: an explorer for this API's OpenAPI document (Swagger UI), and GET /api/docs/{file}: its
// scripts and styles, from the app's own copy of swagger-ui-dist. Like the document it shows, it holds
// no data, so it needs no key; trying a keyed route from it asks for one.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { withProblems } from '../http/handler';
import { admitBodylessRequest } from '../http/requestLimits';
import { DASHBOARD_ASSETS, serveStatic, staticFile, swaggerUiFolder } from '../http/staticFiles';
import type { StaticFile } from '../http/staticFiles';

export const API_EXPLORER_FUNCTION = 'apiExplorer';
export const API_EXPLORER_ASSET_FUNCTION = 'apiExplorerAsset';

const SWAGGER_UI_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js'];

export async function apiExplorer(request: HttpRequest): Promise<HttpResponseInit> {
  await admitBodylessRequest(request);
  return serveStatic(staticFile(DASHBOARD_ASSETS, 'docs.html'), {
    inlineStyles: true,
    cacheControl: 'no-cache',
  });
}

export async function apiExplorerAsset(request: HttpRequest): Promise<HttpResponseInit> {
  await admitBodylessRequest(request);
  const name = request.params.file ?? '';
  return serveStatic(assetNamed(name), { inlineStyles: true, cacheControl: 'public, max-age=300' });
}

function assetNamed(name: string): StaticFile | undefined {
  if (name === 'explorer.js') return staticFile(DASHBOARD_ASSETS, name);
  return SWAGGER_UI_FILES.includes(name) ? staticFile(swaggerUiFolder(), name) : undefined;
}

app.http(API_EXPLORER_FUNCTION, {
  route: 'docs',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withProblems(apiExplorer),
});

app.http(API_EXPLORER_ASSET_FUNCTION, {
  route: 'docs/{file}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withProblems(apiExplorerAsset),
});
