import { ValidationError } from './validationError';

// A date, or a date and time with an explicit offset: a time without one would depend on the server's zone.
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/i;

/** The audit trail's keys count .NET ticks, which start at 0001-01-01. */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');

/**
 * Parses an ISO 8601 timestamp (`2026-11-25`, `2026-11-25T10:00Z`, `2026-11-25T10:00:00.000+01:00`) into its
 * UTC ISO form. Rejects dates the calendar does not have, which Date.parse alone rolls over (Feb 30).
 */
export function parseTimestamp(text: string, field: string): string {
  const match = ISO_8601.exec(text);
  const millis = Date.parse(text);
  if (match === null || Number.isNaN(millis) || millis < EARLIEST || !onTheCalendar(match)) {
    throw new ValidationError(
      field,
      'must be an ISO 8601 timestamp such as 2026-11-25 or 2026-11-25T10:00:00Z (with Z or an offset)',
      text,
    );
  }
  return new Date(millis).toISOString();
}

function onTheCalendar(match: RegExpExecArray): boolean {
  const part = (i: number): number => Number(match[i] ?? '0');
  const [year, month, day] = [part(1), part(2), part(3)];
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    part(4) <= 23 &&
    part(5) <= 59 &&
    part(6) <= 59 &&
    part(7) <= 23 &&
    part(8) <= 59
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
