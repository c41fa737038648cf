// Slack sends button clicks (interactivity payloads) form-encoded, with the JSON in a `payload` field.
// Only what an approval needs is read; anything that is not one button click of a known shape is ignored.
import { isJsonObject } from '../domain';

export interface BlockAction {
  teamId: string;
  userId: string;
  userName?: string;
  actionId: string;
  /** The button's value: the operation the click is about. */
  value: string;
  responseUrl?: string;
}

export function parseBlockAction(rawBody: Buffer): BlockAction | undefined {
  const field = new URLSearchParams(rawBody.toString('utf8')).get('payload');
  if (field === null) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(field) as unknown;
  } catch {
    return undefined;
  }
  if (!isJsonObject(payload) || payload.type !== 'block_actions') return undefined;
  const user = isJsonObject(payload.user) ? payload.user : {};
  const team = isJsonObject(payload.team) ? payload.team : {};
  const action: unknown = Array.isArray(payload.actions) ? payload.actions[0] : undefined;
  if (!isJsonObject(action)) return undefined;
  const userId = text(user.id);
  const teamId = text(team.id) ?? text(user.team_id);
  const actionId = text(action.action_id);
  const value = text(action.value);
  if (userId === undefined || teamId === undefined || actionId === undefined || value === undefined)
    return undefined;
  const userName = text(user.username) ?? text(user.name);
  const responseUrl = text(payload.response_url, 2048);
  return {
    teamId,
    userId,
    actionId,
    value,
    ...(userName === undefined ? {} : { userName }),
    ...(responseUrl === undefined ? {} : { responseUrl }),
  };
}

function text(value: unknown, maxLength = 256): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= maxLength ? value : undefined;
}
