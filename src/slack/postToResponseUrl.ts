// Slack updates a message after a button click only through the click's `response_url` (the body of the
// acknowledgement is not shown for Block Kit actions), so the decision is posted there as well; the
// results of chat-started work follow the same way. Redirects are never followed.
import { chatReplyHosts } from '../config/settings';
import { slackReplyTarget } from './replyTarget';
import type { SlackMessage } from './slackMessages';

/** Posts a message; never throws, since the click has been handled whether or not the update lands. */
export async function postToResponseUrl(
  responseUrl: string,
  message: SlackMessage,
  warn: (message: string) => void,
  timeoutMs = 1500,
): Promise<boolean> {
  if (slackReplyTarget(responseUrl, chatReplyHosts()) === undefined) {
    warn('a Slack response_url was ignored: it is outside CHAT_REPLY_HOSTS');
    return false;
  }
  try {
    // Never followed: a redirect could lead anywhere, outside CHAT_REPLY_HOSTS.
    const response = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    // The URL and the redirect's target are left out of the log: a response_url is a credential.
    if (isRedirect(response.status)) {
      warn(`Slack answered a redirect (${response.status}) to a message update; it was not followed`);
    } else if (!response.ok) warn(`Slack answered ${response.status} to a message update`);
    return response.ok;
  } catch (error) {
    warn(`could not update a Slack message: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}
