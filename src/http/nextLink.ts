// RFC 8288 Link header for the next page of a listing.
import { FUNCTION_KEY_PARAMETER } from './queryParameters';

/**
 * The request's own URL with `tokenParameter` set to `token`. A function key passed as `code` is left
 * out: response headers are logged in more places than request lines, so the key is not repeated back.
 */
export function nextPageLink(requestUrl: string, tokenParameter: string, token: string): string {
  const url = new URL(requestUrl);
  url.searchParams.delete(FUNCTION_KEY_PARAMETER);
  url.searchParams.set(tokenParameter, token);
  return `<${url.toString()}>; rel="next"`;
}
