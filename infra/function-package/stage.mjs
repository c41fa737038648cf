// Stages the Function App's deployment package in out/: the compiled app, host.json, and a package.json
// and lockfile holding only production dependencies, so the remote build installs what the app runs on
// and nothing from the development toolchain.
import { execSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
/** @param {string} flag @param {string} fallback */
function option(flag, fallback) {
  const index = args.indexOf(flag);
  return resolve(here, index >= 0 ? (args[index + 1] ?? fallback) : fallback);
}
// --root and --out let a test stage a fixture app; azd runs the script with neither.
const root = option('--root', join('..', '..'));
const out = option('--out', 'out');

/** @param {string} path */
function readJson(path) {
  return /** @type {Record<string, unknown>} */ (JSON.parse(readFileSync(path, 'utf8')));
}

/** @param {string} path @param {unknown} value */
function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The root package.json with what a running app needs: no scripts, no development dependencies. */
function runtimeManifest() {
  const manifest = readJson(join(root, 'package.json'));
  const { name, version, description, license, main, engines, dependencies } = manifest;
  return { name, version, description, license, private: true, main, engines, dependencies };
}

/**
 * The root lockfile without development-only and workspace entries, so `npm ci` accepts it against the
 * runtime manifest and installs the versions the tests ran against.
 */
function runtimeLockfile() {
  const lock = readJson(join(root, 'package-lock.json'));
  const packages = /** @type {Record<string, Record<string, unknown>>} */ (lock.packages ?? {});
  const manifest = runtimeManifest();
  /** @type {Record<string, Record<string, unknown>>} */
  const kept = {};
  for (const [path, entry] of Object.entries(packages)) {
    if (path === '') {
      const { name, version, license, engines } = entry;
      kept[path] = { name, version, license, engines, dependencies: manifest.dependencies };
    } else if (path.startsWith('node_modules/') && entry.dev !== true && entry.link !== true) {
      kept[path] = entry;
    }
  }
  return {
    name: lock.name,
    version: lock.version,
    lockfileVersion: lock.lockfileVersion,
    requires: true,
    packages: kept,
  };
}

if (!args.includes('--no-build')) {
  if (!existsSync(join(root, 'node_modules'))) execSync('npm ci', { cwd: root, stdio: 'inherit' });
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
const compiled = join(root, 'dist', 'src');
if (!existsSync(compiled)) throw new Error(`${compiled} is missing: build the app first`);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(compiled, join(out, 'dist', 'src'), { recursive: true });
cpSync(join(root, 'host.json'), join(out, 'host.json'));
writeJson(join(out, 'package.json'), runtimeManifest());
writeJson(join(out, 'package-lock.json'), runtimeLockfile());
process.stdout.write(`Function App package staged in ${out}\n`);
