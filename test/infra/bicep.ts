// Parses Bicep with the tree-sitter Bicep grammar (WebAssembly build shipped in its npm package) and
// offers the few tree walks the infrastructure tests need. No Bicep compiler runs here: the grammar
// catches syntax errors, and the tests check the deployed shape on the syntax tree.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { Language, Parser } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';

export const REPO_ROOT = join(__dirname, '..', '..');
export const INFRA_DIR = join(REPO_ROOT, 'infra');

let parser: Promise<Parser> | undefined;

function loadParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    // Bytes rather than a path: loading by path takes a dynamic import that Jest's CommonJS runtime refuses.
    const bicep = await Language.load(
      readFileSync(require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm')),
    );
    const created = new Parser();
    created.setLanguage(bicep);
    return created;
  })();
  return parser;
}

export async function parseBicep(text: string): Promise<Tree> {
  const tree = (await loadParser()).parse(text);
  if (tree === null) throw new Error('the Bicep parser returned no tree');
  return tree;
}

export interface BicepFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  text: string;
  tree: Tree;
}

/** Every file under `dir` whose name ends with `suffix`, as repository-relative paths. */
export function filesUnder(dir: string, suffix: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'out') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full, suffix));
    else if (entry.name.endsWith(suffix)) found.push(relative(REPO_ROOT, full).split('\\').join('/'));
  }
  return found.sort();
}

export async function loadInfra(): Promise<BicepFile[]> {
  const files: BicepFile[] = [];
  for (const path of filesUnder(INFRA_DIR, '.bicep')) {
    const text = readFileSync(join(REPO_ROOT, path), 'utf8');
    files.push({ path, text, tree: await parseBicep(text) });
  }
  return files;
}

export function fileNamed(files: readonly BicepFile[], path: string): BicepFile {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`${path} is not among the infrastructure files`);
  return file;
}

/** Syntax errors and missing tokens, as "line:column text" for a readable failure. */
export function syntaxErrors(tree: Tree): string[] {
  const errors: string[] = [];
  const visit = (node: Node): void => {
    if (node.isError || node.isMissing) {
      const where = `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
      errors.push(`${where} ${node.isMissing ? `missing ${node.type}` : node.text.slice(0, 60)}`);
      return;
    }
    if (node.hasError) for (const child of node.children) if (child !== null) visit(child);
  };
  visit(tree.rootNode);
  return errors;
}

export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

/** Every node in the subtree (the node itself included) that satisfies the test. */
export function descendants(node: Node, test: (candidate: Node) => boolean): Node[] {
  const found: Node[] = [];
  const visit = (current: Node): void => {
    if (test(current)) found.push(current);
    for (const child of namedChildren(current)) visit(child);
  };
  visit(node);
  return found;
}

/** The identifier a declaration (param, var, resource, module, output, func) is named by. */
export function declaredName(declaration: Node): string {
  return namedChildren(declaration).find((child) => child.type === 'identifier')?.text ?? '';
}

export function declarations(file: BicepFile, type: string): Node[] {
  return namedChildren(file.tree.rootNode).filter((node) => node.type === type);
}

export function declaration(file: BicepFile, type: string, name: string): Node {
  const found = declarations(file, type).find((node) => declaredName(node) === name);
  if (found === undefined) throw new Error(`${file.path} declares no ${type} named ${name}`);
  return found;
}

/** The decorators written above a top-level declaration, as their source text. */
export function decoratorsOf(node: Node): string[] {
  const previous = node.previousNamedSibling;
  if (previous === null || previous.type !== 'decorators') return [];
  return namedChildren(previous).map((decorator) => decorator.text);
}

/** A string literal's value, or undefined for anything else (interpolated strings included). */
export function literalString(node: Node | undefined): string | undefined {
  if (node === undefined || node.type !== 'string') return undefined;
  const parts = namedChildren(node);
  if (parts.some((part) => part.type !== 'string_content' && part.type !== 'escape_sequence'))
    return undefined;
  return parts.map((part) => (part.type === 'escape_sequence' ? unescape(part.text) : part.text)).join('');
}

function unescape(sequence: string): string {
  const escapes: Record<string, string> = { '\\n': '\n', '\\r': '\r', '\\t': '\t', "\\'": "'", '\\\\': '\\' };
  return escapes[sequence] ?? sequence;
}

/** An object literal's properties by key (identifier or quoted key). */
export function objectProperties(object: Node): Map<string, Node> {
  const properties = new Map<string, Node>();
  for (const property of namedChildren(object).filter((child) => child.type === 'object_property')) {
    const [key, value] = namedChildren(property);
    if (key === undefined || value === undefined) continue;
    properties.set(literalString(key) ?? key.text, value);
  }
  return properties;
}

/** Follows a dotted path of object keys (`properties.permissions`) from an object literal. */
export function propertyAt(object: Node, path: string): Node | undefined {
  let current: Node | undefined = object;
  for (const key of path.split('.')) {
    if (current === undefined || current.type !== 'object') return undefined;
    current = objectProperties(current).get(key);
  }
  return current;
}

/** The body of a resource or module declaration, looking through `if (...)` and `[for ...: ...]`. */
export function bodyOf(declarationNode: Node): Node {
  const direct = namedChildren(declarationNode);
  for (const child of direct) {
    if (child.type === 'object') return child;
    if (child.type === 'if_statement' || child.type === 'for_statement') {
      const object = namedChildren(child).find((inner) => inner.type === 'object');
      if (object !== undefined) return object;
    }
  }
  throw new Error(`no body found for ${declarationNode.text.slice(0, 60)}`);
}

/** The quoted type (`'Microsoft.X/y@version'`) or module path of a resource or module declaration. */
export function declaredType(declarationNode: Node): string {
  return literalString(namedChildren(declarationNode).find((child) => child.type === 'string')) ?? '';
}

/** A top-level variable's value resolved to a string literal, or the node's literal itself. */
export function resolveString(file: BicepFile, node: Node | undefined): string | undefined {
  const literal = literalString(node);
  if (literal !== undefined || node === undefined || node.type !== 'identifier') return literal;
  const variable = declarations(file, 'variable_declaration').find(
    (decl) => declaredName(decl) === node.text,
  );
  return variable === undefined ? undefined : literalString(namedChildren(variable)[1]);
}

/** The string literals of an array literal, in order; undefined when any element is not a literal. */
export function literalStrings(array: Node | undefined): string[] | undefined {
  if (array === undefined || array.type !== 'array') return undefined;
  const values = namedChildren(array).map((element) => literalString(element));
  return values.every((value): value is string => value !== undefined) ? values : undefined;
}

/** Calls to a named function anywhere in the subtree, with their argument nodes. */
export function callsTo(node: Node, name: string): Node[][] {
  return descendants(
    node,
    (candidate) =>
      candidate.type === 'call_expression' && candidate.childForFieldName('function')?.text === name,
  ).map((call) => {
    const args = call.childForFieldName('arguments');
    return args === null ? [] : namedChildren(args);
  });
}
