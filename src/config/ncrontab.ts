// Checks a timer schedule before the app registers its timer, so a schedule the Functions host cannot read
// stops the app at start with a message naming the setting, rather than failing later inside the host.
// croner parses the expression; the checks around it keep to the NCRONTAB dialect the host reads, which
// croner's extensions (`?`, `L`, `W`, `#`, nicknames, a year field, Sunday as 7) go beyond.
import { Cron } from 'croner';

const FIELD_NAMES = ['second', 'minute', 'hour', 'day', 'month', 'day-of-week'] as const;

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * Why `expression` is not an NCRONTAB schedule the timer trigger accepts, or undefined when it is one:
 * `{second} {minute} {hour} {day} {month} {day-of-week}`, or the same without seconds (five fields), each
 * field made of `*`, numbers, ranges, steps and lists, with month and day names (or any prefix of them,
 * as the host reads them) in the last two.
 */
export function ncrontabProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return `it has ${fields.length} fields where six are expected ({second} {minute} {hour} {day} {month} {day-of-week})`;
  }
  const names = fields.length === 6 ? FIELD_NAMES : FIELD_NAMES.slice(1);
  const numeric: string[] = [];
  for (const [i, field] of fields.entries()) {
    const name = names[i] ?? 'field';
    if (!/^[0-9A-Za-z*,/-]+$/.test(field)) {
      return `its ${name} field "${field}" may hold only digits, names, "*", ",", "-" and "/"`;
    }
    const converted = namesToNumbers(field, name);
    if (converted.problem !== undefined) return converted.problem;
    if (name === 'day-of-week' && /(^|[,-])([7-9]|\d\d+)/.test(converted.field)) {
      return `its day-of-week field "${field}" goes beyond 0-6 (Sunday is 0)`;
    }
    numeric.push(converted.field);
  }
  try {
    new Cron(numeric.join(' '));
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, '');
  }
  return undefined;
}

/** Month and day names, or prefixes of them as the host matches them, as numbers croner reads alike. */
function namesToNumbers(field: string, name: string): { field: string; problem?: string } {
  const known = name === 'month' ? MONTH_NAMES : name === 'day-of-week' ? DAY_NAMES : undefined;
  let problem: string | undefined;
  const converted = field.replace(/[A-Za-z]+/g, (word) => {
    const index = known?.findIndex((candidate) => candidate.startsWith(word.toLowerCase())) ?? -1;
    if (index < 0) {
      problem ??= `its ${name} field "${field}" holds "${word}", which is not a ${name === 'month' || name === 'day-of-week' ? `${name} name` : 'number'}`;
      return word;
    }
    return String(name === 'month' ? index + 1 : index);
  });
  return problem === undefined ? { field: converted } : { field: converted, problem };
}
