// The local telemetry file through a real OpenTelemetry meter provider: counters, histograms and gauges
// as one line per data point, with delta temporality (each export holds what happened since the last, and
// nothing is written for an instrument that saw nothing), as Application Insights receives them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

import { JsonLinesMetricExporter } from '../../src/telemetry/jsonLinesExporters';
import { points, readTelemetry, total } from '../support/telemetryFile';

function meterOn(file: string): { provider: MeterProvider; flush: () => Promise<void> } {
  const reader = new PeriodicExportingMetricReader({
    exporter: new JsonLinesMetricExporter(file),
    // Exports here are the test's own (forceFlush): the interval never comes round.
    exportIntervalMillis: 3_600_000,
  });
  const provider = new MeterProvider({ readers: [reader] });
  return { provider, flush: () => reader.forceFlush() };
}

test('counters, histograms and gauges are written as deltas, one line per data point', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-')), 'telemetry.jsonl');
  const { provider, flush } = meterOn(file);
  const meter = provider.getMeter('test');
  const heals = meter.createCounter('heals', { unit: '{heal}' });
  const duration = meter.createHistogram('duration', { unit: 's' });
  const replicas = meter.createGauge('replicas');

  heals.add(1, { outcome: 'healed' });
  heals.add(2, { outcome: 'escalated' });
  duration.record(30, { outcome: 'healed' });
  duration.record(90, { outcome: 'healed' });
  replicas.record(4, { state: 'Succeeded' });
  await flush();
  heals.add(1, { outcome: 'healed' });
  await flush();
  await flush();
  await provider.shutdown();

  const { metrics, logs } = readTelemetry(file);
  expect(logs).toEqual([]);
  expect(points(metrics, 'heals', { outcome: 'healed' }).map((line) => line.value)).toEqual([1, 1]);
  expect(total(metrics, 'heals', { outcome: 'escalated' })).toBe(2);
  expect(points(metrics, 'duration')).toEqual([
    expect.objectContaining({ type: 'histogram', unit: 's', count: 2, sum: 120, min: 30, max: 90 }),
  ]);
  expect(points(metrics, 'replicas')).toEqual([
    expect.objectContaining({ type: 'gauge', value: 4, attributes: { state: 'Succeeded' } }),
  ]);
});

test('an export with nothing to say writes nothing, and a missing folder is made', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-')), 'more', 'telemetry.jsonl');
  const { provider, flush } = meterOn(file);
  provider.getMeter('test').createCounter('unused');
  await flush();
  expect(fs.existsSync(file)).toBe(false);

  provider.getMeter('test').createCounter('used').add(5);
  await flush();
  await provider.shutdown();
  expect(total(readTelemetry(file).metrics, 'used')).toBe(5);
});
