import { createHash } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { type UserRole, userRoles } from '@jobcast/core';
import { createImportBatch, prepareJob, schema, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { serviceYearOf, siteDayAndTime } from '@jobcast/ledger';
import { bookLiveSession, loadSecretBox } from '@jobcast/live';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../src/context.ts';
import { type ApiServer, startApiServer } from '../src/index.ts';
import { launchChromium } from '../src/testing.ts';
import { endAfterAMinuteLive } from './demo-like-site.ts';
import { type ApiFixture, type BrowserSession, openFixture, password } from './fixture.ts';

const env = {
  JOBCAST_GUARD_MIN_JOBS: '20',
  JOBCAST_OTHER_MIN_LIVE_SECONDS: '30',
  JOBCAST_STREAM_PUBLIC_URL: 'https://stream.example.cn:8443',
};
const TIMEZONE = 'Asia/Shanghai';
const injectedTitle = '<script>alert("直播")</script>招聘会';

let fx: ApiFixture;
let app: OpenAPIHono<AppEnv>;
/** Job `直播页岗位${n}` is `jobIds[n - 1]` (ids follow the import's order of employers, not the rows). */
let jobIds: number[];
/** A 直播带岗 booked for an hour from now, and an other livestream that has ended qualified. */
let booked: { sessionId: number; day: string };
let qualified: number;
let injected: number;
/** A booking whose 90-minute slot ended a minute ago without anyone going live. */
let missed: { sessionId: number; day: string };

async function page(path: string, role: UserRole): Promise<{ status: number; html: string; response: Response }> {
  const { cookie } = await fx.signIn(role);
  const response = await app.request(path, { headers: { cookie } });
  return { status: response.status, html: await response.text(), response };
}

/** The booking form as a browser posts it: the rundown's checkboxes repeat `jobId`, in order. */
function bookingPost(session: BrowserSession, fields: Record<string, string>, ids: number[]): RequestInit {
  const init = session.form(fields);
  const extra = ids.map((id) => `jobId=${id}`).join('&');
  return { ...init, body: extra ? `${init.body}&${extra}` : init.body };
}

/** The job ids of the ticked checkboxes, in the page's order. */
function tickedJobIds(html: string): number[] {
  return [...html.matchAll(/<input[^>]*name="jobId"[^>]*>/g)]
    .map((match) => match[0])
    .filter((input) => /\schecked/.test(input))
    .map((input) => Number(/value="(\d+)"/.exec(input)?.[1]));
}

const tomorrow = () => siteDayAndTime(TIMEZONE, new Date(Date.now() + 86_400_000)).day;

function bookingFields(title: string): Record<string, string> {
  return { step: 'book', type: 'job', title, day: tomorrow(), time: '14:00', minutes: '90', relays: '' };
}

beforeAll(async () => {
  fx = await openFixture();
  app = fx.app({ env });
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'live-pages.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rejects: [],
    rowsRead: 21,
    jobs: Array.from({ length: 21 }, (_, i) =>
      prepareJob(testJobRecord({ rowNumber: i + 2, employerName: `直播页企业${i + 1}`, title: `直播页岗位${i + 1}` })),
    ),
  });
  const rows = await fx.db
    .select({ id: schema.jobs.id, title: schema.jobs.title })
    .from(schema.jobs)
    .where(eq(schema.jobs.siteId, fx.site.id));
  jobIds = Array.from({ length: 21 }, (_, i) => rows.find((row) => row.title === `直播页岗位${i + 1}`)?.id as number);

  const config = fx.config(env);
  const deps = { db: fx.db, rules: config.live, urls: config, secrets: await loadSecretBox(config) };
  const booker = { siteId: fx.site.id, userId: fx.userIds.anchor, displayName: '王主播' };
  const start = new Date(Date.now() + 3_600_000);
  const first = await bookLiveSession(deps, booker, {
    type: 'job',
    title: '十二月直播带岗',
    start,
    jobIds: jobIds.slice(0, 20),
  });
  booked = { sessionId: first.sessionId, day: siteDayAndTime(TIMEZONE, start).day };
  injected = (await bookLiveSession(deps, booker, { type: 'visit', title: injectedTitle, start, jobIds: [] }))
    .sessionId;

  const missedStart = new Date(Date.now() - 91 * 60_000);
  missed = {
    sessionId: (
      await bookLiveSession(
        deps,
        booker,
        { type: 'job', title: '错过的直播带岗', start: missedStart, jobIds: jobIds.slice(0, 20) },
        new Date(missedStart.getTime() - 86_400_000),
      )
    ).sessionId,
    day: siteDayAndTime(TIMEZONE, missedStart).day,
  };

  // An other livestream live for a minute, then ended: it qualifies (30 seconds are enough here).
  const now = new Date();
  qualified = (await bookLiveSession(deps, booker, { type: 'policy', title: '政策解读', start: now, jobIds: [] }))
    .sessionId;
  await endAfterAMinuteLive(fx.db, config.live, { sessionId: qualified, siteId: fx.site.id, now, thumbnails: 2 });
});

