import { randomBytes } from 'node:crypto';
import { type UserRole, userRoles } from '@jobcast/core';
import { markFlyerPrinted, recordCoverage, recordPublication, requestFlyerIssue } from '@jobcast/db';
import { insertTestFair } from '@jobcast/db/testing';
import type { KpiView } from '@jobcast/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, body, openFixture } from './fixture.ts';

let fx: ApiFixture;
const siteName = '<script>alert("站点")</script>就业服务中心';

async function page(path: string, role: UserRole = 'manager'): Promise<{ status: number; html: string }> {
  const { cookie } = await fx.signIn(role);
  const response = await fx.app().request(path, { headers: { cookie } });
  return { status: response.status, html: await response.text() };
}

async function api(query: string): Promise<KpiView> {
  const response = await fx.app().request(`/api/kpi${query}`, { headers: fx.bearer('manager') });
  expect(response.status).toBe(200);
  return body<KpiView>(response);
}

/** The HTML of one line's card (or the total's), by its data-line. */
function card(html: string, line: string): string {
  const match = new RegExp(`<section class="card[^"]*" data-line="${line}">([\\s\\S]*?)</section>`).exec(html);
  expect(match, `card ${line}`).not.toBeNull();
  return match?.[1] ?? '';
}

/** The number a browser test would read from `[data-field=…]`. */
function field(html: string, name: string): number {
  const match = new RegExp(`data-field="${name.replace('.', '\\.')}">([^<]*)<`).exec(html);
  expect(match, name).not.toBeNull();
  return Number(match?.[1]);
}

/** The numbers of every line's card as the page shows them, in the API's shape. */
function shownLines(html: string, view: KpiView) {
  return view.lines.map((line) => {
    const text = card(html, line.line);
    return {
      line: line.line,
      done: field(text, 'done'),
      target: field(text, 'target'),
      expectedByToday: field(text, 'expectedByToday'),
      projected: field(text, 'projected'),
      points: field(text, 'points'),
      maxPoints: field(text, 'maxPoints'),
      subTargets: line.subTargets.map((sub) => ({
        id: sub.id,
        done: field(text, `${sub.id}.done`),
        target: field(text, `${sub.id}.target`),
      })),
    };
  });
}

function linesOf(view: KpiView) {
  return view.lines.map(({ line, done, target, expectedByToday, projected, points, maxPoints, subTargets }) => ({
    line,
    done,
    target,
    expectedByToday,
    projected,
    points,
    maxPoints,
    subTargets: subTargets.map(({ id, done, target }) => ({ id, done, target })),
  }));
}

beforeAll(async () => {
  fx = await openFixture();
  const { db, site } = fx;
  await db.$client.query('update sites set name = $2 where id = $1', [site.id, siteName]);
  const url = () => `https://v.douyin.com/${randomBytes(6).toString('hex')}`;
  const publish = (publishedOn: string, aiVideo = false) =>
    recordPublication(db, {
      siteId: site.id,
      platform: 'douyin',
      url: url(),
      publishedOn,
      title: '岗位速递',
      aiVideo,
      aiTool: '剪映 AI 配音',
    });
  // Calendar year 2024: 5 videos (2 AI), 1 national report, March's flyer, 2 qualified livestreams.
  await publish('2024-01-01', true);
  await publish('2024-03-15', true);
  await publish('2024-03-20');
  await publish('2024-07-01');
  await publish('2024-12-31');
  await publish('2025-01-01');
  await recordCoverage(db, {
    siteId: site.id,
    outlet: '新华网',
    level: 'national',
    url: url(),
    publishedOn: '2024-06-06',
    title: '家门口就业',
  });
  const issue = await requestFlyerIssue(db, { siteId: site.id, month: '2024-03' });
  await markFlyerPrinted(db, site.id, issue.id, { copies: 1000, date: '2024-03-02' });
  for (const [type, startedAt] of [
    ['job', '2024-03-10T19:00:00+08:00'],
    ['training', '2024-09-10T19:00:00+08:00'],
  ]) {
    await db.$client.query(
      `insert into live_sessions (site_id, type, title, anchor_name, slot_start, slot_end, status, stream_key_hash,
                                  overlay_token, started_at, ended_at, qualified)
       values ($1, $2, '直播', '主播', $3, $3::timestamptz + interval '2 hours', 'ended', $4, $5, $3,
               $3::timestamptz + interval '90 minutes', true)`,
      [site.id, type, startedAt, randomBytes(16).toString('hex'), randomBytes(16).toString('hex')],
    );
  }
  // 2 qualified AI fairs (and one of 11 employers, not counted); 3 qualified on-site fairs, two in June
  // (and one of 9 employers, not counted).
  await insertTestFair(db, site.id, {
    kind: 'ai',
    startsAt: '2024-04-12T09:00:00+08:00',
    employers: 8,
    plays: { completed: 3 },
  });
  await insertTestFair(db, site.id, {
    kind: 'ai',
    startsAt: '2024-05-12T09:00:00+08:00',
    employers: 6,
    plays: { completed: 1 },
  });
  await insertTestFair(db, site.id, {
    kind: 'ai',
    startsAt: '2024-05-13T09:00:00+08:00',
    employers: 11,
    plays: { completed: 5 },
  });
  for (const day of ['2024-03-08', '2024-06-01', '2024-06-20']) {
    await insertTestFair(db, site.id, { kind: 'onsite', startsAt: `${day}T09:00:00+08:00`, employers: 10 });
  }
  await insertTestFair(db, site.id, { kind: 'onsite', startsAt: '2024-07-01T09:00:00+08:00', employers: 9 });
});
afterAll(async () => {
  await fx.close();
});

