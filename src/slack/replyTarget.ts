// A chat's follow-up address, accepted only for the platform's own hosts: the URL arrives in a signed
// request, but the app must never be steered into posting elsewhere.
import type { ChatReplyTarget } from '../domain';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function slackReplyTarget(
  responseUrl: string | null | undefined,
  allowedHosts: readonly string[],
): ChatReplyTarget | undefined {
  if (responseUrl === null || responseUrl === undefined || responseUrl.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(responseUrl);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  if (!allowedHosts.some((allowed) => allowed.toLowerCase() === host)) return undefined;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(host))) return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return { platform: 'slack', responseUrl: url.toString() };
}
