// What `azd up` reads besides the Bicep: azure.yaml (a Flex Consumption function service built remotely),
// the parameters file that maps azd environment values onto the template, and the staging package whose
// build hands Azure the compiled app with production dependencies only.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BicepFile } from './bicep';
import { REPO_ROOT, declarations, declaredName, fileNamed, loadInfra } from './bicep';

const PACKAGE_DIR = join(REPO_ROOT, 'infra', 'function-package');

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

describe('azd project', () => {
  let main: BicepFile;
  beforeAll(async () => {
    main = fileNamed(await loadInfra(), 'infra/main.bicep');
  });

  it('declares one function service, deployed from the staging package with a remote build', () => {
    const yaml = readFileSync(join(REPO_ROOT, 'azure.yaml'), 'utf8');
    const service = /\n {2}api:\n((?: {4}.*\n)+)/.exec(yaml)?.[1] ?? '';
    const fields: Record<string, string> = {};
    for (const match of service.matchAll(/^ {4}(\w+): (.*)$/gm)) fields[match[1]!] = match[2]!;
    expect(fields).toEqual({
      project: './infra/function-package',
      dist: 'out',
      language: 'ts',
      host: 'function',
      remoteBuild: 'true',
    });
    expect(yaml).toMatch(/\ninfra:\n {2}provider: bicep\n {2}path: infra\n {2}module: main\n/);
  });

  it('excludes node_modules from the staging package, as azd requires for a remote build', () => {
    const ignore = readFileSync(join(PACKAGE_DIR, '.funcignore'), 'utf8').split('\n');
    expect(ignore).toContain('node_modules');
    const manifest = readJson(join(PACKAGE_DIR, 'package.json'));
    expect(manifest.scripts).toEqual({ build: 'node stage.mjs' });
    expect(manifest.dependencies).toBeUndefined();
  });

  it('maps every template parameter without a default, and only template parameters', () => {
    const parameters = readJson(join(REPO_ROOT, 'infra', 'main.parameters.json')).parameters as Record<
      string,
      { value: string }
    >;
    const declared = declarations(main, 'parameter_declaration');
    const names = declared.map(declaredName);
    expect(Object.keys(parameters).filter((name) => !names.includes(name))).toEqual([]);
    const required = declared.filter((node) => !node.text.includes('=')).map(declaredName);
    expect(required.filter((name) => !(name in parameters))).toEqual([]);
    for (const [name, { value }] of Object.entries(parameters)) {
      expect({ name, value }).toEqual({
        name,
        value: expect.stringMatching(/^\$\{[A-Z_]+(=[^}]*)?\}$/) as string,
      });
    }
    const taskHubDefault = /=([^}]*)\}$/.exec(parameters.taskHubName!.value)?.[1];
    expect(taskHubDefault).toMatch(/^[A-Za-z][A-Za-z0-9]{2,44}$/);
  });

  describe('staging', () => {
    let fixture: string;
    beforeAll(() => {
      fixture = mkdtempSync(join(tmpdir(), 'function-package-'));
      const root = join(fixture, 'app');
      mkdirSync(join(root, 'dist', 'src', 'functions'), { recursive: true });
      writeFileSync(join(root, 'dist', 'src', 'index.js'), "require('./functions/health');\n");
      writeFileSync(join(root, 'dist', 'src', 'functions', 'health.js'), 'module.exports = {};\n');
      mkdirSync(join(root, 'dist', 'tools'), { recursive: true });
      writeFileSync(join(root, 'dist', 'tools', 'standins.js'), '');
      for (const file of ['package.json', 'package-lock.json', 'host.json']) {
        cpSync(join(REPO_ROOT, file), join(root, file));
      }
      execFileSync(process.execPath, [
        join(PACKAGE_DIR, 'stage.mjs'),
        '--no-build',
        '--root',
        root,
        '--out',
        join(fixture, 'out'),
      ]);
    });
    afterAll(() => rmSync(fixture, { recursive: true, force: true }));

    it('stages host.json and the compiled app only', () => {
      const out = join(fixture, 'out');
      expect(readFileSync(join(out, 'host.json'), 'utf8')).toBe(
        readFileSync(join(REPO_ROOT, 'host.json'), 'utf8'),
      );
      expect(readFileSync(join(out, 'dist', 'src', 'functions', 'health.js'), 'utf8')).toBe(
        'module.exports = {};\n',
      );
      expect(() => readFileSync(join(out, 'dist', 'tools', 'standins.js'))).toThrow();
    });

    it('keeps the production dependencies and drops scripts and development dependencies', () => {
      const root = readJson(join(REPO_ROOT, 'package.json'));
      const staged = readJson(join(fixture, 'out', 'package.json'));
      expect(staged).toEqual({
        name: root.name,
        version: root.version,
        description: root.description,
        license: root.license,
        private: true,
        main: root.main,
        engines: root.engines,
        dependencies: root.dependencies,
      });
    });

    it('locks the tested versions of production packages only', () => {
      const rootLock = readJson(join(REPO_ROOT, 'package-lock.json')).packages as Record<
        string,
        Record<string, unknown>
      >;
      const staged = readJson(join(fixture, 'out', 'package-lock.json'));
      const packages = staged.packages as Record<string, Record<string, unknown>>;
      expect(packages['']?.dependencies).toEqual(readJson(join(REPO_ROOT, 'package.json')).dependencies);
      expect(packages['']?.devDependencies).toBeUndefined();
      const entries = Object.entries(packages).filter(([path]) => path !== '');
      expect(entries.filter(([, entry]) => entry.dev === true || entry.link === true)).toEqual([]);
      for (const [path, entry] of entries) expect({ path, entry }).toEqual({ path, entry: rootLock[path] });
      const production = Object.keys(readJson(join(REPO_ROOT, 'package.json')).dependencies as object);
      expect(production.filter((name) => packages[`node_modules/${name}`] === undefined)).toEqual([]);
      expect(packages['node_modules/jest']).toBeUndefined();
      expect(packages['node_modules/web-tree-sitter']).toBeUndefined();
    });
  });
});
