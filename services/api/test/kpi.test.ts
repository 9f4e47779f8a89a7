import { randomBytes } from 'node:crypto';
import { type UserRole, userRoles } from '@jobcast/core';
import {
  type Database,
  markFlyerPrinted,
  recordCoverage,
  recordPublication,
  requestFlyerIssue,
  type Site,
} from '@jobcast/db';
import { insertTestFair } from '@jobcast/db/testing';
import type { KpiView } from '@jobcast/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import { type ApiFixture, addSiteWithStaff, body, openFixture, type SiteStaff } from './fixture.ts';

let fx: ApiFixture;
let other: SiteStaff;

let urls = 0;
const nextUrl = () => `https://www.douyin.com/video/${++urls}-${randomBytes(3).toString('hex')}`;

async function video(db: Database, site: Site, publishedOn: string, aiVideo = false) {
  await recordPublication(db, {
    siteId: site.id,
    platform: 'douyin',
    url: nextUrl(),
    publishedOn,
    title: '招聘快讯',
    aiVideo,
    aiTool: aiVideo ? '剪映 AI 配音' : null,
  });
}

async function report(db: Database, site: Site, publishedOn: string, level: 'national' | 'provincial') {
  await recordCoverage(db, {
    siteId: site.id,
    outlet: '中国劳动保障报',
    level,
    url: nextUrl(),
    publishedOn,
    title: '就业服务',
  });
}

async function flyer(db: Database, site: Site, month: string, copies: number | null) {
  const issue = await requestFlyerIssue(db, { siteId: site.id, month });
  if (copies !== null) await markFlyerPrinted(db, site.id, issue.id, { copies, date: `${month}-05` });
}

/** A finished livestream as the stream service leaves it; `startedAt` is an instant with its offset. */
async function session(db: Database, site: Site, type: string, startedAt: string, qualified: boolean) {
  await db.$client.query(
    `insert into live_sessions (site_id, type, title, anchor_name, slot_start, slot_end, status, stream_key_hash,
                                overlay_token, started_at, ended_at, qualified)
     values ($1, $2, '直播', '主播', $3, $3::timestamptz + interval '2 hours', 'ended', $4, $5, $3,
             $3::timestamptz + interval '90 minutes', $6)`,
    [site.id, type, startedAt, randomBytes(16).toString('hex'), randomBytes(16).toString('hex'), qualified],
  );
}

async function kpi(query = '', role: UserRole = 'manager', staff: { tokens: Record<UserRole, string> } = fx) {
  return fx.app().request(`/api/kpi${query}`, { headers: { Authorization: `Bearer ${staff.tokens[role]}` } });
}

async function kpiOf(query: string, staff: { tokens: Record<UserRole, string> } = fx): Promise<KpiView> {
  const response = await kpi(query, 'manager', staff);
  expect(response.status).toBe(200);
  return body<KpiView>(response);
}

