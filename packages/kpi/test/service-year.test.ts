import { describe, expect, it } from 'vitest';
import {
  daysLeft,
  elapsedShare,
  flyerMonthsEnded,
  flyerMonthsLeft,
  flyerMonthsOf,
  monthsOf,
  type ServiceYear,
  serviceYear,
} from '../src/index.ts';

describe('serviceYear', () => {
  const cases: { year: number; start: string; expected: ServiceYear }[] = [
    {
      year: 2026,
      start: '01-01',
      expected: { year: 2026, start: '2026-01-01', endExclusive: '2027-01-01', lastDay: '2026-12-31', days: 365 },
    },
    {
      year: 2026,
      start: '03-01',
      expected: { year: 2026, start: '2026-03-01', endExclusive: '2027-03-01', lastDay: '2027-02-28', days: 365 },
    },
    {
      year: 2026,
      start: '07-15',
      expected: { year: 2026, start: '2026-07-15', endExclusive: '2027-07-15', lastDay: '2027-07-14', days: 365 },
    },
    {
      year: 2028,
      start: '01-01',
      expected: { year: 2028, start: '2028-01-01', endExclusive: '2029-01-01', lastDay: '2028-12-31', days: 366 },
    },
    {
      year: 2027,
      start: '03-01',
      expected: { year: 2027, start: '2027-03-01', endExclusive: '2028-03-01', lastDay: '2028-02-29', days: 366 },
    },
    {
      year: 2028,
      start: '03-01',
      expected: { year: 2028, start: '2028-03-01', endExclusive: '2029-03-01', lastDay: '2029-02-28', days: 365 },
    },
    {
      year: 2028,
      start: '02-28',
      expected: { year: 2028, start: '2028-02-28', endExclusive: '2029-02-28', lastDay: '2029-02-27', days: 366 },
    },
    {
      year: 2027,
      start: '12-31',
      expected: { year: 2027, start: '2027-12-31', endExclusive: '2028-12-31', lastDay: '2028-12-30', days: 366 },
    },
  ];
  it.each(cases)('$year from $start', ({ year, start, expected }) => {
    expect(serviceYear(year, start)).toEqual(expected);
  });

  it('starts on 01-01 by default', () => {
    expect(serviceYear(2026)).toEqual(serviceYear(2026, '01-01'));
  });

  it('refuses 02-29 with a clear reason', () => {
    expect(() => serviceYear(2028, '02-29')).toThrow(/02-29 is not allowed/);
  });

  it.each(['2-1', '0301', '', '03-01 ', '13-01', '00-10', '04-31', '02-30', '01-00', 'ab-cd'])(
    'refuses %j, naming it',
    (value) => {
      expect(() => serviceYear(2026, value)).toThrow(JSON.stringify(value));
    },
  );

  it.each([2026.5, Number.NaN, 99, 10000])('refuses the year %s', (year) => {
    expect(() => serviceYear(year, '01-01')).toThrow(/whole year/);
  });
});

describe('elapsedShare (today counted as elapsed)', () => {
  const cases: { year: number; start: string; today: string; share: number }[] = [
    { year: 2026, start: '01-01', today: '2025-12-31', share: 0 },
    { year: 2026, start: '01-01', today: '2020-06-01', share: 0 },
    { year: 2026, start: '01-01', today: '2026-01-01', share: 1 / 365 },
    { year: 2026, start: '01-01', today: '2026-01-02', share: 2 / 365 },
    { year: 2026, start: '01-01', today: '2026-07-02', share: 183 / 365 },
    { year: 2026, start: '01-01', today: '2026-12-30', share: 364 / 365 },
    { year: 2026, start: '01-01', today: '2026-12-31', share: 1 },
    { year: 2026, start: '01-01', today: '2027-01-01', share: 1 },
    { year: 2026, start: '01-01', today: '2031-05-05', share: 1 },
    { year: 2026, start: '03-01', today: '2026-02-28', share: 0 },
    { year: 2026, start: '03-01', today: '2026-03-01', share: 1 / 365 },
    { year: 2026, start: '03-01', today: '2026-12-31', share: 306 / 365 },
    { year: 2026, start: '03-01', today: '2027-02-28', share: 1 },
    { year: 2028, start: '01-01', today: '2028-01-01', share: 1 / 366 },
    { year: 2028, start: '01-01', today: '2028-02-29', share: 60 / 366 },
    { year: 2028, start: '01-01', today: '2028-07-01', share: 0.5 },
    { year: 2028, start: '01-01', today: '2028-12-31', share: 1 },
  ];
  it.each(cases)('$year from $start on $today', ({ year, start, today, share }) => {
    expect(elapsedShare(serviceYear(year, start), today)).toBe(share);
  });

  it.each(['2026-02-30', '2026/01/01', '26-01-01', ''])('refuses today = %j', (today) => {
    expect(() => elapsedShare(serviceYear(2026, '01-01'), today)).toThrow(JSON.stringify(today));
  });
});

