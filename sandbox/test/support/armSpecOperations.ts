// The operations of the spec files the sandbox follows, indexed by operationId, with their parameters and
// responses resolved (Swagger lets both be `$ref`s into the same or a shared file).
import path from 'node:path';
import type { Located, SpecKey, SwaggerSchema } from './armSpecFiles';
import {
  SPEC_FILES,
  loadJson,
  pointerOf,
  relativeToSpecRoot,
  resolveRef,
  specFilePath,
} from './armSpecFiles';
import { EXAMPLE_ONLY_OPERATIONS } from './exampleOnlyOperations';

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData';
  required?: boolean;
  type?: string;
  schema?: SwaggerSchema;
  'x-ms-skip-url-encoding'?: boolean;
  [keyword: string]: unknown;
}

export interface SpecResponse {
  description?: string;
  schema?: SwaggerSchema;
  headers?: Record<string, { type?: string; format?: string; description?: string }>;
}

export interface SpecOperation {
  operationId: string;
  /** Spec file the operation comes from, relative to the specification folder. */
  file: string;
  apiVersion: string;
  method: string;
  pathTemplate: string;
  parameters: SpecParameter[];
  responses: Record<string, SpecResponse>;
  /** `x-ms-pageable`, when the operation returns pages. */
  pageable?: { nextLinkName: string | null; itemName: string };
  longRunning: boolean;
  /** `x-ms-examples`: title → example file, relative to the specification folder (present or not). */
  examples: Record<string, string>;
  /** Set when no definition is in the fixtures and an official example is the only reference. */
  exampleOnly?: boolean;
}

/** An operation plus where its schemas live, so validators can be compiled by reference. */
export interface IndexedOperation {
  operation: SpecOperation;
  specKey: SpecKey;
  bodyParameter?: Located<SpecParameter>;
  responses: Record<string, Located<SpecResponse>>;
}

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

interface SwaggerOperation {
  operationId?: string;
  parameters?: unknown[];
  responses?: Record<string, unknown>;
  'x-ms-pageable'?: { nextLinkName?: string | null; itemName?: string };
  'x-ms-long-running-operation'?: boolean;
  'x-ms-examples'?: Record<string, { $ref?: string }>;
}

interface SwaggerDocument {
  info?: { version?: string };
  paths?: Record<string, Record<string, unknown>>;
  'x-ms-paths'?: Record<string, Record<string, unknown>>;
}

function locate<T>(file: string, pointer: string, node: unknown): Located<T> {
  const ref = (node as { $ref?: unknown }).$ref;
  return typeof ref === 'string' ? resolveRef<T>(file, ref) : { file, pointer, node: node as T };
}

function resolvedParameters(file: string, pointers: string[], lists: unknown[][]): Located<SpecParameter>[] {
  const byKey = new Map<string, Located<SpecParameter>>();
  lists.forEach((list, listIndex) =>
    list.forEach((parameter, index) => {
      const located = locate<SpecParameter>(file, `${pointers[listIndex]}/${index}`, parameter);
      // Operation-level parameters override path-level ones of the same name and location.
      byKey.set(`${located.node.in}:${located.node.name}`, located);
    }),
  );
  return [...byKey.values()];
}

