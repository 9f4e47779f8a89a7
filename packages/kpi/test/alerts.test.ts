import { describe, expect, it } from 'vitest';
import { type Alert, alerts, type MonthCount, type MonthlyFacts, scoreYear, type YearFacts } from '../src/index.ts';

/** A qualified 线下招聘会 in every month of 2025 to 2028, so that the cases about the other lines hear nothing of it. */
const fairEveryMonth: MonthCount[] = [2025, 2026, 2027, 2028].flatMap((year) =>
  Array.from({ length: 12 }, (_, i) => ({ month: `${year}-${String(i + 1).padStart(2, '0')}`, count: 1 })),
);
/** Nothing month by month but the on-site fairs. */
const noMonths: MonthlyFacts = {
  videos: [],
  coverage: [],
  flyers: [],
  livestreams: [],
  aiFairs: [],
  onsiteFairs: fairEveryMonth,
};
const withFlyer = (month: string): MonthlyFacts => ({ ...noMonths, flyers: [{ month, count: 1 }] });

/** Exactly on pace halfway through 2028 (share 0.5): every count equals its expected count. */
const onPace2028: YearFacts = {
  videos: { done: 50, ai: 6 },
  coverage: { done: 6, national: 1 },
  flyers: { qualifiedIssues: 6 },
  livestreams: { job: 24, other: 6 },
  aiFairs: { qualified: 40 },
  onsiteFairs: { qualified: 6 },
};

const complete: YearFacts = {
  videos: { done: 100, ai: 12 },
  coverage: { done: 12, national: 2 },
  flyers: { qualifiedIssues: 12 },
  livestreams: { job: 48, other: 12 },
  aiFairs: { qualified: 80 },
  onsiteFairs: { qualified: 12 },
};

