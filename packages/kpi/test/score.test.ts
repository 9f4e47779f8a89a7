import { describe, expect, it } from 'vitest';
import { type KpiReport, scoreYear, type YearFacts } from '../src/index.ts';

const none: YearFacts = {
  videos: { done: 0, ai: 0 },
  coverage: { done: 0, national: 0 },
  flyers: { qualifiedIssues: 0 },
  livestreams: { job: 0, other: 0 },
  aiFairs: { qualified: 0 },
  onsiteFairs: { qualified: 0 },
};

const complete: YearFacts = {
  videos: { done: 100, ai: 12 },
  coverage: { done: 12, national: 2 },
  flyers: { qualifiedIssues: 12 },
  livestreams: { job: 48, other: 12 },
  aiFairs: { qualified: 80 },
  onsiteFairs: { qualified: 12 },
};

describe('scoreYear halfway through the leap year 2028 (share 0.5)', () => {
  const facts: YearFacts = {
    videos: { done: 40, ai: 3 },
    coverage: { done: 7, national: 1 },
    flyers: { qualifiedIssues: 5 },
    livestreams: { job: 20, other: 7 },
    aiFairs: { qualified: 30 },
    onsiteFairs: { qualified: 5 },
  };
  const report = scoreYear(facts, 2028, '01-01', '2028-07-01');

  it('is the whole report, line by line', () => {
    expect(report).toEqual<KpiReport>({
      year: 2028,
      serviceYear: { year: 2028, start: '2028-01-01', endExclusive: '2029-01-01', lastDay: '2028-12-31', days: 366 },
      today: '2028-07-01',
      elapsedShare: 0.5,
      lines: [
        {
          line: 'videos',
          label: '短视频',
          unit: '条',
          target: 100,
          done: 40,
          expectedByToday: 50,
          projected: 80,
          shortfall: 60,
          points: 0,
          maxPoints: 8,
          pointsIfProjected: 4,
          subTargets: [{ id: 'ai', label: 'AI 视频', target: 12, done: 3, expectedByToday: 6, projected: 6 }],
        },
        {
          line: 'coverage',
          label: '媒体宣传',
          unit: '篇',
          target: 12,
          done: 7,
          expectedByToday: 6,
          projected: 14,
          shortfall: 5,
          points: 1,
          maxPoints: 6,
          pointsIfProjected: 6,
          subTargets: [{ id: 'national', label: '国家级或部级', target: 2, done: 1, expectedByToday: 1, projected: 2 }],
        },
        {
          line: 'flyers',
          label: '招工小报',
          unit: '期',
          target: 12,
          done: 5,
          expectedByToday: 6,
          projected: 10,
          shortfall: 7,
          points: 0,
          maxPoints: 3,
          pointsIfProjected: 2,
          subTargets: [],
        },
        {
          line: 'livestreams',
          label: '直播',
          unit: '场',
          target: 60,
          done: 27,
          expectedByToday: 30,
          projected: 54,
          shortfall: 33,
          points: 2.7,
          maxPoints: 6,
          pointsIfProjected: 5.2,
          subTargets: [
            { id: 'job', label: '直播带岗', target: 48, done: 20, expectedByToday: 24, projected: 40 },
            { id: 'other', label: '其他直播', target: 12, done: 7, expectedByToday: 6, projected: 14 },
          ],
        },
        {
          line: 'aiFairs',
          label: 'AI数智招聘会',
          unit: '场',
          target: 80,
          done: 30,
          expectedByToday: 40,
          projected: 60,
          shortfall: 50,
          points: 3,
          maxPoints: 8,
          pointsIfProjected: 6,
          subTargets: [],
        },
        {
          // One a month: January to June are over, so 6 are due.
          line: 'onsiteFairs',
          label: '线下招聘会',
          unit: '场',
          target: 12,
          done: 5,
          expectedByToday: 6,
          projected: 10,
          shortfall: 7,
          points: 2.5,
          maxPoints: 6,
          pointsIfProjected: 5,
          subTargets: [],
        },
      ],
      total: { points: 9.2, maxPoints: 37, pointsIfProjected: 28.2 },
    });
  });
});