/** Today in Shanghai, computed here rather than by the code under test. */
function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  fx = await openFixture();
  other = await addSiteWithStaff(fx.db);
  const { db, site } = fx;
  // The contract's year runs from 1 March: service year 2024 is 2024-03-01 .. 2025-02-28.
  await db.$client.query(`update sites set service_year_start = '03-01' where id = $1`, [site.id]);

  // 96 videos in the year, 12 of them AI, from its first day to its last.
  await video(db, site, '2024-03-01', true);
  await video(db, site, '2025-02-28', true);
  for (let i = 0; i < 10; i++) await video(db, site, '2024-05-20', true);
  for (let i = 0; i < 84; i++) await video(db, site, `2024-${String(6 + (i % 7)).padStart(2, '0')}-10`);
  // The day before and the day after the year, and another site's video on a day inside it.
  await video(db, site, '2024-02-29', true);
  await video(db, site, '2025-03-01', true);
  await video(db, other.site, '2024-06-01');

  // 10 reports, 2 national; one outside the year, one of the other site.
  await report(db, site, '2024-04-10', 'national');
  await report(db, site, '2025-01-15', 'national');
  for (let i = 0; i < 8; i++) await report(db, site, '2024-09-01', 'provincial');
  await report(db, site, '2025-03-02', 'national');
  await report(db, other.site, '2024-09-01', 'national');

  // Issues of 2024-03 .. 2025-02 printed in 1000 copies or more, except April (999) and January (not printed);
  // February 2024 and March 2025 are outside the year.
  // Made first: issue numbers follow the months, and none comes before the first issue.
  await flyer(db, site, '2024-02', 1000);
  for (const month of ['2024-03', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10']) {
    await flyer(db, site, month, 1000);
  }
  await flyer(db, site, '2024-11', 5000);
  await flyer(db, site, '2024-12', 1200);
  await flyer(db, site, '2025-02', 1000);
  await flyer(db, site, '2024-04', 999);
  await flyer(db, site, '2025-01', null);
  await flyer(db, site, '2025-03', 1000);
  await flyer(db, other.site, '2024-08', 1000);

  // Qualified livestreams on the year's first and last days in Shanghai (still the previous and the
  // next day in UTC), one that did not qualify, one just after the year, one of the other site.
  await session(db, site, 'job', '2024-03-01T00:30:00+08:00', true);
  await session(db, site, 'job', '2025-02-28T23:30:00+08:00', true);
  await session(db, site, 'policy', '2024-06-01T19:00:00+08:00', true);
  await session(db, site, 'job', '2024-06-02T19:00:00+08:00', false);
  await session(db, site, 'job', '2025-03-01T00:10:00+08:00', true);
  await session(db, other.site, 'job', '2024-06-03T19:00:00+08:00', true);

  // Qualified AI fairs on the year's first and last days in Shanghai; one of 5 employers, one whose
  // screens played nothing, one just after the year, one of the other site.
  const ai = (siteId: number, startsAt: string, employers = 8, completed = 2) =>
    insertTestFair(db, siteId, { kind: 'ai', startsAt, hours: 1, employers, plays: { completed } });
  await ai(site.id, '2024-03-01T00:30:00+08:00');
  await ai(site.id, '2025-02-28T22:00:00+08:00');
  await ai(site.id, '2024-06-05T09:00:00+08:00', 5);
  await ai(site.id, '2024-07-05T09:00:00+08:00', 8, 0);
  await ai(site.id, '2025-03-01T00:10:00+08:00');
  await ai(other.site.id, '2024-06-05T09:00:00+08:00');
  // Qualified on-site fairs in March and twice in May; one of 9 employers, one the day before the year.
  const onsite = (startsAt: string, employers = 10) =>
    insertTestFair(db, site.id, { kind: 'onsite', startsAt, employers });
  await onsite('2024-03-15T09:00:00+08:00', 12);
  await onsite('2024-05-10T09:00:00+08:00');
  await onsite('2024-05-20T09:00:00+08:00');
  await onsite('2024-08-01T09:00:00+08:00', 9);
  await onsite('2024-02-29T09:00:00+08:00');
});
afterAll(async () => {
  await fx.close();
});

