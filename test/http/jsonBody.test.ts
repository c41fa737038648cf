import { HttpRequest } from '@azure/functions';

import { BodyTooLargeError, readJsonBody } from '../../src/http/jsonBody';

const request = (body: string, headers: Record<string, string> = {}): HttpRequest =>
  new HttpRequest({ method: 'PUT', url: 'http://localhost/api/x', body: { string: body }, headers });

async function failure(
  body: string,
  options: { maxBytes: number; required: boolean },
  headers = {},
): Promise<unknown> {
  try {
    await readJsonBody(request(body, headers), options);
  } catch (error) {
    return error;
  }
  throw new Error('expected readJsonBody to refuse the body');
}

describe('readJsonBody', () => {
  test('parses JSON within the bound; an empty optional body is undefined', async () => {
    expect(await readJsonBody(request('{"a":[1]}'), { maxBytes: 100, required: true })).toEqual({ a: [1] });
    expect(await readJsonBody(request('  '), { maxBytes: 100, required: false })).toBeUndefined();
  });

  test('a body over the bound is refused, whether its declared length says so or its bytes do', async () => {
    expect(await failure('{"a":"é"}'.padEnd(200, ' '), { maxBytes: 100, required: true })).toBeInstanceOf(
      BodyTooLargeError,
    );
    expect(
      await failure('{}', { maxBytes: 100, required: true }, { 'content-length': '5000' }),
    ).toBeInstanceOf(BodyTooLargeError);
  });

  test('a missing required body and a body that is not JSON name the body, without echoing it', async () => {
    expect(await failure('', { maxBytes: 100, required: true })).toMatchObject({ field: 'body' });
    expect(await failure('{secret', { maxBytes: 100, required: true })).toMatchObject({
      field: 'body',
      reason: 'the body is not valid JSON',
    });
  });
});
