// Resolves package.json `main` to entry files: one path, or a glob such as `dist/src/functions/*.js`
// (`*`, `?`, `**` and `{a,b}` are understood, as in the worker's glob).

import * as fs from 'node:fs';
import * as path from 'node:path';

const GLOB_CHARS = /[*?{[]/;

export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** Converts one path segment of a glob to a regular expression. */
export function segmentToRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charAt(i);
    if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '{') {
      const end = segment.indexOf('}', i);
      if (end < 0) {
        source += '\\{';
        continue;
      }
      const options = segment
        .slice(i + 1, end)
        .split(',')
        .map(escapeRegExp);
      source += `(?:${options.join('|')})`;
      i = end;
    } else {
      source += escapeRegExp(c);
    }
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function walk(dir: string, segments: string[], results: Set<string>): void {
  const [segment, ...rest] = segments;
  if (segment === undefined) {
    if (fs.existsSync(dir) && fs.statSync(dir).isFile()) {
      results.add(dir);
    }
    return;
  }
  if (segment === '**') {
    walk(dir, rest, results);
    for (const entry of listDir(dir)) {
      if (entry.isDirectory() && entry.name !== 'node_modules') {
        walk(path.join(dir, entry.name), segments, results);
      }
    }
    return;
  }
  if (!isGlob(segment)) {
    walk(path.join(dir, segment), rest, results);
    return;
  }
  const matcher = segmentToRegExp(segment);
  for (const entry of listDir(dir)) {
    if (matcher.test(entry.name)) {
      walk(path.join(dir, entry.name), rest, results);
    }
  }
}

/** Entry files for `main` relative to the app root, sorted like the worker's glob results. */
export function expandMain(appRoot: string, main: string): string[] {
  if (!isGlob(main)) {
    return [path.resolve(appRoot, main)];
  }
  const segments = main.split(/[\\/]/).filter((s) => s !== '' && s !== '.');
  const results = new Set<string>();
  walk(path.resolve(appRoot), segments, results);
  return [...results].sort();
}