describe('GET /api/kpi', () => {
  it('counts what the service year holds, by the site start day and time zone, and scores it', async () => {
    const kpi = await kpiOf('?year=2024');
    expect(kpi.site).toEqual({
      code: fx.site.code,
      name: fx.site.name,
      timezone: 'Asia/Shanghai',
      serviceYearStart: '03-01',
    });
    expect(kpi.year).toBe(2024);
    expect(kpi.serviceYear).toEqual({ start: '2024-03-01', lastDay: '2025-02-28', days: 365 });
    expect(kpi.elapsedShare).toBe(1);
    const line = (id: string) => kpi.lines.find((entry) => entry.line === id);

    // The required fields of every line, as the issue lists them.
    for (const entry of kpi.lines) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining([
          'line',
          'target',
          'done',
          'expectedByToday',
          'projected',
          'points',
          'maxPoints',
          'subTargets',
        ]),
      );
    }
    expect(kpi.lines.map((entry) => entry.line)).toEqual([
      'videos',
      'coverage',
      'flyers',
      'livestreams',
      'aiFairs',
      'onsiteFairs',
    ]);

    // 4 videos short of 100: 8 − 0.2 × 4.
    expect(line('videos')).toMatchObject({
      target: 100,
      done: 96,
      expectedByToday: 100,
      projected: 96,
      points: 7.2,
      maxPoints: 8,
    });
    expect(line('videos')?.subTargets).toEqual([
      { id: 'ai', label: 'AI 视频', target: 12, done: 12, expectedByToday: 12, projected: 12 },
    ]);
    // 2 reports short: 6 − 1 × 2.
    expect(line('coverage')).toMatchObject({ target: 12, done: 10, points: 4, maxPoints: 6 });
    expect(line('coverage')?.subTargets[0]).toMatchObject({ id: 'national', target: 2, done: 2 });
    // April printed 999 and January not at all: 2 issues missing, 3 − 0.5 × 2.
    expect(line('flyers')).toMatchObject({ target: 12, done: 10, points: 2, maxPoints: 3 });
    // 2 job and 1 other qualified livestream: 0.1 each.
    expect(line('livestreams')).toMatchObject({ target: 60, done: 3, points: 0.3, maxPoints: 6 });
    expect(line('livestreams')?.subTargets.map((sub) => [sub.id, sub.done])).toEqual([
      ['job', 2],
      ['other', 1],
    ]);
    // 2 qualified AI fairs: 0.1 each; 3 qualified on-site fairs: 0.5 each.
    expect(line('aiFairs')).toMatchObject({ target: 80, done: 2, shortfall: 78, points: 0.2, maxPoints: 8 });
    expect(line('onsiteFairs')).toMatchObject({ target: 12, done: 3, shortfall: 9, points: 1.5, maxPoints: 6 });
    expect(line('onsiteFairs')?.subTargets).toEqual([]);
    expect(kpi.total).toMatchObject({ points: 15.2, maxPoints: 37 });
  });

  it('gives the year month by month, from the start month, and the alerts of a finished year', async () => {
    const kpi = await kpiOf('?year=2024');
    expect(kpi.months.map((m) => m.month)).toEqual([
      '2024-03',
      '2024-04',
      '2024-05',
      '2024-06',
      '2024-07',
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
    ]);
    expect(kpi.months[0]).toEqual({
      month: '2024-03',
      videos: 1,
      coverage: 0,
      flyers: 1,
      livestreams: 1,
      aiFairs: 1,
      onsiteFairs: 1,
    });
    expect(kpi.months[1]).toEqual({
      month: '2024-04',
      videos: 0,
      coverage: 1,
      flyers: 0,
      livestreams: 0,
      aiFairs: 0,
      onsiteFairs: 0,
    });
    expect(kpi.months[2]).toMatchObject({ month: '2024-05', aiFairs: 0, onsiteFairs: 2 });
    expect(kpi.months[11]).toEqual({
      month: '2025-02',
      videos: 1,
      coverage: 0,
      flyers: 1,
      livestreams: 1,
      aiFairs: 1,
      onsiteFairs: 0,
    });
    const sum = (pick: (m: KpiView['months'][number]) => number) => kpi.months.reduce((n, m) => n + pick(m), 0);
    expect([
      sum((m) => m.videos),
      sum((m) => m.coverage),
      sum((m) => m.flyers),
      sum((m) => m.livestreams),
      sum((m) => m.aiFairs),
      sum((m) => m.onsiteFairs),
    ]).toEqual([96, 10, 10, 3, 2, 3]);

    const texts = kpi.alerts.map((alert) => alert.text);
    expect(texts).toContain('服务期内短视频差 4 条未完成（目标 100 条）');
    expect(texts).toContain('直播带岗差 46 场未完成（至少 48 场）');
    expect(texts).toContain('服务期内AI数智招聘会差 78 场未完成（目标 80 场）');
    expect(kpi.alerts).toContainEqual({
      level: 'warn',
      line: 'onsiteFairs',
      text:
        '10 个月没有达标的线下招聘会（每月至少 1 场）：2024年4月、2024年6月、2024年7月、2024年8月、2024年9月、' +
        '2024年10月、2024年11月、2024年12月、2025年1月、2025年2月',
    });
    expect(kpi.alerts.at(-1)).toEqual({
      level: 'info',
      line: null,
      text: '服务期已结束（2024-03-01 至 2025-02-28），共得 15.2 分（满分 37 分）',
    });
  });

  it("counts only the caller's own site", async () => {
    const kpi = await kpiOf('?year=2024', other);
    expect(kpi.site.code).toBe(other.site.code);
    // The other site keeps the calendar year: 2024-01-01 .. 2024-12-31.
    expect(kpi.serviceYear).toEqual({ start: '2024-01-01', lastDay: '2024-12-31', days: 366 });
    expect(kpi.lines.map((entry) => entry.done)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(kpi.total.points).toBe(0.2);
  });

  it("defaults to the service year today falls in, by the site's start day", async () => {
    const today = shanghaiToday();
    const calendarYear = Number(today.slice(0, 4));
    const kpi = await kpiOf('');
    expect(kpi.today).toBe(today);
    expect(kpi.year).toBe(today.slice(5) >= '03-01' ? calendarYear : calendarYear - 1);
    expect(kpi.serviceYear.start).toBe(`${kpi.year}-03-01`);
    expect(kpi.elapsedShare).toBeGreaterThan(0);
    expect(kpi.elapsedShare).toBeLessThanOrEqual(1);
    // Where each line should be by today is its target times the share of the year gone; flyers and
    // on-site fairs are paced by month (an issue or a fair is due once its month has ended).
    const byMonth = ['flyers', 'onsiteFairs'];
    for (const entry of kpi.lines.filter((line) => !byMonth.includes(line.line))) {
      expect(entry.expectedByToday).toBe(Math.round(entry.target * kpi.elapsedShare * 10) / 10);
    }
    const monthsEnded = (Number(today.slice(0, 4)) - kpi.year) * 12 + Number(today.slice(5, 7)) - 3;
    for (const id of byMonth) {
      expect(kpi.lines.find((line) => line.line === id)?.expectedByToday, id).toBe(monthsEnded);
    }

    // A year starting on 31 December has begun only on that day.
    const lateSite = await addSiteWithStaff(fx.db);
    await fx.db.$client.query(`update sites set service_year_start = '12-31' where id = $1`, [lateSite.site.id]);
    const late = await kpiOf('', lateSite);
    expect(late.year).toBe(today.slice(5) === '12-31' ? calendarYear : calendarYear - 1);
    expect(late.serviceYear.start).toBe(`${late.year}-12-31`);
  });

  it('refuses a year outside 2000–2100, naming the field', async () => {
    for (const year of ['1999', '2101', '2024.5', 'abc']) {
      const response = await kpi(`?year=${year}`);
      expect(response.status, year).toBe(400);
      const error = await body<ErrorEnvelope>(response);
      expect(error.code).toBe('BAD_INPUT');
      expect(error.message).toBe('请求参数有误：年份：须为 2000 到 2100 之间的整数');
    }
  });

  it('answers every role, by token or by the browser session, and no one else', async () => {
    for (const role of userRoles) {
      expect((await kpi('?year=2024', role)).status, role).toBe(200);
    }
    const { cookie } = await fx.signIn('anchor');
    const bySession = await fx.app().request('/api/kpi?year=2024', { headers: { cookie } });
    expect(bySession.status).toBe(200);
    expect((await body<KpiView>(bySession)).total.points).toBe(15.2);
    expect((await fx.app().request('/api/kpi')).status).toBe(401);
  });
});
