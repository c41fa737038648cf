// Markdown read the way GitHub renders it, for the documentation tests: the anchors its headings get,
// the relative links a page holds, and the first column of its tables. Fenced code is not Markdown, so
// nothing inside it counts as a heading, a link or a table.
import fs from 'node:fs';
import path from 'node:path';

export interface Located {
  text: string;
  /** 1-based line number in the page. */
  line: number;
}

export interface BrokenLink {
  page: string;
  line: number;
  target: string;
  reason: string;
}

/** The page's lines with every fenced code block blanked, so line numbers still match the file. */
export function proseLines(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) {
      if (marker === undefined) return line;
      fence = marker;
      return '';
    }
    if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) {
      if (line.trim() === marker) fence = undefined;
    }
    return '';
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces turned into hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor the page's headings produce; repeated headings get `-1`, `-2`, … as on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = headingSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Link targets of inline links and link reference definitions, outside code. */
export function linkTargets(markdown: string): Located[] {
  return proseLines(markdown).flatMap((raw, index) => {
    const line = raw.replace(/(`+)[^`]*?\1/g, '');
    const inline = [...line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g)];
    const reference = [...line.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g)];
    return [...inline, ...reference].map((match) => ({ text: match[1] ?? '', line: index + 1 }));
  });
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The relative links of one page (a path under `repoRoot`) that point at a file, folder or heading that
 * does not exist. Links with a scheme (https:, mailto:) are not followed.
 */
export function findBrokenLinks(repoRoot: string, page: string): { checked: number; broken: BrokenLink[] } {
  const pagePath = path.join(repoRoot, page);
  const links = linkTargets(fs.readFileSync(pagePath, 'utf8')).filter((link) => !SCHEME.test(link.text));
  const broken = links.flatMap(({ text, line }): BrokenLink[] => {
    const [file = '', fragment] = text.split('#', 2);
    const target =
      file === ''
        ? pagePath
        : path.resolve(file.startsWith('/') ? repoRoot : path.dirname(pagePath), decodeURIComponent(file));
    const fail = (reason: string): BrokenLink[] => [{ page, line, target: text, reason }];
    if (!fs.existsSync(target)) return fail('no such file or folder');
    if (fragment === undefined) return [];
    if (!target.endsWith('.md') || fs.statSync(target).isDirectory())
      return fail('an anchor on something that is not a Markdown page');
    const anchors = headingAnchors(fs.readFileSync(target, 'utf8'));
    return anchors.has(decodeURIComponent(fragment)) ? [] : fail('no heading with that anchor');
  });
  return { checked: links.length, broken };
}

/**
 * The first cell of every body row of the page's tables whose first header cell is `header`
 * (case-insensitive), with its line.
 */
export function firstColumn(markdown: string, header: string): Located[] {
  const lines = proseLines(markdown);
  const cells = (line: string): string[] =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
  const isRow = (line: string | undefined): boolean => line !== undefined && /^\s*\|/.test(line);
  const found: Located[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = lines[i] ?? '';
    const separator = lines[i + 1] ?? '';
    if (!isRow(head) || !/^\s*\|(\s*:?-+:?\s*\|)+\s*$/.test(separator)) continue;
    if ((cells(head)[0] ?? '').replace(/`/g, '').toLowerCase() !== header.toLowerCase()) continue;
    let row = i + 2;
    for (; isRow(lines[row]); row++) found.push({ text: cells(lines[row] ?? '')[0] ?? '', line: row + 1 });
    i = row - 1;
  }
  return found;
}

/** The code spans of a table cell, with `\|` read as `|` (as GitHub shows it in a table). */
export function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => (match[1] ?? '').replace(/\\\|/g, '|'));
}
