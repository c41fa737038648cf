// Reading a JSON request body within a size bound: the declared length is checked before anything is
// read, the bytes after, and a body that is too large is refused (413) before it is parsed.
import type { HttpRequest } from '@azure/functions';

import { ValidationError } from '../domain';

/** A body larger than its route allows; answered 413 without being parsed. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the request body is larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The parsed body; undefined for an empty body when `required` is false. Throws BodyTooLargeError, or a
 * ValidationError on `body` when it is missing or not JSON.
 */
export async function readJsonBody(
  request: HttpRequest,
  options: { maxBytes: number; required: boolean },
): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > options.maxBytes) throw new BodyTooLargeError(options.maxBytes);
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > options.maxBytes) throw new BodyTooLargeError(options.maxBytes);
  const text = bytes.toString('utf8');
  if (text.trim() === '') {
    if (!options.required) return undefined;
    throw new ValidationError('body', 'a JSON object is required');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('body', 'the body is not valid JSON');
  }
}
