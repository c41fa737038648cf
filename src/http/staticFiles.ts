// Answers for the app's own static files (the dashboard and the API explorer): a fixed list of files
// read from the build output or from an installed package, never a path from the request, with strict
// security headers so that a page can run only the app's own scripts and cannot be framed.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

import type { HttpResponseInit } from '@azure/functions';

import { problem, problemResponse } from './problem';

export interface StaticFile {
  /** Absolute path of the file. */
  file: string;
  contentType: string;
}

/** Where the build puts the dashboard's pages, styles and scripts (dist/dashboard). */
export const DASHBOARD_ASSETS = path.resolve(__dirname, '..', '..', 'dashboard');

/** The installed swagger-ui-dist package's folder. */
export function swaggerUiFolder(): string {
  return path.dirname(require.resolve('swagger-ui-dist/package.json'));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

export function staticFile(folder: string, name: string): StaticFile {
  return {
    file: path.join(folder, name),
    contentType: TYPES[path.extname(name)] ?? 'application/octet-stream',
  };
}

/**
 * The content security policy: only the app's own scripts, styles, images and API, no inline script, no
 * framing. `inlineStyles` is for Swagger UI, which sets style attributes as it draws.
 */
export function contentSecurityPolicy(inlineStyles: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self'${inlineStyles ? " 'unsafe-inline'" : ''}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(inlineStyles = false): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(inlineStyles),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/** The file, or a 404 problem when `found` is undefined (a name not on the route's list, which is not repeated back). */
export async function serveStatic(
  found: StaticFile | undefined,
  options: { inlineStyles?: boolean; cacheControl: string },
): Promise<HttpResponseInit> {
  if (found === undefined)
    return problemResponse(problem(404, 'file-not-found', 'There is no such file here.'));
  const body = await readFile(found.file);
  return {
    status: 200,
    body,
    headers: {
      'content-type': found.contentType,
      'cache-control': options.cacheControl,
      ...securityHeaders(options.inlineStyles ?? false),
    },
  };
}
