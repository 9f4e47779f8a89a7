import { describe, expect, it } from 'vitest';
import {
  alerts,
  countFairs,
  type HeldFair,
  type KpiLine,
  type MonthlyFacts,
  scoreYear,
  type YearFacts,
} from '../src/index.ts';

/**
 * The score's two job-fair lines, from the fairs themselves: each fair judged by `judgeFair`
 * (FAIR_RULES), the qualified ones counted by `countFairs`, scored by `scoreYear` and told by `alerts`.
 */

const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

/** A day of service year 2026 (calendar year), spread over its months. */
const dayOf = (n: number) => `2026-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`;

const aiFair = (day: string, employerIds = ids(8), completedPlays = 6): HeldFair => ({
  kind: 'ai',
  day,
  employerIds,
  completedPlays,
  videosPlayed: Math.min(completedPlays, 3),
});
const onsiteFair = (day: string, employerIds = ids(12)): HeldFair => ({
  kind: 'onsite',
  day,
  employerIds,
  completedPlays: 0,
  videosPlayed: 0,
});
const aiFairs = (n: number) => Array.from({ length: n }, (_, i) => aiFair(dayOf(i)));
const onsiteFairs = (n: number) => Array.from({ length: n }, (_, i) => onsiteFair(dayOf(i)));

/** Every other line complete, so that only the fairs move the score. */
const others: Omit<YearFacts, 'aiFairs' | 'onsiteFairs'> = {
  videos: { done: 100, ai: 12 },
  coverage: { done: 12, national: 2 },
  flyers: { qualifiedIssues: 12 },
  livestreams: { job: 48, other: 12 },
};

/** The year over (2026 from 01-01, seen on 2027-01-05): the fair lines of the report of these fairs. */
function linesOf(fairs: HeldFair[]): { ai: KpiLine; onsite: KpiLine; total: number } {
  const { totals } = countFairs(fairs);
  const report = scoreYear({ ...others, ...totals }, 2026, '01-01', '2027-01-05');
  const line = (id: string) => report.lines.find((l) => l.line === id) as KpiLine;
  return { ai: line('aiFairs'), onsite: line('onsiteFairs'), total: report.total.points };
}

describe('AI数智招聘会: 0.1 point a qualified fair, up to 8', () => {
  const cases: { name: string; fairs: HeldFair[]; done: number; points: number; shortfall: number }[] = [
    { name: 'none', fairs: [], done: 0, points: 0, shortfall: 80 },
    { name: 'one', fairs: aiFairs(1), done: 1, points: 0.1, shortfall: 79 },
    { name: '79', fairs: aiFairs(79), done: 79, points: 7.9, shortfall: 1 },
    { name: '80: full points', fairs: aiFairs(80), done: 80, points: 8, shortfall: 0 },
    { name: '81: no more than 8', fairs: aiFairs(81), done: 81, points: 8, shortfall: 0 },
    {
      name: '79 and one of 5 employers: the 5 not counted',
      fairs: [...aiFairs(79), aiFair('2026-12-01', ids(5))],
      done: 79,
      points: 7.9,
      shortfall: 1,
    },
    {
      name: '79 and one of 11 employers: the 11 not counted',
      fairs: [...aiFairs(79), aiFair('2026-12-01', ids(11))],
      done: 79,
      points: 7.9,
      shortfall: 1,
    },
    {
      name: '79 and one whose screens played nothing: not counted',
      fairs: [...aiFairs(79), aiFair('2026-12-01', ids(8), 0)],
      done: 79,
      points: 7.9,
      shortfall: 1,
    },
    {
      name: 'one of 6 employers and 10 employers: both counted',
      fairs: [aiFair('2026-03-01', ids(6)), aiFair('2026-03-02', ids(10))],
      done: 2,
      points: 0.2,
      shortfall: 78,
    },
    {
      name: 'an employer listed twice counts once: 6 entries are 5 employers, not counted',
      fairs: [aiFair('2026-03-01', [...ids(5), 5])],
      done: 0,
      points: 0,
      shortfall: 80,
    },
    {
      name: 'an employer listed twice counts once: 11 entries are 10 employers, counted',
      fairs: [aiFair('2026-03-01', [...ids(10), 2])],
      done: 1,
      points: 0.1,
      shortfall: 79,
    },
  ];
  it.each(cases)('$name → $done counted, $points points', ({ fairs, done, points, shortfall }) => {
    const { ai, onsite } = linesOf(fairs);
    expect(ai).toMatchObject({ label: 'AI数智招聘会', unit: '场', target: 80, done, points, shortfall, maxPoints: 8 });
    expect(onsite.done).toBe(0);
  });
});

