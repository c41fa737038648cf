// The app settings the app depends on, found where they are read rather than listed by hand, so the
// documentation test notices a new one wherever it appears: environment reads in the app's sources,
// `%NAME%` references in host.json, and the values local.settings.json hands the host.
import fs from 'node:fs';
import path from 'node:path';

/** `env.NAME`, `process.env.NAME`, `env?.NAME`, `env['NAME']`, and helpers called as `f(env, 'NAME', …)`. */
const DIRECT_READS = [
  /\benv\??\.([A-Za-z_]\w*)/g,
  /\benv\[\s*['"]([^'"]+)['"]\s*\]/g,
  /\(\s*env\s*,\s*['"]([A-Za-z_][\w.]*)['"]/g,
];
/** `env[SOME_SETTING]`, where the same file says `SOME_SETTING = 'NAME'`. */
const CONSTANT_READ = /\benv\[\s*([A-Z][A-Z0-9_]*)\s*\]/g;

function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Settings read from the environment by the sources under `srcDir`, with the files that read each. */
export function settingsReadBySources(srcDir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (name: string, file: string): void => {
    const files = found.get(name) ?? [];
    if (!files.includes(file)) found.set(name, [...files, file]);
  };
  for (const file of typeScriptFiles(srcDir)) {
    const text = fs.readFileSync(file, 'utf8');
    const relative = path.relative(srcDir, file);
    for (const pattern of DIRECT_READS) {
      for (const match of text.matchAll(pattern)) add(match[1] ?? '', relative);
    }
    for (const match of text.matchAll(CONSTANT_READ)) {
      const constant = match[1] ?? '';
      const value = new RegExp(`\\b${constant}\\s*=\\s*['"]([^'"]+)['"]`).exec(text)?.[1];
      add(value ?? `<unresolved ${constant}>`, relative);
    }
  }
  return found;
}

/** Every setting the app depends on: read by `src/`, referenced by host.json, or set in local.settings.json. */
export function settingsReadByApp(repoRoot: string): Set<string> {
  const hostJson = fs.readFileSync(path.join(repoRoot, 'host.json'), 'utf8');
  const local = JSON.parse(fs.readFileSync(path.join(repoRoot, 'local.settings.json'), 'utf8')) as {
    Values?: Record<string, string>;
  };
  return new Set([
    ...settingsReadBySources(path.join(repoRoot, 'src')).keys(),
    ...[...hostJson.matchAll(/%([A-Za-z_][\w.]*)%/g)].map((match) => match[1] ?? ''),
    ...Object.keys(local.Values ?? {}),
  ]);
}
