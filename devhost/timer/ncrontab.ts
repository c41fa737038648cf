// NCRONTAB schedules as the timer trigger reads them: `{second} {minute} {hour} {day} {month} {day-of-week}`
// (a five-field expression has no seconds field and fires at second 0). Each field takes `*`, values,
// ranges `a-b`, steps `*/n`, `a-b/n`, `a/n`, comma lists, and month (Jan-Dec) and day (Sun-Sat) names.
// Day-of-month and day-of-week must both match, as in NCrontab. Times are UTC.

export interface CronSchedule {
  expression: string;
  seconds: ReadonlySet<number>;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
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

function parseValue(text: string, spec: FieldSpec, expression: string): number {
  const upper = text.toUpperCase();
  // Three-letter abbreviations or full names.
  const named = spec.names?.findIndex((n) => upper === n || upper === n.slice(0, 3));
  if (named !== undefined && named >= 0) {
    return spec.name === 'month' ? named + 1 : named;
  }
  if (!/^\d+$/.test(text)) {
    throw new Error(`Invalid ${spec.name} value "${text}" in schedule "${expression}"`);
  }
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new Error(
      `${spec.name} value ${value} is outside ${spec.min}-${spec.max} in schedule "${expression}"`,
    );
  }
  return value;
}

export function parseField(text: string, spec: FieldSpec, expression: string): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [rangeText = '', stepText] = item.split('/');
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
        throw new Error(`Invalid step "${stepText}" in ${spec.name} field of schedule "${expression}"`);
      }
      step = Number(stepText);
    }
    let low: number;
    let high: number;
    if (rangeText === '*') {
      low = spec.min;
      high = spec.max;
    } else if (rangeText.includes('-')) {
      const [a = '', b = ''] = rangeText.split('-');
      low = parseValue(a, spec, expression);
      high = parseValue(b, spec, expression);
      if (high < low) {
        throw new Error(`Invalid range "${rangeText}" in ${spec.name} field of schedule "${expression}"`);
      }
    } else {
      low = parseValue(rangeText, spec, expression);
      // `a/n` runs from a to the end of the field's range.
      high = stepText !== undefined ? spec.max : low;
    }
    for (let v = low; v <= high; v += step) {
      values.add(v);
    }
  }
  return values;
}

export function parseNcrontab(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length === 5) {
    parts.unshift('0');
  }
  if (parts.length !== 6) {
    throw new Error(
      `Schedule "${expression}" must have six fields: {second} {minute} {hour} {day} {month} {day-of-week}`,
    );
  }
  const sets = parts.map((part, i) => parseField(part, FIELDS[i] as FieldSpec, expression));
  const [seconds, minutes, hours, days, months, daysOfWeek] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  return { expression, seconds, minutes, hours, days, months, daysOfWeek };
}

const sorted = (set: ReadonlySet<number>): number[] => [...set].sort((a, b) => a - b);

/** The first occurrence strictly after `after`, or undefined if none within eight years. */
export function nextOccurrence(schedule: CronSchedule, after: Date): Date | undefined {
  const start = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const hours = sorted(schedule.hours);
  const minutes = sorted(schedule.minutes);
  const seconds = sorted(schedule.seconds);
  let day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  let firstDay = true;
  for (let i = 0; i < 366 * 8; i++) {
    const matchesDay =
      schedule.months.has(day.getUTCMonth() + 1) &&
      schedule.days.has(day.getUTCDate()) &&
      schedule.daysOfWeek.has(day.getUTCDay());
    if (matchesDay) {
      const [h0, m0, s0] = firstDay
        ? [start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()]
        : [0, 0, 0];
      for (const h of hours) {
        if (h < h0) {
          continue;
        }
        for (const m of minutes) {
          if (h === h0 && m < m0) {
            continue;
          }
          for (const s of seconds) {
            if (h === h0 && m === m0 && s < s0) {
              continue;
            }
            return new Date(day.getTime() + ((h * 60 + m) * 60 + s) * 1000);
          }
        }
      }
    }
    day = new Date(day.getTime() + 86_400_000);
    firstDay = false;
  }
  return undefined;
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
