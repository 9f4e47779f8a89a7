/**
 * The console's main stories, in Debian's Chromium, against the whole system (API, import worker,
 * render worker) on a database of its own: what a manager, a media member and an anchor do in a day.
 * Every page visited is saved as a screenshot under data/test-results/screenshots/console-stories/.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium } from '@jobcast/api/testing';
import { addUser } from '@jobcast/auth';
import { repoRoot } from '@jobcast/config';
import type { UserRole } from '@jobcast/core';
import {
  ensureSite,
  getSiteByCode,
  listJobs,
  listMediaAssets,
  markFlyerPrinted,
  recordCoverage,
  recordPublication,
  requestFlyerIssue,
} from '@jobcast/db';
import { createTestDatabase, insertTestFair } from '@jobcast/db/testing';
import { probeVideo, runFfmpeg } from '@jobcast/ffmpeg';
import { kpiLineIds, monthsOf, serviceYear } from '@jobcast/kpi';
import { currentServiceYear, siteToday } from '@jobcast/ledger';
import { readWorkbook, sheetRows } from '@jobcast/ledger/testing';
import { makeTestClip } from '@jobcast/renders/testing';
import { sampleHeader, sampleJobRows, writeCsvFile } from '@jobcast/sample-data';
import { freePort } from '@jobcast/stream';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServices } from '../src/commands/services.ts';
import { CommandContext } from '../src/context.ts';

const password = 'stories password';
const prefix = `test-stories-${randomBytes(3).toString('hex')}`;
const shotsDir = path.join(repoRoot, 'data', 'test-results', 'screenshots', 'console-stories');
const TIMEZONE = 'Asia/Shanghai';

let database: { url: string; drop: () => Promise<void> };
let dir: string;
let ctx: CommandContext;
let running: Running | undefined;
let browser: Browser | undefined;
let baseUrl: string;
let importFile: string;
/** The job fairs of each kind held this year before the stories (1, or 0 in the first hours of a year). */
let fairsHeld: number;
const usernames = {} as Record<UserRole, string>;
let shots = 0;