describe('scoreYear pace through the year (2026 from 01-01, 365 days)', () => {
  const facts: YearFacts = {
    videos: { done: 1, ai: 1 },
    coverage: { done: 1, national: 0 },
    flyers: { qualifiedIssues: 1 },
    livestreams: { job: 1, other: 0 },
    aiFairs: { qualified: 1 },
    onsiteFairs: { qualified: 1 },
  };
  const cases: {
    today: string;
    expected: number[];
    projected: number[];
    subExpected: [number, number, number, number];
  }[] = [
    // expectedByToday and projected for videos, coverage, flyers, livestreams, AI fairs, on-site fairs;
    // sub-targets ai, national, job, other. Flyers and on-site fairs are paced by the month: the months
    // over before today (January's issue and fair are due on 02-01).
    {
      today: '2025-12-31',
      expected: [0, 0, 0, 0, 0, 0],
      projected: [0, 0, 0, 0, 0, 0],
      subExpected: [0, 0, 0, 0],
    },
    {
      today: '2026-01-01',
      expected: [0.3, 0, 0, 0.2, 0.2, 0],
      projected: [365, 365, 12, 365, 365, 365],
      subExpected: [0, 0, 0.1, 0],
    },
    {
      today: '2026-01-31',
      expected: [8.5, 1, 0, 5.1, 6.8, 0],
      projected: [12, 12, 12, 12, 12, 12],
      subExpected: [1, 0.2, 4.1, 1],
    },
    {
      today: '2026-02-01',
      expected: [8.8, 1.1, 1, 5.3, 7, 1],
      projected: [11, 11, 11, 11, 11, 11],
      subExpected: [1.1, 0.2, 4.2, 1.1],
    },
    {
      today: '2026-07-02',
      expected: [50.1, 6, 6, 30.1, 40.1, 6],
      projected: [2, 2, 2, 2, 2, 2],
      subExpected: [6, 1, 24.1, 6],
    },
    {
      today: '2026-12-31',
      expected: [100, 12, 11, 60, 80, 11],
      projected: [1, 1, 1, 1, 1, 1],
      subExpected: [12, 2, 48, 12],
    },
    {
      today: '2027-03-01',
      expected: [100, 12, 12, 60, 80, 12],
      projected: [1, 1, 1, 1, 1, 1],
      subExpected: [12, 2, 48, 12],
    },
  ];
  it.each(cases)('on $today', ({ today, expected, projected, subExpected }) => {
    const report = scoreYear(facts, 2026, '01-01', today);
    expect(report.lines.map((l) => l.expectedByToday)).toEqual(expected);
    expect(report.lines.map((l) => l.projected)).toEqual(projected);
    expect(report.lines.flatMap((l) => l.subTargets.map((s) => s.expectedByToday))).toEqual(subExpected);
  });

  it('projects sub-targets too, and scores what it projects', () => {
    const report = scoreYear(
      {
        videos: { done: 30, ai: 2 },
        coverage: { done: 4, national: 1 },
        flyers: { qualifiedIssues: 3 },
        livestreams: { job: 10, other: 4 },
        aiFairs: { qualified: 20 },
        onsiteFairs: { qualified: 3 },
      },
      2026,
      '01-01',
      '2026-04-01', // day 91 of 365
    );
    expect(report.elapsedShare).toBe(91 / 365);
    expect(report.lines.map((l) => [l.projected, l.subTargets.map((s) => s.projected)])).toEqual([
      [120, [8]],
      [16, [4]],
      [12, []],
      [56, [40, 16]],
      [80, []],
      [12, []],
    ]);
    expect(report.lines.map((l) => [l.points, l.pointsIfProjected])).toEqual([
      [0, 7.2],
      [0, 6],
      [0, 3],
      [1.4, 5.2],
      [2, 8],
      [1.5, 6],
    ]);
    expect(report.total).toEqual({ points: 4.9, maxPoints: 37, pointsIfProjected: 35.4 });
  });
});

