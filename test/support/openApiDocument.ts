// Pure helpers over an OpenAPI 3.0 document: its operations, JSON pointers into it, its `$ref`s, and the
// documented operation that answers a request path.

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, unknown>>;
  servers?: { url: string }[];
};

export interface DocumentedOperation {
  /** The path key, e.g. `/operations/{id}`. */
  path: string;
  /** Lower case, as in the document. */
  method: string;
  operation: Record<string, unknown>;
}

export function operationsOf(document: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method] !== undefined).map((method) => ({
      path,
      method,
      operation: item[method] as Record<string, unknown>,
    })),
  );
}

/** `a/b~c` → `a~1b~0c`: one token of a JSON pointer (RFC 6901). */
export function pointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...tokens: string[]): string {
  return tokens.map((token) => `/${pointerToken(token)}`).join('');
}

/** The value at a local `$ref` (`#/components/...`), or undefined when nothing is there. */
export function resolveRef(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const tokens = ref
    .slice(1)
    .split('/')
    .slice(1)
    .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = document;
  for (const token of tokens) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** Every `$ref` string in the document, with where it was found. */
export function refsOf(node: unknown, at = ''): { at: string; ref: string }[] {
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string'
      ? [{ at, ref: value }]
      : refsOf(value, `${at}/${pointerToken(key)}`),
  );
}

/** Parameter names of a path template: `/a/{b}/{c}` → ['b', 'c']. */
export function templateParameters(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}

function templateMatches(template: string, path: string): boolean {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(path);
}

/**
 * The documented operation answering `method` on `urlPath` (as sent, under `servers[0].url`). Literal
 * paths win over templated ones, as they do in the host's routing.
 */
export function findOperation(
  document: OpenApiDocument,
  method: string,
  urlPath: string,
): DocumentedOperation | undefined {
  const base = (document.servers?.[0]?.url ?? '').replace(/\/+$/, '');
  if (!urlPath.startsWith(`${base}/`)) return undefined;
  const path = urlPath.slice(base.length);
  const candidates = operationsOf(document).filter(
    (operation) => operation.method === method.toLowerCase() && templateMatches(operation.path, path),
  );
  return candidates.sort((a, b) => templateParameters(a.path).length - templateParameters(b.path).length)[0];
}
