// Reading a body within its limit: a declared length past it is refused unread, a stream past it is
// read no further than the chunk that crossed it, and JSON bodies are checked for type, encoding and form.
import { ReadableStream } from 'node:stream/web';

import { HttpRequest } from '@azure/functions';

import { fieldErrorsOf } from '../../src/domain';
import {
  isJsonMediaType,
  PayloadTooLargeError,
  readBodyWithin,
  readJsonBody,
  UnsupportedMediaTypeError,
} from '../../src/http/requestBody';
import type { BodySource } from '../../src/http/requestBody';

/** A body streamed in `chunks` chunks of `chunkBytes`, counting how many were pulled. */
function streamedBody(chunks: number, chunkBytes: number, headers: Record<string, string> = {}) {
  const pulled = { count: 0 };
  let sent = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent === chunks) {
          controller.close();
          return;
        }
        sent += 1;
        pulled.count += 1;
        controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
      },
    },
    { highWaterMark: 0 },
  );
  const source: BodySource = { headers: new Headers(headers), body };
  return { source, pulled };
}

/** A POST as the host hands it to the worker: the body as bytes, so no content type is made up. */
const post = (body: string, headers: Record<string, string> = {}): HttpRequest =>
  new HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/x',
    body: { bytes: new TextEncoder().encode(body) },
    headers,
  });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('readBodyWithin', () => {
  test('a body within the limit is read whole', async () => {
    const { source, pulled } = streamedBody(4, 1000);
    expect((await readBodyWithin(source, 4000)).length).toBe(4000);
    expect(pulled.count).toBe(4);
  });

  test('a streamed body past the limit is refused after the chunk that crossed it, the rest unread', async () => {
    const { source, pulled } = streamedBody(1000, 1000);
    const error = await failure(readBodyWithin(source, 2500));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).limitBytes).toBe(2500);
    expect(pulled.count).toBe(3);
  });

  test('a declared Content-Length past the limit is refused before a byte is read', async () => {
    const { source, pulled } = streamedBody(10, 1000, { 'content-length': '10000' });
    expect(await failure(readBodyWithin(source, 9999))).toBeInstanceOf(PayloadTooLargeError);
    expect(pulled.count).toBe(0);
  });

  test('a Content-Length that understates the body does not let the rest through', async () => {
    const { source } = streamedBody(10, 1000, { 'content-length': '10' });
    expect(await failure(readBodyWithin(source, 5000))).toBeInstanceOf(PayloadTooLargeError);
  });

  test('no body reads as empty', async () => {
    const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/x' });
    expect((await readBodyWithin(request, 0)).length).toBe(0);
  });
});

describe('readJsonBody', () => {
  test('parses JSON sent as application/json, a +json type, or without a type', async () => {
    expect(await readJsonBody(post('{"a":1}', { 'content-type': 'application/json' }), 100)).toEqual({
      a: 1,
    });
    expect(
      await readJsonBody(
        post('{"a":1}', { 'content-type': 'application/merge-patch+json; charset=utf-8' }),
        100,
      ),
    ).toEqual({ a: 1 });
    expect(await readJsonBody(post('[1]'), 100)).toEqual([1]);
    // RFC 8259 lets a parser ignore a leading byte order mark; the UTF-8 decoder does.
    expect(await readJsonBody(post('\uFEFF{"a":1}'), 100)).toEqual({ a: 1 });
  });

  test.each([
    ['text/plain'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
    ['application/jsonx'],
  ])('refuses %s with 415', async (type) => {
    expect(await failure(readJsonBody(post('{}', { 'content-type': type }), 100))).toBeInstanceOf(
      UnsupportedMediaTypeError,
    );
  });

  test.each([
    ['empty', '', 'a JSON object is required'],
    ['blank', '  \n', 'a JSON object is required'],
    ['not JSON', '{"a":', 'the body is not valid JSON'],
    ['only a byte order mark', '\uFEFF', 'a JSON object is required'],
  ])('a body that is %s is a validation error on "body"', async (_what, text, reason) => {
    expect(fieldErrorsOf(await failure(readJsonBody(post(text), 100)))).toEqual([{ field: 'body', reason }]);
  });

  test('bytes that are not UTF-8 are a validation error on "body"', async () => {
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/x',
      body: { bytes: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) },
    });
    expect(fieldErrorsOf(await failure(readJsonBody(request, 100)))).toEqual([
      { field: 'body', reason: 'the body is not valid UTF-8' },
    ]);
  });

  test('the size limit is checked before the media type and the JSON', async () => {
    const error = await failure(readJsonBody(post('x'.repeat(101), { 'content-type': 'text/plain' }), 100));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  test.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['application/problem+json', true],
    ['application/json-seq', false],
    ['text/json', false],
    ['', false],
  ])('%s is a JSON media type: %s', (type, expected) => {
    expect(isJsonMediaType(type)).toBe(expected);
  });
});

describe('readJsonBody of an optional body', () => {
  test('an empty body is undefined when the route does not require one, and an error when it does', async () => {
    await expect(readJsonBody(post(''), 100, { required: false })).resolves.toBeUndefined();
    await expect(readJsonBody(post('  '), 100, { required: false })).resolves.toBeUndefined();
    await expect(readJsonBody(post(''), 100)).rejects.toThrow(/JSON object is required|fields/);
    await expect(readJsonBody(post('{"a":1}'), 100, { required: false })).resolves.toEqual({ a: 1 });
  });
});
