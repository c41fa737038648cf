// Access tokens: JWTs shaped like Entra ID's ARM tokens, signed with HS256 (only the sandbox verifies
// them), and the managed-identity token endpoint speaking the App Service protocol (api-version
// 2019-08-01) that @azure/identity uses when IDENTITY_ENDPOINT and IDENTITY_HEADER are set.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Principal } from './types';

export const ARM_AUDIENCES: readonly string[] = [
  'https://management.azure.com/',
  'https://management.azure.com',
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
];
export const DEFAULT_AUDIENCE = 'https://management.azure.com/';
/**
 * Azure Storage's resource, for identity-based connections to blobs, queues and tables (Azurite accepts
 * it in `--oauth basic` mode: it checks issuer, audience and lifetime, not the signature).
 */
export const STORAGE_AUDIENCES: readonly string[] = [
  'https://storage.azure.com/',
  'https://storage.azure.com',
];
/** The resources the token endpoint issues tokens for; Entra ID refuses resources it does not know. */
export const KNOWN_RESOURCES: readonly string[] = [...ARM_AUDIENCES, ...STORAGE_AUDIENCES];
/** Managed-identity tokens live about a day, as Entra ID's do. */
export const TOKEN_LIFETIME_SECONDS = 24 * 3600;
export const MANAGED_IDENTITY_API_VERSION = '2019-08-01';

export interface TokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  oid: string;
  sub: string;
  tid: string;
  appid: string;
  idtyp: 'app' | 'user';
  name: string;
}

export interface IssuedToken {
  accessToken: string;
  /** Epoch seconds. */
  expiresOn: number;
  claims: TokenClaims;
}

/** Why a bearer token was refused, with ARM's error code and message. */
export interface TokenRejection {
  code: string;
  message: string;
}

export interface TokenIssuer {
  issue(principal: Principal, options?: { audience?: string; lifetimeSeconds?: number }): IssuedToken;
  /** Decodes and checks a token for ARM: signature, lifetime, issuer and audience. */
  verify(token: string): { claims: TokenClaims } | { rejection: TokenRejection };
}

export function issuerFor(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

export function createTokenIssuer(
  tenantId: string,
  signingKey: Buffer,
  nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
): TokenIssuer {
  const sign = (input: string): string => createHmac('sha256', signingKey).update(input).digest('base64url');

  return {
    issue(principal, options = {}) {
      const iat = nowSeconds();
      const exp = iat + (options.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS);
      const claims: TokenClaims = {
        aud: options.audience ?? DEFAULT_AUDIENCE,
        iss: issuerFor(tenantId),
        iat,
        nbf: iat - 300,
        exp,
        oid: principal.objectId,
        sub: principal.objectId,
        tid: tenantId,
        appid: principal.appId,
        idtyp: principal.type === 'User' ? 'user' : 'app',
        name: principal.displayName,
      };
      const header = encodeSegment({ alg: 'HS256', typ: 'JWT' });
      const payload = encodeSegment(claims);
      return { accessToken: `${header}.${payload}.${sign(`${header}.${payload}`)}`, expiresOn: exp, claims };
    },

    verify(token) {
      const claims = decodeVerified(token, sign);
      if (!claims)
        return { rejection: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } };
      const now = nowSeconds();
      if (claims.exp <= now) {
        return {
          rejection: {
            code: 'ExpiredAuthenticationToken',
            message: `The access token expiry UTC time '${isoSeconds(claims.exp)}' is earlier than current UTC time '${isoSeconds(now)}'.`,
          },
        };
      }
      if (claims.nbf > now + 300) {
        return {
          rejection: { code: 'InvalidAuthenticationToken', message: 'The access token is not yet valid.' },
        };
      }
      if (claims.iss !== issuerFor(tenantId)) {
        return {
          rejection: {
            code: 'InvalidAuthenticationTokenTenant',
            message: `The access token is from the wrong issuer '${claims.iss}'. It must match the tenant '${issuerFor(tenantId)}' associated with this subscription. Please use the authority (URL) '${issuerFor(tenantId)}' to get the token.`,
          },
        };
      }
      if (!ARM_AUDIENCES.includes(claims.aud)) {
        return {
          rejection: {
            code: 'InvalidAuthenticationTokenAudience',
            message: `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${ARM_AUDIENCES.map((a) => `'${a}'`).join(',')}.`,
          },
        };
      }
      return { claims };
    },
  };
}

