// Starts telemetry where the settings say (config/telemetrySettings), before the entry file loads anything
// else: OpenTelemetry must be in place before @azure/functions is first loaded for the Functions
// instrumentation to tell the host that the worker exports its own logs, and to carry each invocation's
// trace context into the handler.
import { AzureFunctionsInstrumentation } from '@azure/functions-opentelemetry-instrumentation';
import { DefaultAzureCredential } from '@azure/identity';
import { useAzureMonitor } from '@azure/monitor-opentelemetry';
import { metrics } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

import { secretSettingValues, telemetryDestination } from '../config/telemetrySettings';
import type { TelemetryDestination } from '../config/telemetrySettings';
import { JsonLinesLogExporter, JsonLinesMetricExporter } from './jsonLinesExporters';
import { RedactingLogRecordProcessor } from './redaction';

/** How often metrics reach the local file: soon enough for someone watching it. */
export const FILE_METRIC_INTERVAL_MS = 1000;

export function startTelemetry(destination: TelemetryDestination, secrets: readonly string[]): void {
  switch (destination.kind) {
    case 'none':
      return;
    case 'azure-monitor':
      useAzureMonitor({
        azureMonitorExporterOptions: {
          connectionString: destination.connectionString,
          // Application Insights takes Entra ID tokens only (local authentication is disabled): the app's
          // identity holds Monitoring Metrics Publisher on it.
          credential: new DefaultAzureCredential(
            destination.managedIdentityClientId === undefined
              ? {}
              : { managedIdentityClientId: destination.managedIdentityClientId },
          ),
        },
        // Every audited step is kept, whatever happens to the trace of the invocation that wrote it.
        enableTraceBasedSamplingForLogs: false,
        // The Azure SDK's own spans already cover every call the app makes (ARM, tables, blobs); Node's
        // HTTP spans would repeat each one, and add the durable client's local calls to the host.
        instrumentationOptions: { http: { enabled: false }, azureSdk: { enabled: true } },
        logRecordProcessors: [new RedactingLogRecordProcessor(secrets)],
      });
      break;
    case 'file':
      logs.setGlobalLoggerProvider(
        new LoggerProvider({
          processors: [
            new RedactingLogRecordProcessor(secrets),
            new SimpleLogRecordProcessor(new JsonLinesLogExporter(destination.path)),
          ],
        }),
      );
      metrics.setGlobalMeterProvider(
        new MeterProvider({
          readers: [
            new PeriodicExportingMetricReader({
              exporter: new JsonLinesMetricExporter(destination.path),
              exportIntervalMillis: FILE_METRIC_INTERVAL_MS,
            }),
          ],
        }),
      );
      break;
  }
  registerInstrumentations({ instrumentations: [new AzureFunctionsInstrumentation()] });
}

startTelemetry(telemetryDestination(), secretSettingValues());
