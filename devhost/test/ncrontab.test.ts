// NCRONTAB parsing and next-occurrence calculation, against schedules from the timer trigger docs and
// the forms NCrontab (the host's parser) reads differently from croner.

import { isFunctionDisabled } from '../timer/timerTriggers';
import { nextOccurrence, parseNcrontab, parseTimeSpanSchedule } from '../timer/ncrontab';

const utc = (text: string): Date => new Date(`${text}Z`);
const next = (expression: string, after: string): string | undefined =>
  nextOccurrence(parseNcrontab(expression), utc(after))?.toISOString();

describe('next occurrence', () => {
  test.each([
    ['every five minutes', '0 */5 * * * *', '2024-03-10T10:02:30', '2024-03-10T10:05:00.000Z'],
    [
      'every five minutes, exactly on one',
      '0 */5 * * * *',
      '2024-03-10T10:05:00',
      '2024-03-10T10:10:00.000Z',
    ],
    ['once at the top of every hour', '0 0 * * * *', '2024-03-10T10:00:01', '2024-03-10T11:00:00.000Z'],
    ['every two hours', '0 0 */2 * * *', '2024-03-10T11:30:00', '2024-03-10T12:00:00.000Z'],
    ['every hour from 9 to 17', '0 0 9-17 * * *', '2024-03-10T17:30:00', '2024-03-11T09:00:00.000Z'],
    ['at 9:30 every day', '0 30 9 * * *', '2024-03-10T09:30:00', '2024-03-11T09:30:00.000Z'],
    ['at 9:30 every weekday', '0 30 9 * * 1-5', '2024-03-08T10:00:00', '2024-03-11T09:30:00.000Z'],
    [
      'at 9:30 every weekday, by name',
      '0 30 9 * * Mon-Fri',
      '2024-03-09T10:00:00',
      '2024-03-11T09:30:00.000Z',
    ],
    ['at 9:30 on Sundays', '0 30 9 * * 0', '2024-03-10T09:31:00', '2024-03-17T09:30:00.000Z'],
    [
      'at 9:30 on Sundays, by full name',
      '0 30 9 * * sunday',
      '2024-03-10T09:31:00',
      '2024-03-17T09:30:00.000Z',
    ],
    [
      'at 9:30 every Monday in January',
      '0 30 9 * Jan Mon',
      '2024-01-29T10:00:00',
      '2025-01-06T09:30:00.000Z',
    ],
    ['twice an hour, a list', '0 15,45 * * * *', '2024-03-10T10:16:00', '2024-03-10T10:45:00.000Z'],
    ['every 15 seconds', '*/15 * * * * *', '2024-03-10T10:00:14', '2024-03-10T10:00:15.000Z'],
    [
      'seconds 10 to 40 in steps of 10',
      '10-40/10 * * * * *',
      '2024-03-10T10:00:31',
      '2024-03-10T10:00:40.000Z',
    ],
    ['from minute 50 in steps of 5', '0 50/5 * * * *', '2024-03-10T10:51:00', '2024-03-10T10:55:00.000Z'],
    ['on the 31st only', '0 0 0 31 * *', '2024-04-01T00:00:00', '2024-05-31T00:00:00.000Z'],
    ['on leap days', '0 0 12 29 Feb *', '2024-03-01T00:00:00', '2028-02-29T12:00:00.000Z'],
    ['day and weekday must both match', '0 0 0 13 * Fri', '2024-01-01T00:00:00', '2024-09-13T00:00:00.000Z'],
    ['five fields start at second 0', '*/10 * * * *', '2024-03-10T10:01:00', '2024-03-10T10:10:00.000Z'],
    ['crossing a year', '0 0 0 1 1 *', '2024-12-31T23:59:59', '2025-01-01T00:00:00.000Z'],
    ['five fields with names', '30 9 * Jan Mon', '2024-01-29T10:00:00', '2025-01-06T09:30:00.000Z'],
    ['day and weekday, five fields', '0 0 13 * 5', '2024-01-01T00:00:00', '2024-09-13T00:00:00.000Z'],
    ['a range high to low is swapped', '0 0 17-9 * * *', '2024-03-10T17:30:00', '2024-03-11T09:00:00.000Z'],
    ['a swapped range keeps its step', '0 0 17-9/4 * * *', '2024-03-10T13:30:00', '2024-03-10T17:00:00.000Z'],
    ['a zero step counts as one', '*/0 * * * * *', '2024-03-10T10:00:14', '2024-03-10T10:00:15.000Z'],
    [
      'a value with a zero step runs to the end',
      '0 50/0 * * * *',
      '2024-03-10T10:52:30',
      '2024-03-10T10:53:00.000Z',
    ],
    [
      'a value and step at the end of the field',
      '0 59/5 * * * *',
      '2024-03-10T10:00:00',
      '2024-03-10T10:59:00.000Z',
    ],
    [
      'day names high to low are swapped, not wrapped',
      '0 0 8 * * Sat-Mon',
      '2024-03-09T10:00:00',
      '2024-03-11T08:00:00.000Z',
    ],
    ['a step longer than the field', '*/100 * * * * *', '2024-03-10T10:00:30', '2024-03-10T10:01:00.000Z'],
    [
      'a value with a step longer than the rest',
      '5/100 * * * * *',
      '2024-03-10T10:00:30',
      '2024-03-10T10:01:05.000Z',
    ],
    ['a month name by its first letters', '0 0 12 1 Ju *', '2024-01-01T00:00:00', '2024-06-01T12:00:00.000Z'],
    ['one letter names the first match', '0 0 12 1 M *', '2024-01-01T00:00:00', '2024-03-01T12:00:00.000Z'],
    ['a day name by its first letters', '0 30 9 * * Tu', '2024-03-10T10:00:00', '2024-03-12T09:30:00.000Z'],
    ['a range of day names', '0 0 8 * * thurs-sat', '2024-03-10T10:00:00', '2024-03-14T08:00:00.000Z'],
    [
      'a list mixing names and ranges',
      '0 0 0 1 Feb,6-7 *',
      '2024-02-02T00:00:00',
      '2024-06-01T00:00:00.000Z',
    ],
    ['extra spaces between fields', '0  0 12   * * *', '2024-03-10T12:00:00', '2024-03-11T12:00:00.000Z'],
    ['an occurrence decades away', '0 0 0 29 Feb Mon', '2024-03-01T00:00:00', '2044-02-29T00:00:00.000Z'],
  ])('%s: "%s" after %s is %s', (_name, expression, after, expected) => {
    expect(next(expression, after)).toBe(expected);
  });
});

