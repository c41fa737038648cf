// A clone of the repository must be all a user needs: nothing the project builds, runs or tests may read
// a path outside it, and the copy of the official REST definitions must be what SOURCES.md says it is.
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');
const SKIPPED = new Set(['node_modules', 'dist', '.git', '.local', '.azurite', 'coverage']);
const CODE = /\.(ts|js|mjs|cjs)$/;

function codeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : codeFiles(full);
    return CODE.test(entry.name) ? [full] : [];
  });
}

function inside(candidate: string): boolean {
  const relative = path.relative(repoRoot, candidate);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** String literals of a `path.resolve(__dirname, ...)` or `path.join(__dirname, ...)` call. */
function dirnamePaths(source: string): string[][] {
  const calls = source.matchAll(/path\.(?:resolve|join)\(\s*__dirname\s*,([^)]*)\)/g);
  return [...calls].map((call) =>
    [...(call[1] ?? '').matchAll(/'([^']*)'|"([^"]*)"|`([^`$]*)`/g)].map(
      (literal) => literal[1] ?? literal[2] ?? literal[3] ?? '',
    ),
  );
}

describe('the repository is self-contained', () => {
  const files = codeFiles(repoRoot);

  test('finds the project code to check', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain(__filename);
  });

  test('no code resolves a path from its own folder to outside the repository, or names the shared folder beside it', () => {
    const offences = files.flatMap((file) => {
      const source = fs.readFileSync(file, 'utf8');
      // Compiled output sits one folder deeper (dist/…), so a path may be meant from either place.
      const sourceDir = path.dirname(file);
      const compiledDir = path.join(repoRoot, 'dist', path.relative(repoRoot, sourceDir));
      const escaping = dirnamePaths(source).filter(
        (parts) => !inside(path.resolve(sourceDir, ...parts)) && !inside(path.resolve(compiledDir, ...parts)),
      );
      // `../shared` names the folder beside the repository unless it resolves inside it (src/app/shared).
      const sharedOutside = [...source.matchAll(/["'`]((?:\.\.\/)+shared)\b/g)].some(
        (match) =>
          !inside(path.resolve(sourceDir, match[1] ?? '')) &&
          !inside(path.resolve(compiledDir, match[1] ?? '')),
      );
      const named =
        sharedOutside || /["'`]shared\/fixtures/.test(source)
          ? ['names the shared folder beside the repository']
          : [];
      return [...escaping.map((parts) => parts.join(', ')), ...named].map(
        (what) => `${path.relative(repoRoot, file)}: ${what}`,
      );
    });
    expect(offences).toEqual([]);
  });

  test('a path that leaves the repository is caught', () => {
    const sample = "const root = path.resolve(__dirname, '../../../elsewhere/specs');";
    const [parts] = dirnamePaths(sample);
    expect(parts).toEqual(['../../../elsewhere/specs']);
    expect(inside(path.resolve(__dirname, ...parts!))).toBe(false);
  });
});

describe('the official REST definitions kept in the repository', () => {
  const specRoot = path.join(repoRoot, 'sandbox/test/fixtures/azure-rest-api-specs');
  const listed = new Map(
    [
      ...fs
        .readFileSync(path.join(specRoot, 'SOURCES.md'), 'utf8')
        .matchAll(/^\| `([^`]+)` \| `[0-9a-f]{40}` \| (\d+) \|$/gm),
    ].map((row) => [row[1]!, Number(row[2])]),
  );
  const present = (function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : [path.relative(specRoot, full).split(path.sep).join('/')];
    });
  })(path.join(specRoot, 'specification'));

  test('every file is listed in SOURCES.md with its upstream size, and every listed file is there', () => {
    expect(present.length).toBeGreaterThan(0);
    expect([...listed.keys()].sort()).toEqual([...present].sort());
    for (const file of present)
      expect([file, fs.statSync(path.join(specRoot, file)).size]).toEqual([file, listed.get(file)]);
  });

  test('the upstream licence is kept beside them', () => {
    expect(fs.readFileSync(path.join(specRoot, 'LICENSE'), 'utf8')).toMatch(
      /MIT License[\s\S]*Microsoft Corporation/,
    );
  });
});
