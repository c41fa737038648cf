// Signatures cover the body exactly as sent, so it is read as bytes, once, before anything parses it.
import type { HttpRequest } from '@azure/functions';

/** Chat platforms send small bodies; anything larger is not theirs. */
export const MAX_CHAT_BODY_BYTES = 64 * 1024;

export async function readRawBody(request: HttpRequest): Promise<Buffer | undefined> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_CHAT_BODY_BYTES) return undefined;
  const body = Buffer.from(await request.arrayBuffer());
  return body.length > MAX_CHAT_BODY_BYTES ? undefined : body;
}
