// Who is calling, for the audit trail and for approvals. App Service authentication (Easy Auth) forwards
// the signed-in principal in x-ms-client-principal* headers, and removes any a client sent; without it in
// front, anyone holding a key could send those headers, so they are read only when TRUST_APP_SERVICE_AUTH
// says Easy Auth is on. Otherwise the caller is the anonymous function-key holder.
import type { HttpRequest } from '@azure/functions';

import { trustAppServiceAuth } from '../config/settings';
import { FUNCTION_KEY_ACTOR_ID } from '../domain';
import type { AuditActor } from '../domain';

interface ClientPrincipal {
  claims?: { typ?: string; val?: string }[];
}

const OBJECT_ID_CLAIMS = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];
const NAME_CLAIMS = [
  'name',
  'preferred_username',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
];

export const FUNCTION_KEY_ACTOR: AuditActor = { id: FUNCTION_KEY_ACTOR_ID, name: 'function key holder' };

export function callerOf(request: HttpRequest, trusted: boolean = trustAppServiceAuth()): AuditActor {
  if (!trusted) return FUNCTION_KEY_ACTOR;
  const id = request.headers.get('x-ms-client-principal-id')?.trim();
  const name = request.headers.get('x-ms-client-principal-name')?.trim();
  const claims = decodePrincipal(request.headers.get('x-ms-client-principal'));
  const claim = (types: string[]): string | undefined =>
    claims.find((c) => c.typ !== undefined && types.includes(c.typ) && c.val !== undefined && c.val !== '')
      ?.val;

  const actorId = id || claim(OBJECT_ID_CLAIMS);
  if (actorId === undefined) return FUNCTION_KEY_ACTOR;
  const actorName = name || claim(NAME_CLAIMS);
  return actorName === undefined
    ? { id: bounded(actorId) }
    : { id: bounded(actorId), name: bounded(actorName) };
}

function decodePrincipal(header: string | null): { typ?: string; val?: string }[] {
  if (header === null || header === '') return [];
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as ClientPrincipal;
    return Array.isArray(parsed.claims) ? parsed.claims : [];
  } catch {
    return [];
  }
}

function bounded(text: string): string {
  return text.slice(0, 256);
}
