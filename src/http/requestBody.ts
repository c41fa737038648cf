// Reading a request body within a limit, so a hostile body costs at most the limit: a declared
// Content-Length past it is refused unread, and a body without one is read only up to it.
import type { HttpRequest } from '@azure/functions';

import { ValidationError } from '../domain';

/** A body larger than its route allows (answered 413). */
export class PayloadTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the request body is larger than ${limitBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

/** A body in a media type the route does not read (answered 415). */
export class UnsupportedMediaTypeError extends Error {
  constructor(readonly expected: string) {
    super(`the request body must be ${expected}`);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** What reading a body needs of a request: its headers and its body stream. */
export type BodySource = Pick<HttpRequest, 'headers' | 'body'>;

/** The body's bytes; throws PayloadTooLargeError, without reading further, once it passes `maxBytes`. */
export async function readBodyWithin(request: BodySource, maxBytes: number): Promise<Buffer> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    throw new PayloadTooLargeError(maxBytes);
  }
  const stream = request.body;
  if (stream === null) return Buffer.alloc(0);
  const reader = stream.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (done || value === undefined) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new PayloadTooLargeError(maxBytes);
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, total);
}

/**
 * A JSON body: read within `maxBytes`, in a JSON media type (or none), UTF-8, and well formed. What it
 * holds is for the route's own parser to judge. An empty body is an error unless `required` is false,
 * and then it is undefined.
 */
export async function readJsonBody(
  request: BodySource,
  maxBytes: number,
  { required = true }: { required?: boolean } = {},
): Promise<unknown> {
  const bytes = await readBodyWithin(request, maxBytes);
  const type = request.headers.get('content-type');
  if (type !== null && type.trim() !== '' && !isJsonMediaType(type)) {
    throw new UnsupportedMediaTypeError('application/json');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError('body', 'the body is not valid UTF-8');
  }
  if (text.trim() === '') {
    if (!required) return undefined;
    throw new ValidationError('body', 'a JSON object is required');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('body', 'the body is not valid JSON');
  }
}

/** `application/json` or a `+json` type, with any parameters (charset=utf-8 is the only encoding read). */
export function isJsonMediaType(contentType: string): boolean {
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}