/** The HMAC key for tokens, derived from the CA key so that sandboxes sharing a CA accept each other's tokens. */
export function deriveSigningKey(caPrivateKeyPem: string): Buffer {
  return createHmac('sha256', caPrivateKeyPem).update('sandbox access token signing').digest();
}

function decodeVerified(token: string, sign: (input: string) => string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(`${header}.${payload}`));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<TokenClaims>;
    const complete =
      typeof claims.oid === 'string' &&
      typeof claims.aud === 'string' &&
      typeof claims.iss === 'string' &&
      typeof claims.exp === 'number' &&
      typeof claims.nbf === 'number';
    return complete ? (claims as TokenClaims) : undefined;
  } catch {
    return undefined;
  }
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

// ---------------------------------------------------------------------------------------------------
// Managed-identity endpoint (App Service protocol)

export interface ManagedIdentityRequest {
  query: URLSearchParams;
  /** Value of the X-IDENTITY-HEADER header, when sent. */
  identityHeader: string | undefined;
}

export interface ManagedIdentityResponse {
  status: number;
  body: unknown;
}

export interface ManagedIdentityDirectory {
  systemAssigned(): Principal | undefined;
  byClientId(clientId: string): Principal | undefined;
  byObjectId(objectId: string): Principal | undefined;
  byResourceId(resourceId: string): Principal | undefined;
}

/**
 * Answers `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=...[&client_id|object_id|principal_id|mi_res_id=...]`.
 * Errors use App Service's shape `{statusCode, message, correlationId}`, which MSAL reads.
 */
export function handleManagedIdentityRequest(
  request: ManagedIdentityRequest,
  expectedHeader: string,
  directory: ManagedIdentityDirectory,
  issuer: TokenIssuer,
): ManagedIdentityResponse {
  const fail = (status: number, message: string): ManagedIdentityResponse => ({
    status,
    body: { statusCode: status, message, correlationId: randomUUID() },
  });
  if (request.identityHeader === undefined) return fail(400, 'The X-IDENTITY-HEADER header is required.');
  if (!safeEquals(request.identityHeader, expectedHeader))
    return fail(401, 'The X-IDENTITY-HEADER header is invalid.');
  const apiVersion = request.query.get('api-version');
  if (apiVersion !== MANAGED_IDENTITY_API_VERSION) {
    return fail(
      400,
      `The api-version '${apiVersion ?? ''}' is not supported; use '${MANAGED_IDENTITY_API_VERSION}'.`,
    );
  }
  const resource = request.query.get('resource');
  if (!resource) return fail(400, 'The resource parameter is required.');
  if (!KNOWN_RESOURCES.includes(resource)) {
    return fail(
      400,
      `AADSTS500011: The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }

  const principal = pickIdentity(request.query, directory);
  if (!principal) return fail(400, 'Unable to load the proper Managed Identity.');

  const issued = issuer.issue(principal, { audience: resource });
  return {
    status: 200,
    body: {
      access_token: issued.accessToken,
      expires_on: String(issued.expiresOn),
      resource,
      token_type: 'Bearer',
      client_id: principal.clientId,
    },
  };
}

function pickIdentity(query: URLSearchParams, directory: ManagedIdentityDirectory): Principal | undefined {
  const clientId = query.get('client_id');
  if (clientId) return directory.byClientId(clientId);
  const objectId = query.get('object_id') ?? query.get('principal_id');
  if (objectId) return directory.byObjectId(objectId);
  const resourceId = query.get('mi_res_id');
  if (resourceId) return directory.byResourceId(resourceId);
  return directory.systemAssigned();
}

function safeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
