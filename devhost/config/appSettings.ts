// App settings as Core Tools provides them: local.settings.json `Values` become environment variables,
// and variables already set in the environment win.

import * as fs from 'node:fs';
import * as path from 'node:path';

interface LocalSettingsFile {
  IsEncrypted?: boolean;
  Values?: Record<string, unknown>;
}

export function readLocalSettings(appRoot: string): Record<string, string> {
  const file = path.join(appRoot, 'local.settings.json');
  if (!fs.existsSync(file)) {
    return {};
  }
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LocalSettingsFile;
  if (parsed.IsEncrypted) {
    throw new Error(`${file} is encrypted; the devhost reads plain-text settings only`);
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.Values ?? {})) {
    if (typeof value === 'string') {
      values[key] = value;
    } else if (value !== null && value !== undefined) {
      values[key] = JSON.stringify(value);
    }
  }
  return values;
}

/** Copies settings into `env` where it has no value yet; returns the names it set. */
export function applySettings(settings: Record<string, string>, env: NodeJS.ProcessEnv): string[] {
  const applied: string[] = [];
  for (const [key, value] of Object.entries(settings)) {
    if (env[key] === undefined) {
      env[key] = value;
      applied.push(key);
    }
  }
  return applied;
}

/** Resolves `%NAME%` references to app settings, as the host does in binding expressions. */
export function resolveSettingReferences(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/%([^%]+)%/g, (_whole, name: string) => {
    const value = env[name];
    if (value === undefined) {
      throw new Error(`The app setting "${name}" referenced by "${text}" is not set`);
    }
    return value;
  });
}
