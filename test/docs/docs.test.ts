// The documentation stays walkable and true to the code: every relative link lands on a page and heading
// that exist, every setting the app reads is documented once (and nothing it does not read), every route
// of the OpenAPI document and every chat command appears in its page, and the README stays short.
import fs from 'node:fs';
import path from 'node:path';

import { USAGE } from '../../src/chat/commandParser';
import { OPENAPI_DOCUMENT } from '../../src/http/openapi';
import { codeSpans, findBrokenLinks, firstColumn, linkTargets } from '../support/markdown';
import { settingsReadByApp } from '../support/settingsReadByApp';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
const DOC_PAGES = fs
  .readdirSync(path.join(REPO_ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);
const README_LIMIT_BYTES = 12_000;

/** Names listed more than once. */
const repeated = (names: string[]): string[] => [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe('links', () => {
  test('every relative link in README.md, CONTRIBUTING.md and docs/*.md lands on a file or heading', () => {
    const results = ['README.md', 'CONTRIBUTING.md', ...DOC_PAGES].map((page) =>
      findBrokenLinks(REPO_ROOT, page),
    );
    expect(results.flatMap((result) => result.broken)).toEqual([]);
    // A parser that found no links would pass vacuously: the pages link to each other a great deal.
    expect(results.reduce((sum, result) => sum + result.checked, 0)).toBeGreaterThan(50);
  });

  test('README.md links to every page under docs/', () => {
    const linked = new Set(linkTargets(read('README.md')).map((link) => link.text.split('#')[0]));
    expect(DOC_PAGES.filter((page) => !linked.has(page))).toEqual([]);
  });
});

test(`README.md is smaller than ${README_LIMIT_BYTES} bytes`, () => {
  expect(fs.statSync(path.join(REPO_ROOT, 'README.md')).size).toBeLessThan(README_LIMIT_BYTES);
});

describe('docs/configuration.md', () => {
  const documented = firstColumn(read('docs/configuration.md'), 'setting').flatMap((cell) =>
    codeSpans(cell.text),
  );
  const readByApp = settingsReadByApp(REPO_ROOT);

  test('documents every setting the app reads', () => {
    expect(sorted([...readByApp].filter((name) => !documented.includes(name)))).toEqual([]);
  });

  test('documents each setting once, and none the app does not read', () => {
    expect(repeated(documented)).toEqual([]);
    expect(sorted(documented.filter((name) => !readByApp.has(name)))).toEqual([]);
  });
});

test('docs/rest-api.md lists every route of the OpenAPI document once, and no other', () => {
  const base = OPENAPI_DOCUMENT.servers[0].url;
  const routes = Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([route, item]) =>
    Object.keys(item)
      .filter((key) => key !== 'parameters')
      .map((method) => `${method.toUpperCase()} ${base}${route}`),
  );
  const listed = firstColumn(read('docs/rest-api.md'), 'endpoint').flatMap((cell) => codeSpans(cell.text));
  expect(routes.length).toBeGreaterThan(0);
  expect(sorted(routes.filter((route) => !listed.includes(route)))).toEqual([]);
  expect(repeated(listed)).toEqual([]);
  expect(sorted(listed.filter((route) => !routes.includes(route)))).toEqual([]);
});

test('docs/chatops.md lists every chat command with its usage once, and no other', () => {
  const usages = Object.values(USAGE);
  const listed = firstColumn(read('docs/chatops.md'), 'command').flatMap((cell) => codeSpans(cell.text));
  expect(sorted(usages.filter((usage) => !listed.includes(usage)))).toEqual([]);
  expect(repeated(listed)).toEqual([]);
  expect(sorted(listed.filter((usage) => !usages.includes(usage)))).toEqual([]);
});
