import { HttpRequest } from '@azure/functions';

import { FUNCTION_KEY_ACTOR, callerOf } from '../../src/http/caller';

function request(headers: Record<string, string>): HttpRequest {
  return new HttpRequest({ method: 'GET', url: 'http://localhost/api/registries', headers });
}

const TRUSTED = true;

describe('the caller recorded in the audit trail, with App Service authentication trusted', () => {
  test('is the App Service authentication principal when its headers are present', () => {
    expect(
      callerOf(
        request({ 'x-ms-client-principal-id': 'oid-1', 'x-ms-client-principal-name': 'alice@contoso.com' }),
        TRUSTED,
      ),
    ).toEqual({ id: 'oid-1', name: 'alice@contoso.com' });
  });

  test('falls back to the claims of the encoded principal', () => {
    const principal = Buffer.from(
      JSON.stringify({
        claims: [
          { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-2' },
          { typ: 'name', val: 'Bob' },
        ],
      }),
    ).toString('base64');
    expect(callerOf(request({ 'x-ms-client-principal': principal }), TRUSTED)).toEqual({
      id: 'oid-2',
      name: 'Bob',
    });
  });

  test('is the function-key holder without authentication headers, or with a malformed principal', () => {
    expect(callerOf(request({}), TRUSTED)).toEqual(FUNCTION_KEY_ACTOR);
    expect(callerOf(request({ 'x-ms-client-principal': 'not base64 json' }), TRUSTED)).toEqual(
      FUNCTION_KEY_ACTOR,
    );
  });

  test('never stores an unbounded id', () => {
    expect(callerOf(request({ 'x-ms-client-principal-id': 'x'.repeat(5000) }), TRUSTED).id).toHaveLength(256);
  });
});

describe('the caller, without App Service authentication trusted', () => {
  test('is the function-key holder whatever principal headers a caller sends', () => {
    const forged = request({
      'x-ms-client-principal-id': 'oid-of-someone-else',
      'x-ms-client-principal-name': 'ceo@contoso.com',
      'x-ms-client-principal': Buffer.from(JSON.stringify({ claims: [{ typ: 'oid', val: 'x' }] })).toString(
        'base64',
      ),
    });
    expect(callerOf(forged, false)).toEqual(FUNCTION_KEY_ACTOR);
  });

  test('is decided by TRUST_APP_SERVICE_AUTH, which is off unless set to true', () => {
    const forged = request({ 'x-ms-client-principal-id': 'oid-3' });
    const saved = process.env.TRUST_APP_SERVICE_AUTH;
    try {
      delete process.env.TRUST_APP_SERVICE_AUTH;
      expect(callerOf(forged)).toEqual(FUNCTION_KEY_ACTOR);
      process.env.TRUST_APP_SERVICE_AUTH = 'false';
      expect(callerOf(forged)).toEqual(FUNCTION_KEY_ACTOR);
      process.env.TRUST_APP_SERVICE_AUTH = 'true';
      expect(callerOf(forged)).toEqual({ id: 'oid-3' });
    } finally {
      if (saved === undefined) delete process.env.TRUST_APP_SERVICE_AUTH;
      else process.env.TRUST_APP_SERVICE_AUTH = saved;
    }
  });
});