describe('the 工作台 dashboard', () => {
  it("shows each line's numbers exactly as GET /api/kpi gives them, and the total", async () => {
    const view = await api('?year=2024');
    const { status, html } = await page('/?year=2024');
    expect(status).toBe(200);
    expect(shownLines(html, view)).toEqual(linesOf(view));
    expect(shownLines(html, view)[0]).toMatchObject({ done: 5, target: 100, points: 0 });
    expect(view.lines[3]?.points).toBe(0.2);
    // The two fair lines, with what was held in 2024: 0.1 per AI fair, 0.5 per on-site fair.
    expect(shownLines(html, view).slice(4)).toEqual([
      expect.objectContaining({ line: 'aiFairs', done: 2, target: 80, points: 0.2, maxPoints: 8 }),
      expect.objectContaining({ line: 'onsiteFairs', done: 3, target: 12, points: 1.5, maxPoints: 6 }),
    ]);
    expect(card(html, 'aiFairs')).toContain('AI数智招聘会');
    expect(card(html, 'onsiteFairs')).toContain('线下招聘会');
    const total = card(html, 'total');
    expect(field(total, 'points')).toBe(view.total.points);
    // 0.2 for two livestreams, 0.2 for two AI fairs, 1.5 for three on-site fairs.
    expect(field(total, 'points')).toBe(1.9);
    expect(field(total, 'maxPoints')).toBe(37);
    expect(html).toContain('2024 服务年度（2024-01-01 至 2024-12-31）');
    expect(html).toContain('<option value="2024" selected="">');
  });

  it('shows the same numbers as the API for the service year running now', async () => {
    const view = await api('');
    const { html } = await page('/');
    expect(shownLines(html, view)).toEqual(linesOf(view));
    expect(html).toContain(`截至 ${view.today}`);
    expect(html).toContain(`<option value="${view.year}" selected="">`);
  });

  it('lists the alerts, warnings marked apart', async () => {
    const view = await api('?year=2024');
    const { html } = await page('/?year=2024');
    for (const alert of view.alerts) expect(html).toContain(alert.text);
    expect(html).toContain('服务期内短视频差 95 条未完成（目标 100 条）');
    // The on-site fairs' monthly minimum: every month of 2024 without one is named.
    expect(html).toContain(
      '10 个月没有达标的线下招聘会（每月至少 1 场）：2024年1月、2024年2月、2024年4月、2024年5月、' +
        '2024年7月、2024年8月、2024年9月、2024年10月、2024年11月、2024年12月',
    );
    expect(html.match(/data-alert="warn"/g)?.length).toBe(view.alerts.filter((a) => a.level === 'warn').length);
    expect(html).toContain('<li class="kpi-alert info" data-alert="info">');
  });

  it('draws every month of the service year as bars with readable titles', async () => {
    const { html } = await page('/?year=2024');
    const videos = /<figure class="card kpi-chart" data-chart="videos">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
    const labels = [...videos.matchAll(/<text class="month"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月']);
    expect(videos).toContain('<title>2024年3月：短视频 2 条</title>');
    expect(videos).toContain('<title>2024年2月：短视频 0 条</title>');
    expect(html.match(/data-chart="/g)?.length).toBe(6);
    const onsite = /<figure class="card kpi-chart" data-chart="onsiteFairs">([\s\S]*?)<\/figure>/.exec(html)?.[1];
    expect(onsite).toContain('<title>2024年6月：线下招聘会 2 场</title>');
    expect(onsite).toContain('<title>2024年7月：线下招聘会 0 场</title>');
  });

  it('escapes the site name and keeps to the console policy: no inline script or style', async () => {
    const { html } = await page('/?year=2024');
    expect(html).toContain('&lt;script&gt;alert(&quot;站点&quot;)&lt;/script&gt;就业服务中心');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toMatch(/style=|<style/);
    expect(html.match(/<script(?![^>]*\ssrc=)/g)).toBeNull();
    expect(html).toContain('<link rel="stylesheet" href="/assets/dashboard.css"/>');
    const css = await fx.app().request('/assets/dashboard.css');
    expect(css.status).toBe(200);
  });

  it('offers the ledger and evidence downloads only to admin, manager and media', async () => {
    for (const role of userRoles) {
      const { status, html } = await page('/?year=2024', role);
      expect(status, role).toBe(200);
      const links = [
        '/export/ledger.xlsx?year=2024',
        '/export/evidence/videos.zip?year=2024',
        '/export/evidence/livestreams.zip?year=2024',
        '/export/evidence/aiFairs.zip?year=2024',
        '/export/evidence/onsiteFairs.zip?year=2024',
      ];
      for (const link of links) {
        if (role === 'anchor') expect(html, role).not.toContain(link);
        else expect(html, role).toContain(`href="${link}"`);
      }
    }
  });

  it('says what is wrong with a year outside 2000–2100 and shows this service year instead', async () => {
    const view = await api('');
    const { status, html } = await page('/?year=1800');
    expect(status).toBe(400);
    expect(html).toContain('年份须为 2000 到 2100 之间的整数');
    expect(html).toContain(`${view.year} 服务年度`);
  });
});
