// Runs a Functions app in this process, as host + worker + Durable extension would: settings, app load,
// appStart hooks, the HTTP front door, timer triggers and the durable engine.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { applySettings, readLocalSettings } from './config/appSettings';
import { readHostConfig } from './config/hostJson';
import { ClientApi } from './durable/clientApi';
import { durableClientBindingData } from './durable/clientBindingData';
import {
  AZURE_STORAGE_TIMER_LIMITS,
  DEFAULT_MAX_QUEUE_POLLING_INTERVAL_MS,
  DurableEngine,
} from './durable/engine';
import type { TimerLimits } from './durable/shimReplay';
import { workerDurableFunctions } from './durable/workerBridge';
import { taskHubNameProblem } from './config/taskHubName';
import { keysEnforced, keyValues, readKeySettings } from './http/authKeys';
import { httpRoutes } from './http/httpTriggers';
import { createRequestHandler } from './http/server';
import type { Logger } from './log';
import { consoleLogger, parseLogLevel } from './log';
import { redactingLogger } from './logRedaction';
import { TimerTriggers } from './timer/timerTriggers';
import type { ExtraInputProvider } from './worker/bindingInputs';
import { triggerBinding, triggerType } from './worker/bindingInputs';
import { WorkerRuntime } from './worker/coreModule';
import type { RpcBindingInfo } from './worker/coreTypes';
import { installCoreModule } from './worker/installCoreModule';
import { loadApp } from './worker/loadApp';

export interface DevHostOptions {
  appRoot: string;
  /** 0 picks a free port. */
  port: number;
  /** Address to listen on (default 127.0.0.1). */
  listenAddress?: string;
  log?: Logger;
}

export interface FunctionSummary {
  name: string;
  trigger: string;
  detail: string;
}

export interface RunningDevHost {
  url: string;
  port: number;
  functions: FunctionSummary[];
  stop(): Promise<void>;
}

const DURABLE_TRIGGERS = ['orchestrationtrigger', 'activitytrigger', 'entitytrigger'];
/** Binding types the devhost serves; others are registered but get no data (warned about at start). */
const SERVED_BINDINGS = [
  'http',
  'httptrigger',
  'timertrigger',
  'durableclient',
  'orchestrationclient',
  ...DURABLE_TRIGGERS,
];
const isDurableClient = (binding: RpcBindingInfo): boolean =>
  ['durableclient', 'orchestrationclient'].includes((binding.type ?? '').toLowerCase());

function positiveNumber(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Timer limits: the Azure Storage provider's, unless overridden (tests use seconds). */
function timerLimits(env: NodeJS.ProcessEnv): TimerLimits {
  return {
    maximumShortTimerMs: positiveNumber(
      env.DEVHOST_MAX_SHORT_TIMER_MS,
      AZURE_STORAGE_TIMER_LIMITS.maximumShortTimerMs,
    ),
    longRunningTimerIntervalMs: positiveNumber(
      env.DEVHOST_LONG_TIMER_INTERVAL_MS,
      AZURE_STORAGE_TIMER_LIMITS.longRunningTimerIntervalMs,
    ),
  };
}

function describe(runtime: WorkerRuntime, routePrefix: string): FunctionSummary[] {
  return [...runtime.functions.values()].map((fn) => {
    const { binding } = triggerBinding(fn);
    const type = binding.type ?? '';
    let detail = '';
    if (type.toLowerCase() === 'httptrigger') {
      const route = typeof binding.route === 'string' && binding.route ? binding.route : fn.metadata.name;
      const methods = Array.isArray(binding.methods) ? binding.methods.join(',') : '*';
      detail = `[${methods}] /${routePrefix ? `${routePrefix}/` : ''}${route}`;
    } else if (type.toLowerCase() === 'timertrigger') {
      detail = typeof binding.schedule === 'string' ? binding.schedule : '';
    }
    return { name: fn.metadata.name, trigger: type, detail };
  });
}

function warnAboutUnservedBindings(runtime: WorkerRuntime, log: Logger): void {
  for (const fn of runtime.functions.values()) {
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      const type = (binding.type ?? '').toLowerCase();
      if (!SERVED_BINDINGS.includes(type)) {
        log.warn(
          `Function '${fn.metadata.name}': binding '${name}' of type '${binding.type ?? ''}' is not served by the devhost`,
        );
      }
    }
  }
}