describe('线下招聘会: 0.5 point a qualified fair, up to 6', () => {
  const cases: { name: string; fairs: HeldFair[]; done: number; points: number; shortfall: number }[] = [
    { name: 'none', fairs: [], done: 0, points: 0, shortfall: 12 },
    { name: 'one', fairs: onsiteFairs(1), done: 1, points: 0.5, shortfall: 11 },
    { name: '11', fairs: onsiteFairs(11), done: 11, points: 5.5, shortfall: 1 },
    { name: '12: full points', fairs: onsiteFairs(12), done: 12, points: 6, shortfall: 0 },
    { name: '13: no more than 6', fairs: onsiteFairs(13), done: 13, points: 6, shortfall: 0 },
    {
      name: '11 and one of 9 employers: the 9 not counted',
      fairs: [...onsiteFairs(11), onsiteFair('2026-12-05', ids(9))],
      done: 11,
      points: 5.5,
      shortfall: 1,
    },
    {
      name: 'an employer listed twice counts once: 10 entries are 9 employers, not counted',
      fairs: [onsiteFair('2026-03-01', [...ids(9), 4])],
      done: 0,
      points: 0,
      shortfall: 12,
    },
    {
      name: 'exactly 10 employers, and 40: both counted',
      fairs: [onsiteFair('2026-03-01', ids(10)), onsiteFair('2026-04-01', ids(40))],
      done: 2,
      points: 1,
      shortfall: 10,
    },
    {
      name: 'an AI fair of 12 employers is no on-site fair',
      fairs: [aiFair('2026-03-01', ids(12))],
      done: 0,
      points: 0,
      shortfall: 12,
    },
  ];
  it.each(cases)('$name → $done counted, $points points', ({ fairs, done, points, shortfall }) => {
    const { onsite } = linesOf(fairs);
    expect(onsite).toMatchObject({
      label: '线下招聘会',
      unit: '场',
      target: 12,
      done,
      points,
      shortfall,
      maxPoints: 6,
    });
  });

  it('adds 14 points to the rest: 37 in all with 80 AI and 12 on-site fairs', () => {
    expect(linesOf([...aiFairs(80), ...onsiteFairs(12)]).total).toBe(37);
    expect(linesOf([]).total).toBe(23);
  });
});

describe('countFairs', () => {
  it('counts the qualified fairs by kind and month, months in order', () => {
    const counted = countFairs([
      onsiteFair('2026-05-20'),
      aiFair('2026-03-02'),
      aiFair('2026-03-30'),
      aiFair('2026-01-10'),
      aiFair('2026-02-10', ids(5)),
      onsiteFair('2026-01-31'),
      onsiteFair('2026-01-02', ids(3)),
    ]);
    expect(counted).toEqual({
      totals: { aiFairs: { qualified: 3 }, onsiteFairs: { qualified: 2 } },
      byMonth: {
        aiFairs: [
          { month: '2026-01', count: 1 },
          { month: '2026-03', count: 2 },
        ],
        onsiteFairs: [
          { month: '2026-01', count: 1 },
          { month: '2026-05', count: 1 },
        ],
      },
    });
  });

  it('refuses a day that is not YYYY-MM-DD', () => {
    expect(() => countFairs([aiFair('2026-3-1')])).toThrow(/"2026-3-1"/);
  });
});

describe('线下招聘会, at least one a month: an alert', () => {
  const monthly = (fairs: HeldFair[]): MonthlyFacts => ({
    videos: [],
    coverage: [],
    flyers: [{ month: '2026-07', count: 1 }],
    livestreams: [],
    ...countFairs(fairs).byMonth,
  });
  const fairAlerts = (fairs: HeldFair[], today: string, start = '01-01') => {
    const { totals } = countFairs(fairs);
    const onPace = { ...others, aiFairs: { qualified: 80 } };
    const report = scoreYear({ ...onPace, onsiteFairs: totals.onsiteFairs }, 2026, start, today);
    return alerts(report, monthly(fairs)).filter((alert) => alert.line === 'onsiteFairs');
  };
  const months = (list: string[]) => list.map((month) => onsiteFair(`${month}-15`));

  it('says nothing while every month over had one and this month has one', () => {
    const fairs = months(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07']);
    expect(fairAlerts(fairs, '2026-07-20')).toEqual([]);
  });

  it('names a month of the year over without one, though the year’s count is on pace', () => {
    // Two in March make up the count, not February.
    const fairs = months(['2026-01', '2026-03', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07']);
    expect(fairAlerts(fairs, '2026-07-20')).toEqual([
      { level: 'warn', line: 'onsiteFairs', text: '1 个月没有达标的线下招聘会（每月至少 1 场）：2026年2月' },
    ]);
  });

  it('counts only qualified fairs: a month whose only fair had 9 employers is missing', () => {
    const fairs = [
      ...months(['2026-01', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07']),
      onsiteFair('2026-02-10', ids(9)),
    ];
    expect(fairAlerts(fairs, '2026-07-20').map((alert) => alert.text)).toEqual([
      '1 个月没有达标的线下招聘会（每月至少 1 场）：2026年2月',
    ]);
    // Without the July one the count falls behind too.
    expect(fairAlerts(fairs.slice(0, 5), '2026-07-20').map((alert) => alert.text)).toEqual([
      '1 个月没有达标的线下招聘会（每月至少 1 场）：2026年2月',
      '本月尚无达标的线下招聘会',
      '距服务期结束还差 7 场线下招聘会，需每周 1 场',
    ]);
  });

  it('says so when the current month has none yet, and not for a month not yet over', () => {
    const fairs = months(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    expect(fairAlerts(fairs, '2026-07-01')).toEqual([
      { level: 'warn', line: 'onsiteFairs', text: '本月尚无达标的线下招聘会' },
    ]);
  });

  it('after the year, names every month that had none, and no current month', () => {
    const fairs = months(['2026-01', '2026-02', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09']);
    const texts = fairAlerts([...fairs, ...months(['2026-10', '2026-10', '2026-10', '2026-10'])], '2027-01-10').map(
      (alert) => alert.text,
    );
    // 12 in the year, full points, but March, November and December had none.
    expect(texts).toEqual(['3 个月没有达标的线下招聘会（每月至少 1 场）：2026年3月、2026年11月、2026年12月']);
  });

  it('with a mid-month start, the partial first month asks for none', () => {
    expect(fairAlerts([], '2026-03-20', '03-15')).toEqual([]);
    expect(fairAlerts([], '2026-04-01', '03-15')).toEqual([
      { level: 'warn', line: 'onsiteFairs', text: '本月尚无达标的线下招聘会' },
    ]);
  });
});
