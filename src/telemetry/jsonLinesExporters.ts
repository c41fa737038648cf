// The local destination of telemetry (TELEMETRY_FILE): each log record and each metric data point as one
// JSON line, appended as it is exported, so a developer can read it and a test can assert on it. Metrics
// use delta temporality, as the Azure Monitor exporter does: each line holds what happened since the last.
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { HrTime } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** One line of the file. */
export type TelemetryLine =
  | {
      signal: 'log';
      time: string;
      severity?: string;
      body?: unknown;
      attributes: Record<string, unknown>;
      traceId?: string;
    }
  | {
      signal: 'metric';
      time: string;
      name: string;
      unit: string;
      type: 'sum' | 'gauge' | 'histogram';
      attributes: Record<string, unknown>;
      value?: number;
      count?: number;
      sum?: number;
      min?: number;
      max?: number;
    };

function appendLines(file: string, lines: TelemetryLine[], done: (result: ExportResult) => void): void {
  if (lines.length === 0) {
    done({ code: ExportResultCode.SUCCESS });
    return;
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    done({ code: ExportResultCode.SUCCESS });
  } catch (error) {
    done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
  }
}

function isoTime(time: HrTime): string {
  return new Date(hrTimeToMilliseconds(time)).toISOString();
}

export class JsonLinesLogExporter implements LogRecordExporter {
  constructor(private readonly file: string) {}

  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    appendLines(
      this.file,
      records.map((record) => ({
        signal: 'log',
        time: isoTime(record.hrTime),
        ...(record.severityText === undefined ? {} : { severity: record.severityText }),
        ...(record.body === undefined ? {} : { body: record.body }),
        attributes: { ...record.attributes },
        ...(record.spanContext === undefined ? {} : { traceId: record.spanContext.traceId }),
      })),
      done,
    );
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export class JsonLinesMetricExporter implements PushMetricExporter {
  constructor(private readonly file: string) {}

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    const lines: TelemetryLine[] = [];
    for (const metric of metrics.scopeMetrics.flatMap((scope) => scope.metrics)) {
      const { name, unit } = metric.descriptor;
      const line = (endTime: HrTime, attributes: Record<string, unknown>) => ({
        signal: 'metric' as const,
        time: isoTime(endTime),
        name,
        unit,
        attributes: { ...attributes },
      });
      switch (metric.dataPointType) {
        case DataPointType.HISTOGRAM:
          for (const { endTime, attributes, value } of metric.dataPoints) {
            if (value.count === 0) continue;
            lines.push({
              ...line(endTime, attributes),
              type: 'histogram',
              count: value.count,
              sum: value.sum ?? 0,
              ...(value.min === undefined ? {} : { min: value.min }),
              ...(value.max === undefined ? {} : { max: value.max }),
            });
          }
          break;
        case DataPointType.SUM:
          for (const { endTime, attributes, value } of metric.dataPoints) {
            if (value !== 0) lines.push({ ...line(endTime, attributes), type: 'sum', value });
          }
          break;
        case DataPointType.GAUGE:
          for (const { endTime, attributes, value } of metric.dataPoints) {
            lines.push({ ...line(endTime, attributes), type: 'gauge', value });
          }
          break;
        default:
          break;
      }
    }
    appendLines(this.file, lines, done);
  }

  /** Delta for counters and histograms, as the Azure Monitor exporter asks for them. */
  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return instrumentType === InstrumentType.UP_DOWN_COUNTER ||
      instrumentType === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
      ? AggregationTemporality.CUMULATIVE
      : AggregationTemporality.DELTA;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