describe('alerts', () => {
  const cases: {
    name: string;
    facts: YearFacts;
    year: number;
    start: string;
    today: string;
    monthly: MonthlyFacts;
    expected: Alert[];
  }[] = [
    {
      name: 'everything on pace: one info',
      facts: onPace2028,
      year: 2028,
      start: '01-01',
      today: '2028-07-01',
      monthly: withFlyer('2028-07'),
      expected: [{ level: 'info', line: null, text: '各项指标均按进度完成' }],
    },
    {
      name: 'on pace but no flyer this month yet',
      facts: onPace2028,
      year: 2028,
      start: '01-01',
      today: '2028-07-01',
      monthly: { ...noMonths, flyers: [{ month: '2028-06', count: 1 }] },
      expected: [{ level: 'warn', line: 'flyers', text: '本月尚无招工小报' }],
    },
    {
      name: 'a month listed with count 0 is no flyer',
      facts: onPace2028,
      year: 2028,
      start: '01-01',
      today: '2028-07-01',
      monthly: { ...noMonths, flyers: [{ month: '2028-07', count: 0 }] },
      expected: [{ level: 'warn', line: 'flyers', text: '本月尚无招工小报' }],
    },
    {
      name: 'behind on every line and sub-target (184 days = 27 weeks left)',
      facts: {
        videos: { done: 40, ai: 3 },
        coverage: { done: 1, national: 0 },
        flyers: { qualifiedIssues: 5 },
        livestreams: { job: 20, other: 7 },
        aiFairs: { qualified: 10 },
        onsiteFairs: { qualified: 3 },
      },
      year: 2028,
      start: '01-01',
      today: '2028-07-01',
      monthly: {
        ...noMonths,
        onsiteFairs: [
          { month: '2028-01', count: 1 },
          { month: '2028-03', count: 1 },
          { month: '2028-04', count: 1 },
        ],
      },
      expected: [
        { level: 'warn', line: 'videos', text: '距服务期结束还差 60 条短视频，需每周 3 条' },
        { level: 'warn', line: 'videos', text: 'AI 视频还差 9 条（至少 12 条）' },
        { level: 'warn', line: 'coverage', text: '距服务期结束还差 11 篇媒体宣传，需每周 1 篇' },
        { level: 'warn', line: 'coverage', text: '国家级或部级还差 2 篇（至少 2 篇）' },
        { level: 'warn', line: 'flyers', text: '本月尚无招工小报' },
        {
          level: 'warn',
          line: 'flyers',
          text: '招工小报落后进度：还差 7 期，本服务期还剩 6 个月（含本月），已无法全部补齐',
        },
        { level: 'warn', line: 'livestreams', text: '距服务期结束还差 33 场直播，需每周 2 场' },
        { level: 'warn', line: 'livestreams', text: '直播带岗还差 28 场（至少 48 场）' },
        { level: 'warn', line: 'aiFairs', text: '距服务期结束还差 70 场AI数智招聘会，需每周 3 场' },
        {
          level: 'warn',
          line: 'onsiteFairs',
          text: '3 个月没有达标的线下招聘会（每月至少 1 场）：2028年2月、2028年5月、2028年6月',
        },
        { level: 'warn', line: 'onsiteFairs', text: '本月尚无达标的线下招聘会' },
        { level: 'warn', line: 'onsiteFairs', text: '距服务期结束还差 9 场线下招聘会，需每周 1 场' },
      ],
    },
    {
      name: '38 videos short with 78 days (12 weeks) left: 4 a week',
      facts: { ...complete, videos: { done: 62, ai: 12 } },
      year: 2026,
      start: '01-01',
      today: '2026-10-15',
      monthly: withFlyer('2026-10'),
      expected: [{ level: 'warn', line: 'videos', text: '距服务期结束还差 38 条短视频，需每周 4 条' }],
    },
    {
      name: 'the videos line counts the AI shortfall: 95 videos, 5 AI are 7 short',
      facts: { ...complete, videos: { done: 95, ai: 5 } },
      year: 2026,
      start: '01-01',
      today: '2026-12-20',
      monthly: withFlyer('2026-12'),
      expected: [
        { level: 'warn', line: 'videos', text: '距服务期结束还差 7 条短视频，需每周 4 条' },
        { level: 'warn', line: 'videos', text: 'AI 视频还差 7 条（至少 12 条）' },
      ],
    },
    {
      name: 'only the sub-target behind: 100 videos, 8 AI late in the year',
      facts: { ...complete, videos: { done: 100, ai: 8 } },
      year: 2026,
      start: '01-01',
      today: '2026-12-01',
      monthly: withFlyer('2026-12'),
      expected: [{ level: 'warn', line: 'videos', text: 'AI 视频还差 4 条（至少 12 条）' }],
    },
    {
      name: 'livestreams: other behind its 12 while the job ones are ahead',
      facts: { ...complete, livestreams: { job: 48, other: 2 } },
      year: 2026,
      start: '01-01',
      today: '2026-10-01',
      monthly: withFlyer('2026-10'),
      expected: [{ level: 'warn', line: 'livestreams', text: '其他直播还差 10 场（至少 12 场）' }],
    },
    {
      name: 'on the last day: at least one week left, so the whole shortfall this week',
      facts: { ...complete, videos: { done: 90, ai: 12 }, livestreams: { job: 30, other: 10 } },
      year: 2026,
      start: '01-01',
      today: '2026-12-31',
      monthly: withFlyer('2026-12'),
      expected: [
        { level: 'warn', line: 'videos', text: '距服务期结束还差 10 条短视频，需每周 10 条' },
        { level: 'warn', line: 'livestreams', text: '距服务期结束还差 20 场直播，需每周 20 场' },
        { level: 'warn', line: 'livestreams', text: '直播带岗还差 18 场（至少 48 场）' },
        { level: 'warn', line: 'livestreams', text: '其他直播还差 2 场（至少 12 场）' },
      ],
    },
    {
      name: 'year over: what is missing, no weekly rates, no flyer-this-month, and the year said once',
      facts: {
        videos: { done: 100, ai: 0 },
        coverage: { done: 10, national: 2 },
        flyers: { qualifiedIssues: 12 },
        livestreams: { job: 48, other: 12 },
        aiFairs: { qualified: 80 },
        onsiteFairs: { qualified: 12 },
      },
      year: 2026,
      start: '01-01',
      today: '2027-01-05',
      monthly: noMonths,
      expected: [
        { level: 'warn', line: 'videos', text: 'AI 视频差 12 条未完成（至少 12 条）' },
        { level: 'warn', line: 'coverage', text: '服务期内媒体宣传差 2 篇未完成（目标 12 篇）' },
        { level: 'info', line: null, text: '服务期已结束（2026-01-01 至 2026-12-31），共得 32.6 分（满分 37 分）' },
      ],
    },
    {
      name: 'year over with everything done: only the info',
      facts: complete,
      year: 2026,
      start: '03-01',
      today: '2027-03-01',
      monthly: noMonths,
      expected: [
        { level: 'info', line: null, text: '服务期已结束（2026-03-01 至 2027-02-28），共得 37 分（满分 37 分）' },
      ],
    },
    {
      name: 'year not begun',
      facts: {
        videos: { done: 0, ai: 0 },
        coverage: { done: 0, national: 0 },
        flyers: { qualifiedIssues: 0 },
        livestreams: { job: 0, other: 0 },
        aiFairs: { qualified: 0 },
        onsiteFairs: { qualified: 0 },
      },
      year: 2026,
      start: '03-01',
      today: '2026-02-20',
      monthly: noMonths,
      expected: [{ level: 'info', line: null, text: '服务期尚未开始（2026-03-01 起）' }],
    },
    {
      name: 'mid-month start: the partial first month has no issue of its own, so no flyer-this-month warning',
      facts: {
        videos: { done: 2, ai: 1 },
        coverage: { done: 1, national: 1 },
        flyers: { qualifiedIssues: 0 },
        livestreams: { job: 1, other: 1 },
        aiFairs: { qualified: 1 },
        onsiteFairs: { qualified: 0 },
      },
      year: 2026,
      start: '03-15',
      today: '2026-03-16',
      monthly: noMonths,
      // flyers are paced by the month: no flyer month has ended, so none is due yet
      expected: [{ level: 'info', line: null, text: '各项指标均按进度完成' }],
    },
    {
      name: 'mid-month start: the partial last month does have an issue (11 months over, 11 issues: on pace)',
      facts: { ...complete, flyers: { qualifiedIssues: 11 } },
      year: 2026,
      start: '03-15',
      today: '2027-03-10',
      monthly: noMonths,
      expected: [{ level: 'warn', line: 'flyers', text: '本月尚无招工小报' }],
    },
    {
      name: 'day 2 of the year with no flyer: this month has none yet, but none is due',
      facts: { ...complete, flyers: { qualifiedIssues: 0 } },
      year: 2026,
      start: '01-01',
      today: '2026-01-02',
      monthly: noMonths,
      expected: [{ level: 'warn', line: 'flyers', text: '本月尚无招工小报' }],
    },
    {
      name: '1st day of the 4th month with 2 issues: 3 due, behind, with the months left',
      facts: { ...complete, flyers: { qualifiedIssues: 2 } },
      year: 2026,
      start: '03-01',
      today: '2026-06-01',
      monthly: withFlyer('2026-06'),
      expected: [
        {
          level: 'warn',
          line: 'flyers',
          text: '招工小报落后进度：还差 10 期，本服务期还剩 9 个月（含本月），已无法全部补齐',
        },
      ],
    },
    {
      name: '07-15 start, in the partial first month: no flyer month, nothing due',
      facts: { ...complete, flyers: { qualifiedIssues: 0 } },
      year: 2026,
      start: '07-15',
      today: '2026-07-31',
      monthly: noMonths,
      expected: [{ level: 'info', line: null, text: '各项指标均按进度完成' }],
    },
    {
      name: '07-15 start, 1st of August: the first flyer month has begun, still nothing due',
      facts: { ...complete, flyers: { qualifiedIssues: 0 } },
      year: 2026,
      start: '07-15',
      today: '2026-08-01',
      monthly: noMonths,
      expected: [{ level: 'warn', line: 'flyers', text: '本月尚无招工小报' }],
    },
    {
      name: '07-15 start, 1st of September with no issue: August was due',
      facts: { ...complete, flyers: { qualifiedIssues: 0 } },
      year: 2026,
      start: '07-15',
      today: '2026-09-01',
      monthly: noMonths,
      expected: [
        { level: 'warn', line: 'flyers', text: '本月尚无招工小报' },
        {
          level: 'warn',
          line: 'flyers',
          text: '招工小报落后进度：还差 12 期，本服务期还剩 11 个月（含本月），已无法全部补齐',
        },
      ],
    },
    {
      name: '07-15 start, in the partial last month with 10 issues: 1 month left',
      facts: { ...complete, flyers: { qualifiedIssues: 10 } },
      year: 2026,
      start: '07-15',
      today: '2027-07-10',
      monthly: withFlyer('2027-07'),
      expected: [
        {
          level: 'warn',
          line: 'flyers',
          text: '招工小报落后进度：还差 2 期，本服务期还剩 1 个月（含本月），已无法全部补齐',
        },
      ],
    },
    {
      name: '07-15 start, year over with 11 issues: the partial last month was due by the year end',
      facts: { ...complete, flyers: { qualifiedIssues: 11 } },
      year: 2026,
      start: '07-15',
      today: '2027-07-20',
      monthly: noMonths,
      expected: [
        { level: 'warn', line: 'flyers', text: '服务期内招工小报差 1 期未完成（目标 12 期）' },
        { level: 'info', line: null, text: '服务期已结束（2026-07-15 至 2027-07-14），共得 36.5 分（满分 37 分）' },
      ],
    },
  ];

  it.each(cases)('$name', ({ facts, year, start, today, monthly, expected }) => {
    expect(alerts(scoreYear(facts, year, start, today), monthly)).toEqual(expected);
  });
});