afterAll(async () => {
  await fx.close();
});

describe('the livestream list and calendar', () => {
  it('shows every role the booked sessions, the verdicts and the year against 48 and 12', async () => {
    for (const role of userRoles) {
      const { status, html } = await page('/live', role);
      expect(status, role).toBe(200);
      expect(html).toContain('十二月直播带岗');
      expect(html).toContain('已预约');
      expect(html).toContain('政策解读');
      expect(html).toContain('<span class="badge ok">达标</span>');
      expect(html).toContain('直播时长 1 分钟，达到 30 秒');
      expect(html).toMatch(/data-count="job">[\s\S]*?data-field="done">0<[\s\S]*?data-field="target">48</);
      expect(html).toMatch(/data-count="other">[\s\S]*?data-field="done">1<[\s\S]*?data-field="target">12</);
      expect(html).toContain(`href="/live/${booked.sessionId}"`);
      // Only those who run livestreams are offered the console and the booking form.
      const operator = role === 'admin' || role === 'anchor';
      expect(html.includes(`href="/console/live/${booked.sessionId}"`), role).toBe(operator);
      expect(html.includes('href="/live/new"'), role).toBe(operator);
    }
  });

  it('lists a booking whose slot went by without going live with those over, as missed, on every view', async () => {
    const year = serviceYearOf(missed.day, fx.site.serviceYearStart);
    const { html } = await page(`/live?year=${year}`, 'manager');
    const over = html.slice(html.indexOf('已结束（'));
    expect(over).toMatch(
      new RegExp(`data-session-id="${missed.sessionId}"[\\s\\S]*?<span class="badge bad">未开播（时段已过）</span>`),
    );
    expect(html.indexOf(`data-session-id="${missed.sessionId}"`)).toBeGreaterThan(html.indexOf('已结束（'));
    const calendar = await page(`/live?view=calendar&month=${missed.day.slice(0, 7)}`, 'manager');
    expect(calendar.html).toMatch(new RegExp(`href="/live/${missed.sessionId}"[\\s\\S]*?未开播（时段已过）`));
    expect((await page(`/live/${missed.sessionId}`, 'manager')).html).toContain('未开播（时段已过）');
  });

  it('picks the service year as the other lists do, and says so when the year asked for is wrong', async () => {
    expect((await page('/live', 'manager')).html).toContain('<form class="year-picker" method="get" action="/live">');
    const wrong = await page('/live?year=1999', 'manager');
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('年份须为 2000 到 2100 之间的整数');
    // The year under way is shown instead.
    expect(wrong.html).toContain('十二月直播带岗');
  });

  it("puts a session on its day of the month's calendar", async () => {
    const month = booked.day.slice(0, 7);
    for (const role of userRoles) {
      const { status, html } = await page(`/live?view=calendar&month=${month}`, role);
      expect(status, role).toBe(200);
      const day = new RegExp(`<li class="day[^"]*" data-day="${booked.day}">([\\s\\S]*?)</ul>`).exec(html);
      expect(day?.[1], role).toContain('十二月直播带岗');
      expect(day?.[1]).toContain(`href="/live/${booked.sessionId}"`);
    }
    const { html } = await page('/live?view=calendar&month=2001-02', 'manager');
    expect(html).toContain('本月没有直播');
    expect(html.match(/class="day[^"]*" data-day=/g)).toHaveLength(28);
  });

  it('shows a title with markup as text on every page', async () => {
    const month = booked.day.slice(0, 7);
    for (const path of ['/live', `/live?view=calendar&month=${month}`, `/live/${injected}`]) {
      const { html } = await page(path, 'media');
      expect(html, path).toContain('&lt;script&gt;alert(&quot;直播&quot;)&lt;/script&gt;招聘会');
      expect(html, path).not.toContain('<script>alert');
    }
  });
});

describe('booking a livestream', () => {
  it('is refused with 19 jobs, saying so and keeping the rundown and what was typed', async () => {
    const anchor = await fx.signIn('anchor');
    const chosen = [...jobIds.slice(0, 19)].reverse();
    const response = await app.request('/live/new', bookingPost(anchor, bookingFields('十九个岗位'), chosen));
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('直播带岗的节目单至少需要 20 个岗位，现在只有 19 个');
    expect(tickedJobIds(html)).toEqual(chosen);
    expect(html).toContain('value="十九个岗位"');
    expect(html).toContain('已选 19 / 至少 20 个岗位');
    const [{ count }] = (
      await fx.db.$client.query<{ count: number }>(
        "select count(*)::int as count from live_sessions where site_id = $1 and title = '十九个岗位'",
        [fx.site.id],
      )
    ).rows as [{ count: number }];
    expect(count).toBe(0);
  });

  it('refuses a relay to a host outside the allowed platforms, naming the host and the setting', async () => {
    const anchor = await fx.signIn('anchor');
    const fields = { ...bookingFields('转推到别处'), type: 'policy', relays: 'rtmp://evil.example/live/k' };
    const response = await app.request('/live/new', bookingPost(anchor, fields, []));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('转推地址的主机 evil.example 不在允许的平台列表中（JOBCAST_RELAY_HOSTS）');
  });

  it('searches for more jobs without JavaScript, keeping the jobs already chosen', async () => {
    const anchor = await fx.signIn('admin');
    const chosen = [jobIds[3] as number, jobIds[1] as number];
    const response = await app.request(
      '/live/new',
      bookingPost(anchor, { ...bookingFields('搜索后保留'), step: 'search', q: '直播页岗位2' }, chosen),
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(tickedJobIds(html)).toEqual(chosen);
    expect(html).toContain('value="搜索后保留"');
    // 直播页岗位2, 20 and 21 match; 岗位2 is chosen already, so it is not offered twice.
    const results = /data-live-results[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    const offered = [...results.matchAll(/data-job-id="(\d+)"/g)].map((match) => Number(match[1]));
    expect(offered.sort()).toEqual([jobIds[19], jobIds[20]].sort());
    expect(tickedJobIds(results)).toEqual([]);
  });

  it('with 20 jobs shows the stream key once, and only its hash is kept', async () => {
    const anchor = await fx.signIn('anchor');
    const response = await app.request(
      '/live/new',
      bookingPost(anchor, bookingFields('二十个岗位'), jobIds.slice(0, 20)),
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    const key = /data-stream-key[^>]*>([^<]+)</.exec(html)?.[1] as string;
    expect(key).toMatch(/^[\w-]{20,}$/);
    expect(html).toContain('只显示这一次，请立即复制');
    expect(html).toContain(`data-copy="${key}"`);
    const sessionId = Number(/href="\/console\/live\/(\d+)"/.exec(html)?.[1]);

    const [row] = await fx.db.select().from(schema.liveSessions).where(eq(schema.liveSessions.id, sessionId));
    expect(row?.title).toBe('二十个岗位');
    expect(row?.streamKeyHash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(key);
    // 14:00 on the site's clock (Asia/Shanghai, UTC+8) the next day.
    expect(row?.slotStart.toISOString()).toBe(`${tomorrow()}T06:00:00.000Z`);
    expect(row?.slotEnd.getTime()).toBe((row?.slotStart.getTime() as number) + 90 * 60_000);
    const rundown = await fx.db
      .select({ jobId: schema.liveRundown.jobId })
      .from(schema.liveRundown)
      .where(eq(schema.liveRundown.sessionId, sessionId))
      .orderBy(schema.liveRundown.position);
    expect(rundown.map((entry) => entry.jobId)).toEqual(jobIds.slice(0, 20));

    // Nowhere to see it again, not even for the one who booked.
    for (const path of ['/live', `/live/${sessionId}`, `/console/live/${sessionId}`, '/live/new']) {
      const again = await page(path, 'anchor');
      expect(again.status, path).toBe(200);
      expect(again.html, path).not.toContain(key);
    }
  });

  it('does not book twice when the browser sends the booking again, and shows no key then', async () => {
    const anchor = await fx.signIn('anchor');
    const post = () =>
      app.request('/live/new', bookingPost(anchor, bookingFields('刷新页面的场次'), jobIds.slice(0, 20)));
    const first = await post();
    expect(first.status).toBe(201);
    const again = await post();
    expect(again.status).toBe(303);
    const sessionId = Number(/\/live\/(\d+)$/.exec(again.headers.get('location') ?? '')?.[1]);
    const rows = await fx.db.select().from(schema.liveSessions).where(eq(schema.liveSessions.title, '刷新页面的场次'));
    expect(rows.map((row) => row.id)).toEqual([sessionId]);
    // Another anchor booking the same title and slot is a booking of its own.
    const other = await app.request(
      '/live/new',
      bookingPost(await fx.signIn('admin'), bookingFields('刷新页面的场次'), jobIds.slice(0, 20)),
    );
    expect(other.status).toBe(201);
  });

  it('is for admins and anchors only', async () => {
    for (const role of ['media', 'manager'] as const) {
      expect((await page('/live/new', role)).status, role).toBe(403);
      const session = await fx.signIn(role);
      const post = await app.request('/live/new', bookingPost(session, bookingFields('无权预约'), jobIds.slice(0, 20)));
      expect(post.status, role).toBe(403);
    }
    const form = await page('/live/new', 'admin');
    expect(form.status).toBe(200);
    expect(form.html).toContain('已选 0 / 至少 20 个岗位');
  });
});

describe('a session page', () => {
  it('shows everyone the details and verdict, and the overlay address only to those running it', async () => {
    const [row] = await fx.db.select().from(schema.liveSessions).where(eq(schema.liveSessions.id, booked.sessionId));
    const token = row?.overlayToken as string;
    const manager = await page(`/live/${booked.sessionId}`, 'manager');
    expect(manager.status).toBe(200);
    expect(manager.html).toContain('十二月直播带岗');
    expect(manager.html).toContain('直播页岗位20');
    expect(manager.html).not.toContain(token);
    expect(manager.html).not.toContain('/console/live/');
    const anchor = await page(`/live/${booked.sessionId}`, 'anchor');
    expect(anchor.html).toContain(`/overlay/${token}`);

    const ended = await page(`/live/${qualified}`, 'manager');
    expect(ended.html).toContain('<span class="badge ok">达标</span>');
    expect(ended.html).toContain('直播时长 1 分钟，达到 30 秒');
    expect(ended.html).toContain('主播结束');
    const evidence = (file: string) => `/api/live/${qualified}/evidence?file=${file}`;
    expect(ended.html).toContain(`href="${evidence('html')}"`);
    expect(ended.html).toContain(`href="${evidence('recording')}"`);
    expect(ended.html).toContain(`src="${evidence('thumb-1')}"`);
    expect(ended.html).toContain(`src="${evidence('thumb-2')}"`);
  });

  it('lets the anchor replace a lost key: shown once, the old one no longer works, and not after the end', async () => {
    const { sessionId } = booked;
    const [before] = await fx.db.select().from(schema.liveSessions).where(eq(schema.liveSessions.id, sessionId));
    expect((await page(`/live/${sessionId}`, 'anchor')).html).toContain(`action="/live/${sessionId}/key"`);
    expect((await page(`/live/${sessionId}`, 'manager')).html).not.toContain('/key"');

    const anchor = await fx.signIn('anchor');
    const sessionPage = (await page(`/live/${sessionId}`, 'anchor')).html;
    const seen = /name="seen" value="([0-9a-f]+)"/.exec(sessionPage)?.[1] as string;
    expect(before?.streamKeyHash.startsWith(seen)).toBe(true);
    const response = await app.request(`/live/${sessionId}/key`, anchor.form({ seen }));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('串流密钥已更换');
    const key = /data-stream-key[^>]*>([^<]+)</.exec(html)?.[1] as string;
    const [after] = await fx.db.select().from(schema.liveSessions).where(eq(schema.liveSessions.id, sessionId));
    expect(after?.streamKeyHash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(after?.streamKeyHash).not.toBe(before?.streamKeyHash);
    expect(after?.overlayToken).toBe(before?.overlayToken);
    // A refresh of that answer posts the form again: the key just shown stays.
    const refreshed = await app.request(`/live/${sessionId}/key`, anchor.form({ seen }));
    expect(refreshed.status).toBe(409);
    expect(await refreshed.text()).toContain('刚刚已经更换过');
    const [still] = await fx.db.select().from(schema.liveSessions).where(eq(schema.liveSessions.id, sessionId));
    expect(still?.streamKeyHash).toBe(after?.streamKeyHash);

    const media = await app.request(`/live/${sessionId}/key`, (await fx.signIn('media')).form({}));
    expect(media.status).toBe(403);
    const ended = await app.request(`/live/${qualified}/key`, anchor.form({}));
    expect(ended.status).toBe(409);
    expect(await ended.text()).toContain('直播已经结束');
  });

  it('names each relay by its platform, never its address, and its last error in Chinese only', async () => {
    const config = fx.config(env);
    const { sessionId } = await bookLiveSession(
      { db: fx.db, rules: config.live, urls: config, secrets: await loadSecretBox(config) },
      { siteId: fx.site.id, userId: fx.userIds.anchor, displayName: '王主播' },
      { type: 'policy', title: '转推到两个平台', start: new Date(), jobIds: [] },
    );
    // As earlier versions stored them: ffmpeg's English, and a Chinese reason with an English gloss.
    await fx.db.insert(schema.liveRelays).values([
      {
        sessionId,
        label: 'rtmp://push-rtmp-l1.douyincdn.com',
        urlEncrypted: 'sealed',
        connectedMs: 125_000,
        connects: 2,
        failures: 1,
        lastError: 'Connection refused',
      },
      {
        sessionId,
        label: 'rtmp://198.51.100.9:1935',
        urlEncrypted: 'sealed',
        failures: 3,
        lastError: '转推地址的主机不在允许的平台里，未转推 (host not allowed; not relayed)',
      },
    ]);
    for (const role of ['manager', 'anchor'] as const) {
      const { html } = await page(`/live/${sessionId}`, role);
      const rows = [
        ...html.matchAll(/<td data-label="平台">([^<]*)<\/td>[\s\S]*?<td data-label="最近的错误">([^<]*)</g),
      ].map((m) => `${m[1]}：${m[2]}`);
      expect(rows, role).toEqual([
        '抖音：转推中断，原因见服务日志',
        '转推目标 2：转推地址的主机不在允许的平台里，未转推',
      ]);
      expect(html).not.toContain('douyincdn');
      expect(html).not.toContain('198.51.100.9');
      expect(html).not.toContain('not relayed');
    }
  });

  it("answers 404 for another site's session", async () => {
    const other = await openFixture();
    try {
      const { cookie } = await other.signIn('admin');
      // Past the database's ids: nothing by that number either, not a server error.
      for (const path of [
        `/live/${booked.sessionId}`,
        `/console/live/${booked.sessionId}`,
        '/live/99999999999',
        '/console/live/99999999999',
      ]) {
        expect((await other.app({ env }).request(path, { headers: { cookie } })).status, path).toBe(404);
      }
    } finally {
      await other.close();
    }
  });
});

describe('the anchor console page', () => {
  it('sends a visitor without a session to sign in, and back', async () => {
    const response = await app.request(`/console/live/${booked.sessionId}`);
    expect(response.status).toBe(303);
    expect(decodeURIComponent(response.headers.get('location') ?? '')).toBe(
      `/login?next=/console/live/${booked.sessionId}`,
    );
  });

  it('refuses media and managers, and opens for admins and anchors with the overlay address', async () => {
    const [row] = await fx.db.select().from(schema.liveSessions).where(eq(schema.liveSessions.id, booked.sessionId));
    for (const role of ['media', 'manager'] as const) {
      const { status, html } = await page(`/console/live/${booked.sessionId}`, role);
      expect(status, role).toBe(403);
      expect(html).toContain('无权访问');
      expect(html).not.toContain(row?.overlayToken as string);
    }
    for (const role of ['admin', 'anchor'] as const) {
      const { status, html, response } = await page(`/console/live/${booked.sessionId}`, role);
      expect(status, role).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain(
        "connect-src 'self' https://stream.example.cn:8443",
      );
      expect(html).toContain(`data-live-console="${booked.sessionId}"`);
      expect(html).toContain(`/overlay/${row?.overlayToken}`);
    }
  });
});

describe('the rundown picker in Chromium', () => {
  let server: ApiServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startApiServer({ db: fx.db, producer: fx.producer, config: fx.config(env), port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('counts the chosen jobs, allows booking at 20, and shows the key', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/.test(message.text())) problems.push(message.text());
    });
    await page.goto(`${server.url}/live/new`);
    await page.getByLabel('用户名').fill(fx.usernames.anchor);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('[data-live-counter]', { hasText: '已选 0 / 至少 20 个岗位' }).waitFor();
    const book = page.getByRole('button', { name: '预约直播' });
    expect(await book.isDisabled()).toBe(true);

    await page.getByLabel('标题').fill('浏览器预约');
    await page.getByLabel('开始时间').fill('15:30');
    await page.getByLabel('开始日期').fill(tomorrow());
    // The search runs without a reload: the title typed stays.
    await page.getByLabel('关键词').fill('直播页岗位1');
    await page.getByRole('button', { name: '搜索岗位' }).click();
    await page.locator('[data-live-results-note]', { hasText: '共 11 个岗位符合条件' }).waitFor();
    expect(await page.getByLabel('标题').inputValue()).toBe('浏览器预约');
    await page.getByLabel('关键词').fill('');
    await page.getByRole('button', { name: '搜索岗位' }).click();
    await page.locator('[data-live-results-note]', { hasText: '共 21 个岗位符合条件' }).waitFor();

    const boxes = page.locator('[data-live-results] input[name="jobId"]');
    for (let i = 0; i < 19; i++) await boxes.first().check();
    await page.locator('[data-live-counter]', { hasText: '已选 19 / 至少 20 个岗位' }).waitFor();
    expect(await book.isDisabled()).toBe(true);
    await boxes.first().check();
    await page.locator('[data-live-counter]', { hasText: '已选 20 / 至少 20 个岗位' }).waitFor();
    expect(await book.isDisabled()).toBe(false);
    // Unticking a chosen job takes it out of the rundown again.
    await page.locator('[data-live-chosen] input[name="jobId"]').first().uncheck();
    await page.locator('[data-live-counter]', { hasText: '已选 19 / 至少 20 个岗位' }).waitFor();
    await boxes.first().check();

    await book.click();
    await page.getByRole('heading', { name: '预约成功' }).waitFor();
    expect(await page.locator('[data-stream-key]').textContent()).toMatch(/^[\w-]{20,}$/);
    const [row] = await fx.db.select().from(schema.liveSessions).where(eq(schema.liveSessions.title, '浏览器预约'));
    expect(row?.slotStart.toISOString()).toBe(`${tomorrow()}T07:30:00.000Z`);

    // On to the console: the session's script reads the API with the cookie; forcing the end waits for a refused end.
    await page.getByRole('link', { name: '打开直播控制台' }).click();
    await page.locator('#title', { hasText: '直播带岗：浏览器预约' }).waitFor();
    expect(await page.locator('#status').textContent()).toBe('已预约');
    expect(await page.locator('#rundown li').count()).toBe(20);
    expect(await page.getByRole('button', { name: '强制结束' }).isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: '上一个' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '下一个' }).click();
    await page.locator('#rundown li.current').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });
});