export async function runDevHost(options: DevHostOptions): Promise<RunningDevHost> {
  const env = process.env;
  const appRoot = path.resolve(options.appRoot);
  applySettings(readLocalSettings(appRoot), env);
  env.AzureWebJobsScriptRoot ??= appRoot;
  const keys = readKeySettings(env);
  const secrets = keyValues(keys);
  const log = redactingLogger(
    options.log ?? consoleLogger(parseLogLevel(env.DEVHOST_LOG_LEVEL)),
    () => secrets,
  );
  const config = readHostConfig(appRoot, env);

  const runtime = new WorkerRuntime(log);
  installCoreModule(runtime.createCoreApi());
  await loadApp(appRoot);
  await runtime.runHooks('appStart', {
    hookData: runtime.appHookData,
    appHookData: runtime.appHookData,
    functionAppDirectory: appRoot,
  });

  // The worker asks the programming model for its capabilities once the app is loaded; that also locks
  // `app.setup()`, as in Azure.
  const capabilities = await runtime.programmingModel?.getCapabilities?.({});
  if (capabilities?.HttpUri) {
    log.warn('HTTP streaming (app.setup({ enableHttpStream: true })) is not supported by the devhost');
  }
  warnAboutUnservedBindings(runtime, log);

  const systemKey = keys.systemKey;
  const functions = [...runtime.functions.values()];
  const needsDurable = functions.some(
    (fn) =>
      DURABLE_TRIGGERS.includes(triggerType(fn)) ||
      Object.values(fn.metadata.bindings).some((b) => isDurableClient(b)),
  );
  // The Durable extension validates the task hub name as it starts; the host does not start otherwise.
  const hubProblem = needsDurable ? taskHubNameProblem(config.hubName) : undefined;
  if (hubProblem !== undefined) {
    throw new Error(`${hubProblem} Set a valid name in host.json extensions.durableTask.hubName.`);
  }
  // With keys enforced the durable client goes through the webhook URLs, which carry the system key:
  // durable-functions adds no key to the local RPC URLs, so that endpoint is not offered then.
  const rpcEnabled = config.localRpcEndpointEnabled !== false && !keysEnforced(keys);

  let port = options.port;
  const bindingData = { value: '' };
  const extras: ExtraInputProvider = (binding) =>
    isDurableClient(binding) && bindingData.value ? { string: bindingData.value } : undefined;
  const timers = new TimerTriggers(runtime, extras, env, log);
  const door = {
    runtime,
    routes: httpRoutes(runtime),
    routePrefix: config.routePrefix,
    keys,
    extras,
    timers,
    log,
    rpcEnabled,
    clientApi: undefined as ClientApi | undefined,
    engine: undefined as DurableEngine | undefined,
  };
  const server = http.createServer(createRequestHandler(door));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.listenAddress ?? '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  env.WEBSITE_HOSTNAME ??= `localhost:${port}`;
  const url = `http://localhost:${port}`;

  let engine: DurableEngine | undefined;
  if (needsDurable) {
    // The task hub's account: the setting host.json's storageProvider names, AzureWebJobsStorage by default.
    const connectionString = env[config.storageConnectionName];
    if (!connectionString) {
      server.close();
      throw new Error(
        config.storageConnectionName === 'AzureWebJobsStorage'
          ? 'Durable functions need the AzureWebJobsStorage setting (e.g. UseDevelopmentStorage=true)'
          : `Durable functions need the ${config.storageConnectionName} setting that host.json's durableTask.storageProvider names for the task hub's storage`,
      );
    }
    bindingData.value = JSON.stringify(
      durableClientBindingData(
        url,
        rpcEnabled ? `http://127.0.0.1:${port}` : undefined,
        config.hubName,
        systemKey,
      ),
    );
    engine = await DurableEngine.create(workerDurableFunctions(runtime, extras), {
      connectionString,
      hubName: config.hubName,
      pollIntervalMs: positiveNumber(env.DEVHOST_DURABLE_POLL_MS, 1000),
      maxPollIntervalMs: config.maxQueuePollingIntervalMs ?? DEFAULT_MAX_QUEUE_POLLING_INTERVAL_MS,
      maxConcurrentActivities: config.maxConcurrentActivityFunctions ?? 10,
      maxConcurrentOrchestrations: config.maxConcurrentOrchestratorFunctions ?? 10,
      limits: timerLimits(env),
      log,
      keepPastExecutions: env.DEVHOST_KEEP_PAST_EXECUTIONS === 'true',
    });
    door.engine = engine;
    door.clientApi = new ClientApi(engine, { systemKey });
    await engine.start();
  }
  timers.start();

  return {
    url,
    port,
    functions: describe(runtime, config.routePrefix),
    async stop() {
      timers.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await engine?.stop();
      await runtime.runHooks('appTerminate', {
        hookData: runtime.appHookData,
        appHookData: runtime.appHookData,
      });
    },
  };
}
