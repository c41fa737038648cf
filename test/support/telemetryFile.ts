// Reads what the app wrote to its local telemetry file (TELEMETRY_FILE): log records and metric data
// points, one JSON object a line, as src/telemetry/jsonLinesExporters.ts writes them.
import * as fs from 'node:fs';

import type { TelemetryLine } from '../../src/telemetry/jsonLinesExporters';

export type LogLine = Extract<TelemetryLine, { signal: 'log' }>;
export type MetricLine = Extract<TelemetryLine, { signal: 'metric' }>;

export function readTelemetry(file: string): { logs: LogLine[]; metrics: MetricLine[] } {
  const lines = fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as TelemetryLine)
    : [];
  return {
    logs: lines.filter((line): line is LogLine => line.signal === 'log'),
    metrics: lines.filter((line): line is MetricLine => line.signal === 'metric'),
  };
}

/** Whether every attribute in `wanted` is on the line (values compared as given). */
export function carries(
  line: { attributes: Record<string, unknown> },
  wanted: Record<string, unknown>,
): boolean {
  return Object.entries(wanted).every(([name, value]) => line.attributes[name] === value);
}

/** The data points of one metric that carry `wanted`. */
export function points(
  metrics: MetricLine[],
  name: string,
  wanted: Record<string, unknown> = {},
): MetricLine[] {
  return metrics.filter((line) => line.name === name && carries(line, wanted));
}

/** Counters: the sum of the deltas; histograms: how many values were recorded. */
export function total(metrics: MetricLine[], name: string, wanted: Record<string, unknown> = {}): number {
  return points(metrics, name, wanted).reduce(
    (sum, line) => sum + (line.type === 'histogram' ? (line.count ?? 0) : (line.value ?? 0)),
    0,
  );
}
