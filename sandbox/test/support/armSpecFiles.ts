// Where the official Azure REST API definitions live, and how to read them: lazy JSON loading with a cache,
// and JSON-reference resolution across files (Swagger files point into shared common-types by relative path).
import fs from 'node:fs';
import path from 'node:path';

/** The OpenAPI 2.0 files the ARM sandbox follows, relative to the specification folder. */
export const SPEC_FILES = {
  containerregistry:
    'specification/containerregistry/resource-manager/Microsoft.ContainerRegistry/Registry/stable/2025-11-01/containerregistry.json',
  roleDefinitions:
    'specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleDefinitionsCalls.json',
  roleAssignments:
    'specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleAssignmentsCalls.json',
  authorizationCommon:
    'specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/common-types.json',
} as const;

export type SpecKey = keyof typeof SPEC_FILES;

/** A Swagger 2.0 schema object; only the keywords the harness reads are spelled out. */
export interface SwaggerSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, SwaggerSchema>;
  required?: string[];
  items?: SwaggerSchema;
  additionalProperties?: boolean | SwaggerSchema;
  allOf?: SwaggerSchema[];
  discriminator?: string;
  enum?: unknown[];
  'x-nullable'?: boolean;
  'x-ms-discriminator-value'?: string;
  [keyword: string]: unknown;
}

/** A node found by following a reference: the file it lives in, its JSON pointer there, and the node. */
export interface Located<T> {
  file: string;
  pointer: string;
  node: T;
}

/**
 * The specification folder: the slice of the official definitions and examples kept in the package
 * (`sandbox/test/fixtures/azure-rest-api-specs`, see its SOURCES.md), so a clone needs nothing beside it.
 */
export function armSpecRoot(): string {
  return path.resolve(__dirname, '../fixtures/azure-rest-api-specs');
}

export function specFilePath(relativePath: string): string {
  return path.resolve(armSpecRoot(), relativePath);
}

export function relativeToSpecRoot(file: string): string {
  return path.relative(armSpecRoot(), file).split(path.sep).join('/');
}

const loaded = new Map<string, unknown>();

/** Parses a JSON file once; later calls return the same (shared, never mutated) object. */
export function loadJson(file: string): unknown {
  const cached = loaded.get(file);
  if (cached !== undefined) return cached;
  if (!fs.existsSync(file)) {
    throw new Error(
      `${file} not found: the official definitions the tests read belong in sandbox/test/fixtures`,
    );
  }
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  loaded.set(file, parsed);
  return parsed;
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(...tokens: string[]): string {
  return tokens.map((token) => `/${escapePointerToken(token)}`).join('');
}

/** Follows a JSON pointer (as found in a `$ref` fragment, so percent-decoding applies). */
export function getByPointer(document: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return pointer === '' ? document : undefined;
  let node: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** Resolves `$ref` text written in `fromFile` (e.g. `../v6/types.json#/definitions/Resource`). */
export function resolveRef<T>(fromFile: string, ref: string): Located<T> {
  const hash = ref.indexOf('#');
  const filePart = hash === -1 ? ref : ref.slice(0, hash);
  const pointer = hash === -1 ? '' : ref.slice(hash + 1);
  const file = filePart === '' ? fromFile : path.resolve(path.dirname(fromFile), filePart);
  const node = getByPointer(loadJson(file), pointer);
  if (node === undefined) throw new Error(`unresolvable $ref ${ref} in ${relativeToSpecRoot(fromFile)}`);
  return { file, pointer, node: node as T };
}

/** Follows `$ref` until a node without one; Swagger forbids meaningful siblings of `$ref`, so they are dropped. */
export function dereference<T extends { $ref?: string }>(at: Located<T>): Located<T> {
  let current = at;
  for (let hops = 0; typeof current.node.$ref === 'string'; hops += 1) {
    if (hops > 50) throw new Error(`$ref cycle at ${relativeToSpecRoot(at.file)}#${at.pointer}`);
    current = resolveRef<T>(current.file, current.node.$ref);
  }
  return current;
}

function externalRefFiles(file: string): string[] {
  const files = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
          const filePart = value.split('#')[0] ?? '';
          // Example files are data for humans, not schemas.
          if (!filePart.includes('/examples/')) files.add(path.resolve(path.dirname(file), filePart));
        } else if (key !== 'x-ms-examples') visit(value);
      }
    }
  };
  visit(loadJson(file));
  return [...files];
}

/** The given files plus every file they reference, transitively. */
export function withReferencedFiles(files: string[]): string[] {
  const seen = new Set<string>();
  const pending = [...files];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    pending.push(...externalRefFiles(file));
  }
  return [...seen];
}
