// NCRONTAB schedules as the timer trigger reads them, with occurrences found by croner. TimeSpan
// schedules (`hh:mm:ss`) are fixed intervals and parsed here too. Times are UTC.
//
// Why a wrapper around croner: the Functions host parses schedules with NCrontab, whose grammar is
// narrower than croner's and reads some forms differently. The host reads five space-separated fields
// as minute-first and anything else as six fields with seconds (azure-webjobs-sdk-extensions,
// Timers/Scheduling/CronSchedule.cs, HasSeconds). NCrontab takes `*`, values, `a-b`, `*/n`, `a-b/n`,
// `a/n` (a to the end of the field) and comma lists; names are any leading part of an English month or
// day name, first match wins; a range written high to low is swapped and a step below 1 counts as 1
// (NCrontab, CrontabFieldImpl.InternalParse and ParseValue, CrontabField.Accumulate). Croner would also
// take `?`, `L`, `W`, `#`, day-of-week 7, `@daily` and seven fields, which the host refuses, and it
// refuses full names, reversed ranges, zero steps and steps longer than the field. So each field is
// checked against NCrontab's grammar here and handed to croner as a plain numeric six-field pattern.

import { Cron } from 'croner';

export interface CronSchedule {
  /** The schedule as written. */
  expression: string;
  /** The same schedule as croner reads it: six numeric fields. */
  pattern: string;
  cron: Cron;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTH_NAMES = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
];
const DAY_NAMES = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day-of-week', min: 0, max: 6, names: DAY_NAMES },
];

const invalid = (expression: string, detail: string): Error =>
  new Error(`Invalid schedule "${expression}": ${detail}`);

function parseValue(text: string, spec: FieldSpec, expression: string): number {
  let value: number;
  if (/^\d/.test(text)) {
    if (!/^\d+$/.test(text)) {
      throw invalid(expression, `${spec.name} field: "${text}" is not a number`);
    }
    value = Number(text);
  } else {
    const upper = text.toUpperCase();
    const index = text === '' ? -1 : (spec.names?.findIndex((name) => name.startsWith(upper)) ?? -1);
    if (index < 0) {
      throw invalid(
        expression,
        `${spec.name} field: "${text}" is not a number${spec.names ? ' or a name' : ''}`,
      );
    }
    value = spec.min + index;
  }
  if (value < spec.min || value > spec.max) {
    throw invalid(expression, `${spec.name} field: ${value} is outside ${spec.min}-${spec.max}`);
  }
  return value;
}

// One list item as croner writes it: `*`, `*/n`, `a`, `a-b` or `a-b/n`.
function normaliseItem(item: string, spec: FieldSpec, expression: string): string {
  const slash = item.indexOf('/');
  const range = slash > 0 ? item.slice(0, slash) : item;
  let step = 1;
  if (slash > 0) {
    const stepText = item.slice(slash + 1);
    if (!/^\d+$/.test(stepText)) {
      throw invalid(expression, `${spec.name} field: the step "${stepText}" is not a number`);
    }
    step = Math.max(1, Number(stepText));
  }
  let from: number;
  let to: number;
  const dash = range.indexOf('-');
  if (range === '*') {
    [from, to] = [spec.min, spec.max];
  } else if (dash > 0) {
    const a = parseValue(range.slice(0, dash), spec, expression);
    const b = parseValue(range.slice(dash + 1), spec, expression);
    [from, to] = [Math.min(a, b), Math.max(a, b)];
  } else {
    from = parseValue(range, spec, expression);
    to = slash > 0 ? spec.max : from;
  }
  // A step longer than the range selects its first value only; croner would refuse it.
  if (step > to - from) {
    return range === '*' && step === 1 ? '*' : String(from);
  }
  const span = range === '*' ? '*' : `${from}-${to}`;
  return step === 1 ? span : `${span}/${step}`;
}

export function parseNcrontab(expression: string): CronSchedule {
  const fields = expression.split(' ').filter((field) => field !== '');
  if (fields.length === 5) {
    fields.unshift('0');
  }
  if (fields.length !== 6) {
    throw invalid(
      expression,
      'it must have six fields, {second} {minute} {hour} {day} {month} {day-of-week}, or the last five',
    );
  }
  const pattern = fields
    .map((field, i) => {
      const spec = FIELDS[i] as FieldSpec;
      return field
        .split(',')
        .map((item) => normaliseItem(item, spec, expression))
        .join(',');
    })
    .join(' ');
  let cron: Cron;
  try {
    // NCrontab matches a date only when both its day of month and its day of week do.
    cron = new Cron(pattern, { timezone: 'UTC', mode: '6-part', domAndDow: true });
  } catch (error) {
    throw invalid(expression, error instanceof Error ? error.message : String(error));
  }
  return { expression, pattern, cron };
}

/** The first occurrence strictly after `after` (to the second), or undefined if there is none. */
export function nextOccurrence(schedule: CronSchedule, after: Date): Date | undefined {
  return schedule.cron.nextRun(after) ?? undefined;
}

/** A schedule given as a TimeSpan (`hh:mm:ss`, App Service plans): a fixed interval. */
export function parseTimeSpanSchedule(expression: string): number | undefined {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(expression.trim());
  if (!match) {
    return undefined;
  }
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  return (((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}
