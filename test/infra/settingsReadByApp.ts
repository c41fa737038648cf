// Which app settings the app reads, found by reading its source text rather than importing it: the
// settings module and `process.env` reads anywhere under src/, plus `%NAME%` references that the
// Functions host resolves in host.json and in binding expressions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT, filesUnder } from './bicep';

const NAME = '[A-Za-z_][A-Za-z0-9_]*';

export interface SettingsRead {
  names: Set<string>;
  /** Where each name was seen, for failure messages. */
  seenIn: Map<string, string>;
}

export function settingsReadByApp(): SettingsRead {
  const names = new Set<string>();
  const seenIn = new Map<string, string>();
  const add = (name: string, path: string): void => {
    names.add(name);
    if (!seenIn.has(name)) seenIn.set(name, path);
  };
  for (const path of filesUnder(join(REPO_ROOT, 'src'), '.ts')) {
    const text = readFileSync(join(REPO_ROOT, path), 'utf8');
    // Constants that name a setting, as in `const HEAL_SCHEDULE_SETTING = 'HEAL_SCHEDULE'`.
    const constants = new Map<string, string>();
    for (const match of text.matchAll(new RegExp(`const (${NAME}) = '(${NAME})'`, 'g'))) {
      constants.set(match[1]!, match[2]!);
    }
    const patterns = [
      new RegExp(`\\benv\\.(${NAME})`, 'g'), // env.NAME and process.env.NAME
      new RegExp(`\\benv\\[['"\`](${NAME})['"\`]\\]`, 'g'), // env['NAME']
      new RegExp(`\\(env, '(${NAME})'`, 'g'), // helpers: positiveNumber(env, 'NAME', ...)
      new RegExp(`'%(${NAME})%'`, 'g'), // binding expressions the host resolves
    ];
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) add(match[1]!, path);
    for (const match of text.matchAll(new RegExp(`\\benv\\[(${NAME})\\]`, 'g'))) {
      const constant = constants.get(match[1]!);
      if (constant !== undefined) add(constant, path);
    }
    for (const match of text.matchAll(new RegExp(`%\\$\\{(${NAME})\\}%`, 'g'))) {
      const constant = constants.get(match[1]!);
      if (constant !== undefined) add(constant, path);
    }
  }
  const hostJson = readFileSync(join(REPO_ROOT, 'host.json'), 'utf8');
  for (const match of hostJson.matchAll(new RegExp(`%(${NAME})%`, 'g'))) add(match[1]!, 'host.json');
  return { names, seenIn };
}
