// Slack updates a message after a button click only through the click's `response_url` (the body of the
// acknowledgement is not shown for Block Kit actions), so the decision is posted there as well.
import type { SlackMessage } from './slackMessages';

/** Slack's follow-up URLs are https; plain http is accepted on loopback only, for local receivers. */
export function isAllowedResponseUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** Posts a message; never throws, since the click has been handled whether or not the update lands. */
export async function postToResponseUrl(
  responseUrl: string,
  message: SlackMessage,
  warn: (message: string) => void,
  timeoutMs = 1500,
): Promise<boolean> {
  if (!isAllowedResponseUrl(responseUrl)) {
    warn('a Slack response_url was ignored: it is not an https URL');
    return false;
  }
  try {
    const response = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) warn(`Slack answered ${response.status} to a message update`);
    return response.ok;
  } catch (error) {
    warn(`could not update a Slack message: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
