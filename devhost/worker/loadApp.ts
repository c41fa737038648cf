// Loads the app the way the Node.js worker does: the files named by package.json `main`, after the
// core module is in place so that every `app.*` registration reaches the devhost.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { expandMain } from './expandMain';

interface PackageJson {
  main?: string;
  type?: string;
}

function readPackageJson(appRoot: string): PackageJson {
  const file = path.join(appRoot, 'package.json');
  if (!fs.existsSync(file)) {
    return {};
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as PackageJson;
}

export function resolveEntryFiles(appRoot: string): string[] {
  const main = readPackageJson(appRoot).main ?? 'index.js';
  const files = expandMain(appRoot, main);
  if (files.length === 0) {
    throw new Error(`No files matched the package.json "main" value "${main}" in ${appRoot}`);
  }
  for (const file of files) {
    if (!fs.existsSync(file)) {
      throw new Error(`The package.json "main" entry file ${file} does not exist (was the app built?)`);
    }
  }
  return files;
}

function isEsm(file: string, pkg: PackageJson): boolean {
  return file.endsWith('.mjs') || (pkg.type === 'module' && !file.endsWith('.cjs'));
}

/** Loads each entry file in order; returns the files loaded. */
export async function loadApp(appRoot: string): Promise<string[]> {
  const pkg = readPackageJson(appRoot);
  const files = resolveEntryFiles(appRoot);
  for (const file of files) {
    if (isEsm(file, pkg)) {
      await import(pathToFileURL(file).href);
    } else {
      createRequire(file)(file);
    }
  }
  return files;
}
