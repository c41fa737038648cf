import { ncrontabProblem } from '../../src/config/ncrontab';

describe('ncrontabProblem', () => {
  test.each([
    ['0 */15 * * * *', 'every quarter hour, with seconds'],
    ['*/5 * * * *', 'five fields: no seconds, as the host also reads'],
    ['0 30 9 * * 1-5', 'weekdays at half past nine'],
    ['0 0 12 * * Mon,Wed,FRI', 'day names'],
    ['0 0 12 * * Monday', 'a full day name'],
    ['0 0 0 1 Jan,July *', 'month names, short and full'],
    ['0 0 12 * * Sun-Sat', 'a range of day names'],
    ['0 0 */2 1-15/3 * *', 'steps over a range'],
    ['  0 0 * * * *  ', 'surrounding blanks'],
  ])('accepts "%s" (%s)', (expression) => {
    expect(ncrontabProblem(expression)).toBeUndefined();
  });

  test.each([
    ['hourly', /1 fields where six are expected/],
    ['@daily', /1 fields/],
    ['0 0 12 * * * 2030', /7 fields/],
    ['61 * * * * *', /second/i],
    ['0 60 * * * *', /minute/i],
    ['0 0 24 * * *', /hour/i],
    ['0 0 12 ? * MON', /"\?"/],
    ['0 0 12 L * *', /day field "L" holds "L"/],
    ['0 0 12 * * 1#2', /"1#2"/],
    ['0 0 12 * * 7', /day-of-week field "7" goes beyond 0-6/],
    ['0 0 12 * * 5-7', /goes beyond 0-6/],
    ['0 0 12 * * Funday', /"Funday", which is not a day-of-week name/],
    ['0 0 12 * Smarch *', /not a month name/],
    ['0 0 12 10-2 * *', /larger than/],
    ['0 0 12 */0 * *', /stepping/],
  ])('refuses "%s"', (expression, reason) => {
    expect(ncrontabProblem(expression)).toMatch(reason);
  });
});
