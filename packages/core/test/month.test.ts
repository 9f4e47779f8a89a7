import { describe, expect, it } from 'vitest';
import { isMonth, monthStart, parseMonth, shiftMonth } from '../src/month.ts';

describe('a month written YYYY-MM', () => {
  it.each([
    ['2026-11', true],
    ['2000-01', true],
    ['2100-12', true],
    ['1999-12', false],
    ['2101-01', false],
    ['0000-01', false],
    ['9999-12', false],
    ['2026-13', false],
    ['2026-00', false],
    ['2026-1', false],
    ['2026-11-01', false],
    ['十一月', false],
    ['', false],
  ] as const)('%s is a month: %s', (text, expected) => {
    expect(isMonth(text)).toBe(expected);
  });

  it('refuses a wrong month in Chinese, naming the field and the years allowed', () => {
    expect(parseMonth('2026-03')).toBe('2026-03');
    expect(() => parseMonth('9999-12', 'made')).toThrow(
      expect.objectContaining({
        code: 'BAD_INPUT',
        message: '月份“9999-12”有误：请写成 2026-01 这样的年-月，年份在 2000 到 2100 之间',
        details: { field: 'made' },
      }),
    );
  });

  it.each([
    ['2026-12', 1, '2027-01'],
    ['2026-01', -1, '2025-12'],
    ['2026-03', -14, '2025-01'],
    ['2026-06', 0, '2026-06'],
  ] as const)('%s moved by %i is %s', (month, by, shifted) => {
    expect(shiftMonth(month, by)).toBe(shifted);
  });

  it('starts on the first day', () => {
    expect(monthStart('2026-12')).toBe('2026-12-01');
    expect(monthStart(shiftMonth('2026-12', 1))).toBe('2027-01-01');
  });
});
