// A caller's effective permissions at one resource (Microsoft.Authorization/permissions), read at the
// resource's own id. The SDK's permissions.listForResource builds the path from a parent path, and for
// a top-level resource such as a private endpoint the empty parent leaves "Microsoft.Network//..." on
// the wire, which ARM refuses; so the request is built here and sent through the client's pipeline
// (same credential, retries and errors as every other call).
import type { AuthorizationManagementClient, Permission } from '@azure/arm-authorization';
import { RestError, createPipelineRequest } from '@azure/core-rest-pipeline';

const API_VERSION = '2022-04-01';

interface PermissionPage {
  value?: Permission[];
  nextLink?: string;
}

export async function listPermissionsAt(
  client: AuthorizationManagementClient,
  endpoint: string,
  resourceId: string,
): Promise<Permission[]> {
  const permissions: Permission[] = [];
  let url: string | undefined =
    `${endpoint.replace(/\/+$/, '')}/${trimSlashes(resourceId)}/providers/Microsoft.Authorization/permissions?api-version=${API_VERSION}`;
  while (url !== undefined) {
    const page = await getPage(client, url);
    permissions.push(...(page.value ?? []));
    url = page.nextLink;
  }
  return permissions;
}

async function getPage(client: AuthorizationManagementClient, url: string): Promise<PermissionPage> {
  const request = createPipelineRequest({ url, method: 'GET' });
  const response = await client.sendRequest(request);
  const body = parseBody(response.bodyAsText);
  if (response.status !== 200) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new RestError(error?.message ?? `ARM answered ${response.status} to a permissions read`, {
      statusCode: response.status,
      ...(error?.code === undefined ? {} : { code: error.code }),
      request,
      response,
    });
  }
  return typeof body === 'object' && body !== null ? body : {};
}

function parseBody(text: string | null | undefined): unknown {
  if (text === undefined || text === null || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function trimSlashes(id: string): string {
  return id.replace(/^\/+|\/+$/g, '');
}
