// The HTTP functions an app registers, read the way the worker reads them: the devhost's stand-in for
// the worker's `@azure/functions-core` module receives every `app.http(...)` while the entry files named
// by package.json `main` load. Jest resolves modules itself, bypassing the hook the devhost installs in
// Node's loader, so the same core API is handed to Jest's registry instead (a virtual module, as the
// real one exists only inside the worker).
import {
  consoleLogger,
  httpRoutes,
  loadApp,
  readHostConfig,
  readLocalSettings,
  WorkerRuntime,
} from '@acr-replica-guard/devhost';

export interface RegisteredHttpRoute {
  functionName: string;
  /** The route template as registered, e.g. `operations/{id}`. */
  template: string;
  /** Upper case; empty when the function accepts every method. */
  methods: string[];
}

export async function registeredHttpRoutes(
  appRoot: string,
): Promise<{ routePrefix: string; routes: RegisteredHttpRoute[] }> {
  const runtime = new WorkerRuntime(consoleLogger('error'));
  jest.doMock('@azure/functions-core', () => runtime.createCoreApi(), { virtual: true });
  await loadApp(appRoot);
  const routes = httpRoutes(runtime).map((route) => ({
    functionName: route.fn.metadata.name,
    template: route.route.template,
    methods: [...(route.methods ?? [])].sort(),
  }));
  // host.json may name settings (%TASK_HUB_NAME%); the host resolves them from the app settings.
  const settings = { ...readLocalSettings(appRoot), ...process.env };
  return { routePrefix: readHostConfig(appRoot, settings).routePrefix, routes };
}

/** A route template as an OpenAPI path: `{name:int?}`, `{name=x}` and `{*name}` all become `{name}`. */
export function toOpenApiPath(template: string): string {
  const path = template.replace(/\{\*?([^}:=?]+)[^}]*\}/g, '{$1}');
  return `/${path.replace(/^\/+/, '')}`;
}
