import { parseTimestamp } from '../../src/domain/timestamp';
import { validationErrorOf } from './thrown';

describe('parseTimestamp', () => {
  test.each([
    ['2026-11-25', '2026-11-25T00:00:00.000Z'],
    ['2026-11-25T10:00Z', '2026-11-25T10:00:00.000Z'],
    ['2026-11-25T10:00:00.123+01:00', '2026-11-25T09:00:00.123Z'],
    ['2024-02-29T23:59:59-05:30', '2024-03-01T05:29:59.000Z'],
  ])('reads %s as %s', (text, utc) => {
    expect(parseTimestamp(text, 'from')).toBe(utc);
  });

  test.each([
    'yesterday',
    '25/11/2026',
    '2026-11-25T10:00:00',
    '2026-02-29',
    '2026-04-31T00:00Z',
    '2026-13-01',
    '2026-11-25T24:00Z',
    '2026-11-25T10:60Z',
    '0000-12-31',
    '',
  ])('refuses %j, naming the field', (text) => {
    expect(validationErrorOf(() => parseTimestamp(text, 'to')).field).toBe('to');
  });
});