describe('daysLeft (today included)', () => {
  const sy = serviceYear(2026, '01-01');
  it.each([
    { today: '2025-11-01', left: 365 },
    { today: '2026-01-01', left: 365 },
    { today: '2026-10-15', left: 78 },
    { today: '2026-12-31', left: 1 },
    { today: '2027-01-01', left: 0 },
  ])('$today → $left', ({ today, left }) => {
    expect(daysLeft(sy, today)).toBe(left);
  });
});

describe('monthsOf', () => {
  it('lists the 12 months of a year starting on the 1st', () => {
    expect(monthsOf(serviceYear(2026, '01-01'))).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    expect(monthsOf(serviceYear(2026, '03-01'))).toEqual([
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
  });

  it('lists 13 months, both partial ends included, for a mid-month start', () => {
    const months = monthsOf(serviceYear(2026, '07-15'));
    expect(months).toHaveLength(13);
    expect([months[0], months[5], months[6], months[12]]).toEqual(['2026-07', '2026-12', '2027-01', '2027-07']);
  });
});

describe('flyerMonthsOf', () => {
  it('is every month of a year starting on the 1st', () => {
    for (const start of ['01-01', '03-01']) {
      const sy = serviceYear(2026, start);
      expect(flyerMonthsOf(sy)).toEqual(monthsOf(sy));
    }
  });

  it('leaves out the partial first month of a mid-month start and keeps the partial last one', () => {
    const months = flyerMonthsOf(serviceYear(2026, '07-15'));
    expect(months).toHaveLength(12);
    expect([months[0], months[11]]).toEqual(['2026-08', '2027-07']);
  });
});

describe('flyerMonthsEnded / flyerMonthsLeft (months over before today / not yet over, the current one included)', () => {
  const cases: { start: string; today: string; ended: number }[] = [
    { start: '01-01', today: '2025-12-31', ended: 0 },
    { start: '01-01', today: '2026-01-01', ended: 0 },
    { start: '01-01', today: '2026-01-02', ended: 0 },
    { start: '01-01', today: '2026-01-31', ended: 0 },
    { start: '01-01', today: '2026-02-01', ended: 1 },
    { start: '01-01', today: '2026-03-01', ended: 2 },
    { start: '01-01', today: '2026-04-01', ended: 3 },
    { start: '01-01', today: '2026-12-31', ended: 11 },
    { start: '01-01', today: '2027-01-01', ended: 12 },
    { start: '01-01', today: '2030-06-01', ended: 12 },
    { start: '03-01', today: '2026-06-01', ended: 3 },
    { start: '03-01', today: '2027-02-28', ended: 11 },
    { start: '03-01', today: '2027-03-01', ended: 12 },
    { start: '07-15', today: '2026-07-15', ended: 0 },
    { start: '07-15', today: '2026-08-01', ended: 0 },
    { start: '07-15', today: '2026-09-01', ended: 1 },
    { start: '07-15', today: '2027-07-01', ended: 11 },
    // the partial last month ends with the year
    { start: '07-15', today: '2027-07-14', ended: 11 },
    { start: '07-15', today: '2027-07-15', ended: 12 },
  ];
  it.each(cases)('from $start on $today: $ended over', ({ start, today, ended }) => {
    const sy = serviceYear(2026, start);
    expect(flyerMonthsEnded(sy, today)).toBe(ended);
    expect(flyerMonthsLeft(sy, today)).toBe(12 - ended);
  });

  it('refuses a bad today', () => {
    expect(() => flyerMonthsEnded(serviceYear(2026, '01-01'), '2026-02-30')).toThrow('"2026-02-30"');
  });
});