/** A full-page screenshot of where the story is; numbered so the folder reads as the stories ran. */
async function shot(page: Page, name: string): Promise<void> {
  shots += 1;
  await page.screenshot({ path: path.join(shotsDir, `${String(shots).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function signedIn(
  role: UserRole,
  viewport = { width: 1280, height: 900 },
): Promise<{ page: Page; context: BrowserContext }> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  // Sent to sign in first: nothing of the console shows without a session.
  expect(new URL(page.url()).pathname).toBe('/login');
  await shot(page, `${role}-login`);
  await page.getByLabel('用户名').fill(usernames[role]);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${baseUrl}/`);
  return { page, context };
}

/** The page must fit a phone's width: nothing may scroll the whole page sideways. */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');
}

interface KpiLineView {
  line: string;
  label: string;
  target: number;
  done: number;
  expectedByToday: number;
  projected: number;
  points: number;
  maxPoints: number;
}

/** What the dashboard shows for each line, read off the page's marked numbers. */
async function dashboardNumbers(page: Page): Promise<Record<string, Record<string, number>>> {
  const fields = ['target', 'done', 'expectedByToday', 'projected', 'points', 'maxPoints'];
  const numbers: Record<string, Record<string, number>> = {};
  for (const line of kpiLineIds) {
    numbers[line] = {};
    for (const field of fields) {
      const text = await page.locator(`[data-line="${line}"] [data-field="${field}"]`).first().textContent();
      (numbers[line] as Record<string, number>)[field] = Number((text ?? '').replace(/[,\s]/g, ''));
    }
  }
  const total = await page.locator('[data-line="total"] [data-field="points"]').first().textContent();
  numbers.total = { points: Number((total ?? '').trim()) };
  return numbers;
}

beforeAll(async () => {
  database = await createTestDatabase('stories');
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-stories-'));
  await rm(shotsDir, { recursive: true, force: true });
  await mkdir(shotsDir, { recursive: true });
  const port = await freePort();
  ctx = new CommandContext({
    DATABASE_URL: database.url,
    PORT: String(port),
    JOBCAST_DATA_DIR: dir,
    JOBCAST_QUEUE_PREFIX: prefix,
    JOBCAST_TIMEZONE: TIMEZONE,
  });
  const site = await ensureSite(ctx.db, { code: ctx.config.siteCode, name: '示范区就业服务中心', timezone: TIMEZONE });
  for (const role of ['admin', 'media', 'anchor', 'manager'] as const) {
    usernames[role] = `${role}-${prefix}`;
    await addUser(ctx.db, { siteId: site.id, username: usernames[role], password, role, displayName: `${role} 同事` });
  }
  // The year so far, as the media team recorded it: some videos, reports and printed flyers.
  const year = currentServiceYear(site);
  const sy = serviceYear(year, site.serviceYearStart);
  const today = siteToday(TIMEZONE);
  for (let n = 1; n <= 5; n++) {
    await recordPublication(ctx.db, {
      siteId: site.id,
      platform: n % 2 ? 'douyin' : 'channels',
      url: `https://www.douyin.com/video/74${n}000`,
      publishedOn: sy.start,
      title: `本周好岗位第 ${n} 期`,
      aiVideo: n <= 2,
      aiTool: '剪映 AI 配音',
    });
  }
  for (const [n, level] of (['national', 'provincial', 'provincial'] as const).entries()) {
    await recordCoverage(ctx.db, {
      siteId: site.id,
      outlet: n === 0 ? '人民网' : '江西日报',
      level,
      url: `https://news.example.cn/report/${n}`,
      publishedOn: today,
      title: `示范区零工市场报道 ${n + 1}`,
    });
  }
  for (const month of monthsOf(sy)
    .filter((m) => `${m}-01` <= today)
    .slice(0, 2)) {
    const issue = await requestFlyerIssue(ctx.db, { siteId: site.id, month });
    const printed = `${month}-05` < today ? `${month}-05` : today;
    await markFlyerPrinted(ctx.db, site.id, issue.id, { copies: 1200, date: printed });
  }
  // Job fairs held three hours ago: an AI fair whose 职播机 played job videos, an on-site fair.
  const heldAt = new Date(Date.now() - 3 * 3_600_000);
  fairsHeld = siteToday(TIMEZONE, heldAt) >= sy.start ? 1 : 0;
  const fair = { startsAt: heldAt.toISOString(), hours: 1, venue: '零工驿站' };
  await insertTestFair(ctx.db, site.id, { ...fair, kind: 'ai', employers: 7, plays: { completed: 5, videos: 2 } });
  await insertTestFair(ctx.db, site.id, { ...fair, kind: 'onsite', employers: 12, group: null });
  importFile = path.join(dir, '岗位信息-十一月.csv');
  await writeCsvFile(importFile, sampleHeader, sampleJobRows({ count: 40, messy: true, badRatio: 0.05 }), 'gbk');

  running = await startServices(ctx, { api: true, ingest: true, render: true, stream: false });
  baseUrl = running.urls.api ?? '';
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await ctx.close();
  await database.drop();
  const redis = new Redis(ctx.config.redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe('the console in a browser', () => {
  it('a media member, on a phone, imports a file, queues a poster and a video, and marks the video published: the count rises by one', async () => {
    const { page, context } = await signedIn('media', { width: 375, height: 812 });
    const before = await dashboardNumbers(page);
    await shot(page, 'media-dashboard');

    await page.goto(`${baseUrl}/jobs/import`);
    await shot(page, 'media-import-form');
    await page.locator('input[type="file"][name="file"]').setInputFiles(importFile);
    await page.getByRole('button', { name: '上传并导入' }).click();
    await page.waitForURL(/\/imports\/\d+$/);
    // The page refreshes itself until the importer has finished; then it lists the rejected rows.
    await page.locator('.badge', { hasText: '已完成' }).waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: /被拒绝的行/ }).waitFor();
    expect(await page.locator('table').last().locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'media-import-report');

    await page.goto(`${baseUrl}/jobs`);
    const jobLink = page.locator('table a[href^="/jobs/"]').first();
    const jobId = Number((await jobLink.getAttribute('href'))?.split('/').pop());
    const jobTitle = (await jobLink.textContent())?.trim() ?? '';
    expect(jobId).toBeGreaterThan(0);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'media-jobs');

    const queue = async (kind: 'poster' | 'video', template: string): Promise<number> => {
      await page.goto(`${baseUrl}/renders`);
      await page.locator('select[name="kind"]').selectOption(kind);
      await page.locator('select[name="template"]').selectOption(template);
      await page.locator('input[name="jobIds"]').fill(String(jobId));
      if (kind === 'video') {
        // The media team reads the script written from the job, edits it, picks a voice and music.
        await page.locator('select[name="voice"][data-voice-select]').selectOption('espeak:male');
        await page.getByRole('button', { name: '按所选岗位生成配音稿' }).click();
        const script = page.locator('textarea[name="script"]');
        await expect.poll(() => script.inputValue()).toContain(jobTitle);
        expect(await page.locator('select[name="voice"][data-voice-select]').inputValue()).toBe('espeak:male');
        await script.fill((await script.inputValue()).replace('！', '，快来报名！'));
        await page.locator('select[name="music"]').selectOption('builtin-calm');
        expect(await fitsWidth(page)).toBe(true);
        await shot(page, 'media-video-script');
        await page.setViewportSize({ width: 1280, height: 900 });
        await shot(page, 'media-video-script-1280');
        await page.setViewportSize({ width: 375, height: 812 });
      }
      await page.getByRole('button', { name: '加入制作队列' }).click();
      const notice = await page.locator('.notice.ok').textContent();
      const id = Number(/#(\d+)/.exec(notice ?? '')?.[1]);
      expect(id, notice ?? '').toBeGreaterThan(0);
      await shot(page, `media-queued-${kind}`);
      await page.goto(`${baseUrl}/renders/${id}`);
      // The detail page follows the render and shows the preview once it is done.
      await page.locator(`[data-render-id="${id}"][data-status="done"]`).waitFor({ timeout: 240_000 });
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, `media-${kind}-done`);
      return id;
    };

    await queue('poster', 'job-poster');
    const poster = page.locator('.render-preview img').first();
    await expect
      .poll(() => poster.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(1080);

    const videoId = await queue('video', 'job-spotlight');
    expect(await page.locator('.render-preview video').count()).toBe(1);
    // The finished video, as a viewer sees it: frames from its hook, its job card, its end card.
    const video = await page.request.get(`${baseUrl}/api/renders/${videoId}/output`);
    expect(video.status()).toBe(200);
    const videoFile = path.join(shotsDir, 'media-video.mp4');
    await writeFile(videoFile, await video.body());
    for (const at of [1.5, 8, 17, 27]) {
      shots += 1;
      const frame = path.join(shotsDir, `${String(shots).padStart(2, '0')}-media-video-frame-${at}s.png`);
      await runFfmpeg(['-ss', String(at), '-i', videoFile, '-frames:v', '1', '-vf', 'scale=540:-1', '-y', frame]);
    }
    await rm(videoFile);
    expect(await page.locator('text=离线语音（eSpeak NG）').count()).toBeGreaterThan(0);
    await page.getByRole('link', { name: '登记发布' }).click();
    await page.waitForURL(new RegExp(`/publications/new\\?render=${videoId}$`));
    expect(await page.locator('input[name="title"]').inputValue()).toContain(jobTitle);
    await page.locator('select[name="platform"]').selectOption('douyin');
    await page.locator('input[name="url"]').fill(`https://www.douyin.com/video/7${videoId}99${Date.now()}`);
    await shot(page, 'media-publish-form');
    await page.getByRole('button', { name: '登记' }).click();
    await page.waitForURL(/\/publications/);
    expect(await page.locator('.notice.ok').textContent()).toContain('登记');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'media-publications');

    await page.goto(`${baseUrl}/`);
    const after = await dashboardNumbers(page);
    expect(after.videos?.done).toBe((before.videos?.done ?? 0) + 1);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'media-dashboard-after');
    await context.close();
  });

  it('a media member uploads two phone clips on a phone and queues a site-visit video made from them', async () => {
    const { page, context } = await signedIn('media', { width: 375, height: 812 });
    const clips = [
      await makeTestClip(path.join(dir, '车间实拍.mp4'), { width: 720, height: 1280, seconds: 6 }),
      await makeTestClip(path.join(dir, '厂门口横拍.mp4'), { width: 1280, height: 720, seconds: 6 }),
    ];
    await page.goto(`${baseUrl}/renders`);
    await page.locator('input[data-upload="footage"]').setInputFiles(clips);
    const uploaded = page.locator('.upload:has(input[data-upload="footage"]) [data-upload-status] li.ok');
    await expect.poll(() => uploaded.count(), { timeout: 60_000 }).toBe(2);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'media-clips-uploaded');

    const site = await getSiteByCode(ctx.db, ctx.config.siteCode);
    const assets = await listMediaAssets(ctx.db, site.id, 'clip');
    const idOf = (name: string) => assets.find((a) => a.displayName === name)?.id;
    const [job] = (await listJobs(ctx.db, { siteId: site.id, category: 'full-time', limit: 1 })).items;
    await page.locator('[data-kind-select]').selectOption('video');
    await page.locator('[data-template-select]').selectOption('site-visit');
    await page.locator('input[name="jobIds"]').fill(String(job?.id));
    const picks = page.locator('[data-clip-pick]');
    await picks
      .nth(0)
      .locator('select[name="clipAsset"]')
      .selectOption(String(idOf('车间实拍.mp4')));
    await picks.nth(0).locator('input[name="clipOut"]').fill('5');
    await page.locator('[data-pick-add]').click();
    await picks
      .nth(1)
      .locator('select[name="clipAsset"]')
      .selectOption(String(idOf('厂门口横拍.mp4')));
    await picks.nth(1).locator('input[name="clipIn"]').fill('1');
    await picks.nth(1).locator('input[name="clipOut"]').fill('6');
    await picks.nth(1).locator('select[name="clipSound"]').selectOption('mute');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'media-site-visit-form');
    await page.getByRole('button', { name: '加入制作队列' }).click();
    const notice = await page.locator('.notice.ok').textContent();
    const id = Number(/#(\d+)/.exec(notice ?? '')?.[1]);
    expect(id, notice ?? '').toBeGreaterThan(0);
    await page.goto(`${baseUrl}/renders/${id}`);
    await page.locator(`[data-render-id="${id}"][data-status="done"]`).waitFor({ timeout: 240_000 });
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'media-site-visit-done');

    // The finished video, as a viewer sees it: the hook over the first clip, the landscape clip
    // fitted over its blurred fill, the end card.
    const response = await page.request.get(`${baseUrl}/api/renders/${id}/output`);
    expect(response.status()).toBe(200);
    const videoFile = path.join(shotsDir, 'media-site-visit.mp4');
    await writeFile(videoFile, await response.body());
    const facts = await probeVideo(videoFile);
    for (const at of [1.5, 4, facts.durationS / 2 + 1, facts.durationS - 2]) {
      shots += 1;
      const frame = path.join(
        shotsDir,
        `${String(shots).padStart(2, '0')}-media-site-visit-frame-${at.toFixed(1)}s.png`,
      );
      await runFfmpeg(['-ss', at.toFixed(2), '-i', videoFile, '-frames:v', '1', '-vf', 'scale=540:-1', '-y', frame]);
    }
    await rm(videoFile);
    await context.close();
  });

  it('an anchor books a job livestream with 20 jobs, opens the console, presents a job, and the overlay shows it', async () => {
    const { page, context } = await signedIn('anchor');
    await page.goto(`${baseUrl}/live/new`);
    await page.locator('input[name="title"]').fill('十二月直播带岗·制造业专场');
    const start = new Date(Date.now() + 10 * 60_000);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: TIMEZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).format(start);
    await page.locator('input[name="day"]').fill(local.slice(0, 10));
    await page.locator('input[name="time"]').fill(local.slice(11, 16));
    const book = page.getByRole('button', { name: '预约直播' });
    const boxes = page.locator('[data-live-results] input[name="jobId"]');
    expect(await boxes.count()).toBeGreaterThanOrEqual(20);
    for (let n = 0; n < 19; n++) await boxes.nth(0).check();
    // The 20-job minimum is shown, and booking waits for it.
    expect(await page.locator('[data-live-counter]').textContent()).toContain('19');
    expect(await book.isDisabled()).toBe(true);
    await shot(page, 'anchor-booking-19');
    await boxes.nth(0).check();
    expect(await book.isDisabled()).toBe(false);
    await book.click();

    const key = (await page.locator('[data-stream-key]').textContent())?.trim() ?? '';
    expect(key).toMatch(/^live_/);
    const overlayUrl = await page.locator('button[data-copy*="/overlay/"]').getAttribute('data-copy');
    expect(overlayUrl).toBeTruthy();
    await shot(page, 'anchor-booked-key-once');

    await page.getByRole('link', { name: '打开直播控制台' }).click();
    await page.locator('#rundown li').nth(19).waitFor();
    expect(await page.locator('#rundown li').count()).toBe(20);
    // The key is shown once, at booking: the console never has it.
    expect(await page.content()).not.toContain(key);
    expect(await page.locator('#current-job').textContent()).toBe('无');
    await page.getByRole('button', { name: '下一个' }).click();
    await expect.poll(() => page.locator('#current-job').textContent()).not.toBe('无');
    const onScreen = (await page.locator('#current-job').textContent())?.trim() ?? '';
    await shot(page, 'anchor-console-presenting');

    const overlay = await context.newPage();
    await overlay.setViewportSize({ width: 1920, height: 1080 });
    await overlay.goto(overlayUrl ?? '');
    const title = (await overlay.locator('#card .title').textContent({ timeout: 10_000 }))?.trim() ?? '';
    expect(title.length).toBeGreaterThan(0);
    expect(onScreen).toContain(title.replace(/…$/, ''));
    await shot(overlay, 'anchor-overlay');
    await context.close();
  });

  it("a manager's dashboard shows the API's numbers, and the downloaded ledger reads back the same", async () => {
    const { page, context } = await signedIn('manager');
    await shot(page, 'manager-dashboard');
    const shown = await dashboardNumbers(page);
    const api = (await page.evaluate(async () => (await fetch('/api/kpi')).json())) as {
      lines: KpiLineView[];
      total: { points: number };
    };
    for (const line of api.lines) {
      const view = shown[line.line] ?? {};
      for (const field of ['target', 'done', 'expectedByToday', 'projected', 'points', 'maxPoints'] as const) {
        expect(view[field], `${line.line}.${field}`).toBe(line[field]);
      }
    }
    expect(shown.total?.points).toBe(api.total.points);
    // What was recorded shows through: 6 videos (one published today in the browser story), 3 reports.
    expect(shown.videos?.done).toBe(6);
    expect(shown.coverage?.done).toBe(3);
    expect(shown.aiFairs?.done).toBe(fairsHeld);
    expect(shown.onsiteFairs?.done).toBe(fairsHeld);

    const download = page.waitForEvent('download');
    await page.locator('a[href^="/export/ledger.xlsx"]').click();
    const file = path.join(dir, 'ledger.xlsx');
    await (await download).saveAs(file);
    const workbook = await readWorkbook(await readFile(file));
    const summary = sheetRows(workbook, '汇总');
    for (const line of api.lines) {
      const row = summary.find((r) => r.考核项目 === line.label);
      expect(row, line.label).toBeDefined();
      expect(row?.已完成, line.label).toBe(shown[line.line]?.done);
      expect(row?.当前得分, line.label).toBe(shown[line.line]?.points);
    }
    expect(summary.find((r) => r.考核项目 === '合计')?.当前得分).toBe(shown.total?.points);
    expect(sheetRows(workbook, '短视频台账')).toHaveLength(6);
    expect(sheetRows(workbook, 'AI数智招聘会台账').filter((row) => row.达标 === '是')).toHaveLength(fairsHeld);
    expect(sheetRows(workbook, '线下招聘会台账').filter((row) => row.达标 === '是')).toHaveLength(fairsHeld);

    for (const section of ['/jobs', '/renders', '/publications', '/live', '/flyers']) {
      await page.goto(`${baseUrl}${section}`);
      expect(page.url()).toBe(`${baseUrl}${section}`);
      await shot(page, `manager-${section.slice(1)}`);
    }
    // A manager reads, but does not queue renders or book livestreams.
    await page.goto(`${baseUrl}/live/new`);
    expect(await page.getByRole('heading', { name: '无权访问' }).count()).toBe(1);
    await shot(page, 'manager-live-new-refused');
    await context.close();
  });
});
