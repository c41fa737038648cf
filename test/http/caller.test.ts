import { HttpRequest } from '@azure/functions';

import { FUNCTION_KEY_ACTOR, callerOf } from '../../src/http/caller';

function request(headers: Record<string, string>): HttpRequest {
  return new HttpRequest({ method: 'GET', url: 'http://localhost/api/registries', headers });
}

describe('the caller recorded in the audit trail', () => {
  test('is the App Service authentication principal when its headers are present', () => {
    expect(
      callerOf(
        request({ 'x-ms-client-principal-id': 'oid-1', 'x-ms-client-principal-name': 'alice@contoso.com' }),
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
    expect(callerOf(request({ 'x-ms-client-principal': principal }))).toEqual({ id: 'oid-2', name: 'Bob' });
  });

  test('is the function-key holder without authentication headers, or with a malformed principal', () => {
    expect(callerOf(request({}))).toEqual(FUNCTION_KEY_ACTOR);
    expect(callerOf(request({ 'x-ms-client-principal': 'not base64 json' }))).toEqual(FUNCTION_KEY_ACTOR);
  });

  test('never stores an unbounded id', () => {
    expect(callerOf(request({ 'x-ms-client-principal-id': 'x'.repeat(5000) })).id).toHaveLength(256);
  });
});