describe('invalid schedules are rejected', () => {
  test.each([
    ['too few fields', '* * * *'],
    ['too many fields', '* * * * * * *'],
    ['second out of range', '60 * * * * *'],
    ['hour out of range', '0 0 24 * * *'],
    ['day zero', '0 0 0 0 * *'],
    ['month out of range', '0 0 0 1 13 *'],
    ['day of week out of range', '0 0 0 * * 7'],
    ['unknown name', '0 0 0 * * Funday'],
    ['a name in a numeric field', '0 0 Mon * * *'],
    ['seven fields with a year', '0 0 0 1 1 * 2030'],
    ['a nickname', '@daily'],
    ['question mark', '0 0 0 ? * Mon'],
    ['last day of the month', '0 0 0 L * *'],
    ['nearest weekday', '0 0 0 15W * *'],
    ['nth weekday', '0 0 0 * * 5#2'],
    ['Sunday as 7', '0 0 0 * * 1-7'],
    ['a step that is not a number', '*/x * * * * *'],
    ['two steps', '0 1/2/3 * * * *'],
    ['an empty list item', '0 5, * * * *'],
    ['a negative value', '0 -5 * * * *'],
    ['a step with no start', '0 /5 * * * *'],
    ['a value with letters after digits', '0 5m * * * *'],
  ])('%s: "%s"', (_name, expression) => {
    expect(() => parseNcrontab(expression)).toThrow(/schedule/i);
  });
});

test('the schedule croner reads is numeric with six fields', () => {
  expect(parseNcrontab('*/10 9-17 * * mon-fri').pattern).toBe('0 */10 9-17 * * 1-5');
  expect(parseNcrontab('0 0 12 1 jan,jul 0').pattern).toBe('0 0 12 1 1,7 0');
  expect(parseNcrontab('*/1 5/0 17-9/4 */40 * sat-mon').pattern).toBe('* 5-59 9-17/4 1 * 1-6');
});

test('a schedule that never occurs has no next occurrence', () => {
  expect(next('0 0 0 30 Feb *', '2024-01-01T00:00:00')).toBeUndefined();
});

test('TimeSpan schedules are fixed intervals', () => {
  expect(parseTimeSpanSchedule('00:05:00')).toBe(300_000);
  expect(parseTimeSpanSchedule('1.02:00:00')).toBe(26 * 3_600_000);
  expect(parseTimeSpanSchedule('0 */5 * * * *')).toBeUndefined();
});

describe('disabling a function with the host app setting', () => {
  test.each([
    [{ 'AzureWebJobs.healSchedule.Disabled': 'true' }, true],
    [{ AzureWebJobs__healSchedule__Disabled: '1' }, true],
    [{ AzureWebJobs__healSchedule__Disabled: ' TRUE ' }, true],
    [{ AzureWebJobs__healSchedule__Disabled: 'false' }, false],
    [{ AzureWebJobs__otherFunction__Disabled: 'true' }, false],
    [{}, false],
  ])('%j → disabled %s', (env, disabled) => {
    expect(isFunctionDisabled('healSchedule', env)).toBe(disabled);
  });
});