function indexOperation(
  specKey: SpecKey,
  file: string,
  apiVersion: string,
  pathsKey: string,
  pathKey: string,
  method: string,
  pathItem: Record<string, unknown>,
): IndexedOperation | undefined {
  const swaggerOperation = pathItem[method] as SwaggerOperation;
  if (swaggerOperation.operationId === undefined) return undefined;
  const pointer = pointerOf(pathsKey, pathKey, method);
  const parameters = resolvedParameters(
    file,
    [pointerOf(pathsKey, pathKey, 'parameters'), `${pointer}/parameters`],
    [(pathItem.parameters as unknown[] | undefined) ?? [], swaggerOperation.parameters ?? []],
  );
  const responses: Record<string, Located<SpecResponse>> = {};
  for (const [status, response] of Object.entries(swaggerOperation.responses ?? {})) {
    responses[status] = locate<SpecResponse>(file, `${pointer}/responses/${status}`, response);
  }
  const examples: Record<string, string> = {};
  for (const [title, reference] of Object.entries(swaggerOperation['x-ms-examples'] ?? {})) {
    if (typeof reference.$ref === 'string') {
      examples[title] = relativeToSpecRoot(path.resolve(path.dirname(file), reference.$ref));
    }
  }
  const pageable = swaggerOperation['x-ms-pageable'];
  return {
    specKey,
    bodyParameter: parameters.find((parameter) => parameter.node.in === 'body'),
    responses,
    operation: {
      operationId: swaggerOperation.operationId,
      file: relativeToSpecRoot(file),
      apiVersion,
      method: method.toUpperCase(),
      // x-ms-paths keys carry a query string only to keep otherwise identical paths apart.
      pathTemplate: pathKey.split('?')[0] ?? pathKey,
      parameters: parameters.map((parameter) => parameter.node),
      responses: Object.fromEntries(Object.entries(responses).map(([status, r]) => [status, r.node])),
      pageable:
        pageable === undefined
          ? undefined
          : {
              nextLinkName: pageable.nextLinkName === undefined ? 'nextLink' : pageable.nextLinkName,
              itemName: pageable.itemName ?? 'value',
            },
      longRunning: swaggerOperation['x-ms-long-running-operation'] === true,
      examples,
    },
  };
}

function indexSpecFile(specKey: SpecKey): IndexedOperation[] {
  const file = specFilePath(SPEC_FILES[specKey]);
  const document = loadJson(file) as SwaggerDocument;
  const apiVersion = document.info?.version ?? '';
  const indexed: IndexedOperation[] = [];
  for (const pathsKey of ['paths', 'x-ms-paths'] as const) {
    for (const [pathKey, pathItem] of Object.entries(document[pathsKey] ?? {})) {
      for (const method of HTTP_METHODS.filter((m) => pathItem[m] !== undefined)) {
        const entry = indexOperation(specKey, file, apiVersion, pathsKey, pathKey, method, pathItem);
        if (entry !== undefined) indexed.push(entry);
      }
    }
  }
  return indexed;
}

let index: Map<string, IndexedOperation> | undefined;

/** Every operation of the spec files, by operationId (unique across them; a clash is a setup error). */
export function operationIndex(): Map<string, IndexedOperation> {
  if (index !== undefined) return index;
  const built = new Map<string, IndexedOperation>();
  for (const specKey of Object.keys(SPEC_FILES) as SpecKey[]) {
    for (const entry of indexSpecFile(specKey)) {
      const clash = built.get(entry.operation.operationId);
      if (clash !== undefined) {
        throw new Error(
          `operationId ${entry.operation.operationId} is defined in ${clash.specKey} and ${specKey}`,
        );
      }
      built.set(entry.operation.operationId, entry);
    }
  }
  index = built;
  return built;
}

function isSpecKey(value: string): value is SpecKey {
  return Object.prototype.hasOwnProperty.call(SPEC_FILES, value);
}

function belongsTo(operation: SpecOperation, spec: string): boolean {
  const file = operation.file;
  if (isSpecKey(spec)) return file === SPEC_FILES[spec];
  return file === spec || file.endsWith(`/${spec}`);
}

/**
 * The operation with this id: `findOperation('Replications_Create')`, or scoped to one spec, given by key
 * (`'containerregistry'`, `'roleDefinitions'`, `'roleAssignments'`) or file name (`'containerregistry.json'`).
 * Also knows the example-only operations (`Subscriptions_ListLocations`).
 */
export function findOperation(operationId: string): SpecOperation | undefined;
export function findOperation(spec: string, operationId: string): SpecOperation | undefined;
export function findOperation(first: string, second?: string): SpecOperation | undefined {
  const operationId = second ?? first;
  const operation = operationIndex().get(operationId)?.operation ?? EXAMPLE_ONLY_OPERATIONS[operationId];
  if (operation === undefined || (second !== undefined && !belongsTo(operation, first))) return undefined;
  return operation;
}
