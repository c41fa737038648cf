// NCRONTAB parsing and next-occurrence calculation, against schedules from the timer trigger docs.

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
    ['zero step', '*/0 * * * * *'],
    ['reversed range', '0 0 17-9 * * *'],
  ])('%s: "%s"', (_name, expression) => {
    expect(() => parseNcrontab(expression)).toThrow(/schedule/i);
  });
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
