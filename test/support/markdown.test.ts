// The Markdown reader behind the documentation tests finds what GitHub would render, and reports what a
// reader would find broken; otherwise the documentation test could pass on pages it never really read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  codeSpans,
  findBrokenLinks,
  firstColumn,
  headingAnchors,
  headingSlug,
  linkTargets,
} from './markdown';

describe('headingSlug', () => {
  test.each([
    [
      "Changing replicas: 202, Location, and the operation's status",
      'changing-replicas-202-location-and-the-operations-status',
    ],
    ['`GET /api/audit`', 'get-apiaudit'],
    ['Running under Core Tools or in Azure', 'running-under-core-tools-or-in-azure'],
    ['What [the sandbox](sandbox.md) models', 'what-the-sandbox-models'],
    ['snake_case and dash-case', 'snake_case-and-dash-case'],
  ])('%s → %s', (heading, slug) => {
    expect(headingSlug(heading)).toBe(slug);
  });

  test('repeated headings get numbered anchors, and headings in code do not count', () => {
    const page = ['# Title', '## Errors', '## Errors', '```md', '## Not a heading', '```'].join('\n');
    expect([...headingAnchors(page)]).toEqual(['title', 'errors', 'errors-1']);
  });
});

test('linkTargets finds inline links and references, but not links inside code', () => {
  const page = [
    'See [the API](docs/rest-api.md#errors) and [`x`](x.md "title").',
    'Not this: `[code](nowhere.md)`.',
    '```',
    '[fenced](nowhere.md)',
    '```',
    '[ref]: docs/ref.md',
  ].join('\n');
  expect(linkTargets(page)).toEqual([
    { text: 'docs/rest-api.md#errors', line: 1 },
    { text: 'x.md', line: 1 },
    { text: 'docs/ref.md', line: 6 },
  ]);
});

test('findBrokenLinks reports a missing page and a missing heading, and accepts what exists', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'markdown-links-'));
  fs.mkdirSync(path.join(root, 'docs'));
  fs.writeFileSync(path.join(root, 'docs', 'page.md'), '# Page\n\n## Known heading\n');
  fs.writeFileSync(
    path.join(root, 'README.md'),
    [
      '# Readme',
      '[ok](docs/page.md#known-heading) [folder](docs/) [self](#readme) [web](https://example.org/x.md)',
      '[gone](docs/missing.md)',
      '[bad anchor](docs/page.md#unknown-heading)',
    ].join('\n'),
  );
  const result = findBrokenLinks(root, 'README.md');
  fs.rmSync(root, { recursive: true, force: true });
  expect(result.checked).toBe(5);
  expect(result.broken).toEqual([
    { page: 'README.md', line: 3, target: 'docs/missing.md', reason: 'no such file or folder' },
    {
      page: 'README.md',
      line: 4,
      target: 'docs/page.md#unknown-heading',
      reason: 'no heading with that anchor',
    },
  ]);
});

test('firstColumn reads the first cells of the tables with that header, and codeSpans unescapes pipes', () => {
  const page = [
    '| setting | meaning |',
    '| ------- | ------- |',
    '| `A`     | one     |',
    '| `B`, `C` | two    |',
    '',
    '| other | x |',
    '| ----- | - |',
    '| `D`   | y |',
    '',
    '| Setting | meaning |',
    '| :------ | ------- |',
    '| `heal <registry>\\|all` | three |',
  ].join('\n');
  const cells = firstColumn(page, 'setting');
  expect(cells.map((cell) => cell.line)).toEqual([3, 4, 12]);
  expect(cells.flatMap((cell) => codeSpans(cell.text))).toEqual(['A', 'B', 'C', 'heal <registry>|all']);
});