describe('scoreYear flyers pace by the month (one issue each month, due by its end)', () => {
  const withFlyers = (qualifiedIssues: number): YearFacts => ({ ...complete, flyers: { qualifiedIssues } });
  const cases: { name: string; start: string; today: string; issues: number; expected: number; projected: number }[] = [
    {
      name: 'day 2 of the year, none yet: nothing due',
      start: '01-01',
      today: '2026-01-02',
      issues: 0,
      expected: 0,
      projected: 0,
    },
    { name: 'last day of the first month', start: '01-01', today: '2026-01-31', issues: 0, expected: 0, projected: 0 },
    {
      name: '1st day of the 4th month, 2 issues',
      start: '01-01',
      today: '2026-04-01',
      issues: 2,
      expected: 3,
      projected: 8,
    },
    {
      name: '1st day of the 4th month from 03-01',
      start: '03-01',
      today: '2026-06-01',
      issues: 3,
      expected: 3,
      projected: 12,
    },
    {
      name: 'mid-month start, partial first month',
      start: '07-15',
      today: '2026-07-31',
      issues: 0,
      expected: 0,
      projected: 0,
    },
    {
      name: 'mid-month start: the partial July is no flyer month',
      start: '07-15',
      today: '2026-08-01',
      issues: 0,
      expected: 0,
      projected: 0,
    },
    {
      name: 'mid-month start: August is the first',
      start: '07-15',
      today: '2026-09-01',
      issues: 1,
      expected: 1,
      projected: 7,
    },
    {
      name: 'mid-month start, in the partial last month',
      start: '07-15',
      today: '2027-07-14',
      issues: 11,
      expected: 11,
      projected: 11,
    },
    {
      name: 'mid-month start, the day after the year: all 12 due',
      start: '07-15',
      today: '2027-07-15',
      issues: 11,
      expected: 12,
      projected: 11,
    },
    { name: 'before the year', start: '07-15', today: '2026-07-14', issues: 0, expected: 0, projected: 0 },
  ];
  it.each(cases)('$name: $today', ({ start, today, issues, expected, projected }) => {
    const flyers = scoreYear(withFlyers(issues), 2026, start, today).lines.find((l) => l.line === 'flyers');
    expect(flyers?.expectedByToday).toBe(expected);
    expect(flyers?.projected).toBe(projected);
  });

  it('leaves the other lines on the day-based pace, but on-site fairs, which go by the month too', () => {
    const report = scoreYear(withFlyers(2), 2026, '01-01', '2026-04-01'); // day 91 of 365
    expect(report.lines.map((l) => l.expectedByToday)).toEqual([24.9, 3, 3, 15, 19.9, 3]);
  });
});

describe('scoreYear totals', () => {
  const cases: { name: string; facts: YearFacts; points: number; pointsIfProjected: number }[] = [
    { name: 'nothing done', facts: none, points: 0, pointsIfProjected: 0 },
    { name: 'every target met', facts: complete, points: 37, pointsIfProjected: 37 },
    {
      name: 'every target passed',
      facts: {
        videos: { done: 140, ai: 30 },
        coverage: { done: 25, national: 4 },
        flyers: { qualifiedIssues: 12 },
        livestreams: { job: 60, other: 20 },
        aiFairs: { qualified: 95 },
        onsiteFairs: { qualified: 20 },
      },
      points: 37,
      pointsIfProjected: 37,
    },
    {
      name: 'a bit short everywhere',
      facts: {
        videos: { done: 97, ai: 12 },
        coverage: { done: 11, national: 2 },
        flyers: { qualifiedIssues: 11 },
        livestreams: { job: 50, other: 3 },
        aiFairs: { qualified: 79 },
        onsiteFairs: { qualified: 11 },
      },
      points: 33.4,
      pointsIfProjected: 33.4,
    },
    {
      name: 'many videos none AI, many reports none national, only job livestreams',
      facts: {
        videos: { done: 100, ai: 0 },
        coverage: { done: 12, national: 0 },
        flyers: { qualifiedIssues: 9 },
        livestreams: { job: 100, other: 0 },
        aiFairs: { qualified: 0 },
        onsiteFairs: { qualified: 0 },
      },
      points: 15.9,
      pointsIfProjected: 15.9,
    },
  ];
  it.each(cases)('$name (year over: projected = done)', ({ facts, points, pointsIfProjected }) => {
    const report = scoreYear(facts, 2026, '01-01', '2027-01-10');
    expect(report.elapsedShare).toBe(1);
    expect(report.total).toEqual({ points, maxPoints: 37, pointsIfProjected });
    expect(report.lines.map((l) => l.projected)).toEqual(report.lines.map((l) => l.done));
  });

  it('scores the same on any day of the year: points depend on the counts only', () => {
    const days = ['2026-01-01', '2026-06-15', '2026-12-31'];
    const totals = days.map((today) => scoreYear(complete, 2026, '01-01', today).total.points);
    expect(totals).toEqual([37, 37, 37]);
  });

  it('refuses a bad start or today, and impossible counts', () => {
    expect(() => scoreYear(complete, 2026, '02-29', '2026-05-01')).toThrow(/02-29/);
    expect(() => scoreYear(complete, 2026, '01-01', '2026-13-01')).toThrow(/"2026-13-01"/);
    expect(() => scoreYear({ ...complete, videos: { done: 5, ai: 6 } }, 2026, '01-01', '2026-05-01')).toThrow(
      /videos\.ai/,
    );
  });
});
