// The official examples of the operations the sandbox follows, ready to replay: method, URL with the
// example's parameters filled in, request body, and the documented responses.
import fs from 'node:fs';
import type { SpecOperation, SpecParameter } from './armSpecOperations';
import { operationIndex } from './armSpecOperations';
import { loadJson, specFilePath } from './armSpecFiles';
import { EXAMPLE_ONLY_OPERATIONS } from './exampleOnlyOperations';

export interface ExampleResponse {
  body?: unknown;
  headers?: Record<string, string>;
}

export interface OfficialExample {
  operationId: string;
  title: string;
  /** The example file, relative to the specification folder. */
  file: string;
  /**
   * - `x-ms-examples`: referenced by the operation itself.
   * - `earlier-api-version`: the operation's own example is not in the fixtures; its example from an older
   *   api-version, whose response model is the same, stands in (the URL still uses the spec's api-version).
   * - `example-only`: no definition in the fixtures; the example is the only reference.
   */
  source: 'x-ms-examples' | 'earlier-api-version' | 'example-only';
  method: string;
  pathTemplate: string;
  /** Path and query, e.g. `/subscriptions/0000/.../replications/myReplication?api-version=2025-11-01`. */
  url: string;
  /** The example's parameters as written. */
  parameters: Record<string, unknown>;
  requestBody?: unknown;
  /** By status code, as in the example. */
  responses: Record<string, ExampleResponse>;
}

export interface ExampleReference {
  operationId: string;
  title: string;
  file: string;
  present: boolean;
}

const PERMISSIONS_2015_07_01 =
  'specification/authorization/resource-manager/Microsoft.Authorization/stable/2015-07-01/examples';

/** Stand-ins for `x-ms-examples` files missing from the fixtures (same operation, older api-version). */
const EARLIER_API_VERSION_EXAMPLES: Record<string, { title: string; file: string }> = {
  Permissions_ListForResourceGroup: {
    title: 'List permissions for resource group',
    file: `${PERMISSIONS_2015_07_01}/GetPermissions.json`,
  },
  Permissions_ListForResource: {
    title: 'List permissions for resource',
    file: `${PERMISSIONS_2015_07_01}/GetResourcePermissions.json`,
  },
};

interface ExampleFile {
  parameters?: Record<string, unknown>;
  responses?: Record<string, ExampleResponse>;
}

/** Every `x-ms-examples` reference of the spec files, and whether the fixtures hold the file. */
export function officialExampleReferences(): ExampleReference[] {
  return [...operationIndex().values()].flatMap(({ operation }) =>
    Object.entries(operation.examples).map(([title, file]) => ({
      operationId: operation.operationId,
      title,
      file,
      present: fs.existsSync(specFilePath(file)),
    })),
  );
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function pathValue(parameter: SpecParameter | undefined, value: unknown): string {
  const text = textOf(value);
  return parameter?.['x-ms-skip-url-encoding'] === true ? text : encodeURIComponent(text);
}

/** The example's request URL; `apiVersion` overrides the example's own when it stands in for another version. */
export function exampleUrl(
  operation: SpecOperation,
  parameters: Record<string, unknown>,
  apiVersion?: string,
): string {
  const declared = new Map(operation.parameters.map((p) => [`${p.in}:${p.name}`, p]));
  const path = operation.pathTemplate.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    if (parameters[name] === undefined) {
      throw new Error(`example of ${operation.operationId} has no value for path parameter ${name}`);
    }
    return pathValue(declared.get(`path:${name}`), parameters[name]);
  });
  const query = new URLSearchParams();
  for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
    const value =
      parameter.name === 'api-version'
        ? (apiVersion ?? parameters[parameter.name])
        : parameters[parameter.name];
    if (value !== undefined) query.set(parameter.name, textOf(value));
  }
  const search = query.toString();
  return search === '' ? path : `${path}?${search}`;
}

function toOfficialExample(
  operation: SpecOperation,
  title: string,
  file: string,
  source: OfficialExample['source'],
): OfficialExample {
  const example = loadJson(specFilePath(file)) as ExampleFile;
  const parameters = example.parameters ?? {};
  const bodyParameter = operation.parameters.find((p) => p.in === 'body');
  const requestBody = bodyParameter === undefined ? undefined : parameters[bodyParameter.name];
  return {
    operationId: operation.operationId,
    title,
    file,
    source,
    method: operation.method,
    pathTemplate: operation.pathTemplate,
    url: exampleUrl(
      operation,
      parameters,
      source === 'earlier-api-version' ? operation.apiVersion : undefined,
    ),
    parameters,
    ...(requestBody === undefined ? {} : { requestBody }),
    responses: example.responses ?? {},
  };
}

function standIn(operation: SpecOperation): OfficialExample[] {
  const earlier = EARLIER_API_VERSION_EXAMPLES[operation.operationId];
  if (earlier === undefined || !fs.existsSync(specFilePath(earlier.file))) return [];
  return [toOfficialExample(operation, earlier.title, earlier.file, 'earlier-api-version')];
}

/**
 * Every official example in the fixtures for the operations the sandbox follows: those referenced by
 * `x-ms-examples`, older-version stand-ins where an operation's own are missing, and the example-only
 * operations' examples.
 */
export function officialExamples(): OfficialExample[] {
  const present = officialExampleReferences().filter((reference) => reference.present);
  const fromSpecs = [...operationIndex().values()].flatMap(({ operation }) => {
    const own = present.filter((reference) => reference.operationId === operation.operationId);
    return own.length > 0
      ? own.map((reference) => toOfficialExample(operation, reference.title, reference.file, 'x-ms-examples'))
      : standIn(operation);
  });
  const exampleOnly = Object.values(EXAMPLE_ONLY_OPERATIONS).flatMap((operation) =>
    Object.entries(operation.examples).map(([title, file]) =>
      toOfficialExample(operation, title, file, 'example-only'),
    ),
  );
  return [...fromSpecs, ...exampleOnly];
}
