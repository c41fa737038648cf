// The telemetry port (domain/telemetry) on OpenTelemetry: structured log records and metric instruments
// from whatever providers startTelemetry registered (Azure Monitor, the local file, or none). Telemetry
// is a by-product: a failure here is swallowed, never the caller's problem.
import { metrics } from '@opentelemetry/api';
import type { Attributes, Counter, Gauge, Histogram, Meter } from '@opentelemetry/api';
import { SeverityNumber, logs } from '@opentelemetry/api-logs';
import type { Logger } from '@opentelemetry/api-logs';

import { METRICS, TELEMETRY_SCOPE } from '../domain/telemetry';
import type { MetricKey, Severity, Signals, Telemetry } from '../domain/telemetry';
import {
  armCallSignals,
  auditStepSignals,
  replicaStateSignals,
  verificationSignals,
} from '../domain/telemetrySignals';

const SEVERITIES: Record<Severity, { number: SeverityNumber; text: string }> = {
  info: { number: SeverityNumber.INFO, text: 'INFO' },
  warning: { number: SeverityNumber.WARN, text: 'WARN' },
  error: { number: SeverityNumber.ERROR, text: 'ERROR' },
};

type Instrument = Counter | Histogram | Gauge;

export class OpenTelemetryTelemetry implements Telemetry {
  private logger: Logger | undefined;
  private meter: Meter | undefined;
  private readonly instruments = new Map<MetricKey, Instrument>();

  auditEntryWritten(entry: Parameters<Telemetry['auditEntryWritten']>[0]): void {
    this.send(() => auditStepSignals(entry));
  }

  auditVerified(target: string, verdict: Parameters<Telemetry['auditVerified']>[1]): void {
    this.send(() => verificationSignals(target, verdict));
  }

  replicasObserved(registryId: string, provisioningStates: readonly string[]): void {
    this.send(() => replicaStateSignals(registryId, provisioningStates));
  }

  armAnswered(call: Parameters<Telemetry['armAnswered']>[0]): void {
    this.send(() => armCallSignals(call));
  }

  private send(signals: () => Signals): void {
    try {
      const { log, measurements } = signals();
      if (log !== undefined) {
        const severity = SEVERITIES[log.severity];
        // Providers are registered when the app starts; asked for here so that none is cached before.
        this.logger ??= logs.getLogger(TELEMETRY_SCOPE);
        this.logger.emit({
          severityNumber: severity.number,
          severityText: severity.text,
          body: log.message,
          attributes: { ...log.dimensions },
        });
      }
      for (const { metric, value, dimensions } of measurements) {
        record(this.instrument(metric), value, { ...dimensions });
      }
    } catch {
      // Telemetry never fails the work it describes.
    }
  }

  private instrument(key: MetricKey): Instrument {
    let instrument = this.instruments.get(key);
    if (instrument === undefined) {
      this.meter ??= metrics.getMeter(TELEMETRY_SCOPE);
      const { name, kind, unit, description } = METRICS[key];
      const options = { unit, description };
      instrument =
        kind === 'counter'
          ? this.meter.createCounter(name, options)
          : kind === 'histogram'
            ? this.meter.createHistogram(name, options)
            : this.meter.createGauge(name, options);
      this.instruments.set(key, instrument);
    }
    return instrument;
  }
}

function record(instrument: Instrument, value: number, attributes: Attributes): void {
  if ('add' in instrument) instrument.add(value, attributes);
  else instrument.record(value, attributes);
}

let shared: OpenTelemetryTelemetry | undefined;

/** The app's telemetry, shared within this process. */
export function telemetry(): Telemetry {
  shared ??= new OpenTelemetryTelemetry();
  return shared;
}
