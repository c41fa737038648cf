// Table Storage keys may not contain / \ # ? or control characters; instance ids may. Percent-encode
// those (and % itself) so every instance id maps to exactly one partition key and back.

import { taskHubNameProblem } from '../config/taskHubName';

function needsEscape(c: string): boolean {
  const code = c.charCodeAt(0);
  return '%/\\#?'.includes(c) || code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

export function encodeKey(value: string): string {
  let encoded = '';
  for (const c of value) {
    encoded += needsEscape(c) ? `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}` : c;
  }
  return encoded;
}

export function decodeKey(value: string): string {
  return value.replace(/%([0-9A-F]{2})/g, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Azure Tables table names: 3-63 alphanumerics starting with a letter; valid hub names make one. */
export function tableNameFor(hubName: string): string {
  const problem = taskHubNameProblem(hubName);
  if (problem !== undefined) {
    throw new Error(`${problem} (host.json extensions.durableTask.hubName)`);
  }
  return `${hubName}Orchestrations`;
}
