/**
 * The 直播 pages in Chromium at a phone's width and a desktop's, with a year of sessions as an office
 * has them: the list (cards on a phone, not a squeezed table), the calendar, a session, the booking
 * form, and the anchor console with the preview, the job on screen and the buttons above the rundown.
 * Nothing may scroll sideways, and no text may wrap to a character or two a line.
 * Screenshots go to data/test-results/screenshots/live/.
 */
import path from 'node:path';
import type { LiveSessionType } from '@jobcast/core';
import { createImportBatch, prepareJob, schema, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { siteDayAndTime } from '@jobcast/ledger';
import { bookLiveSession, endLiveSession, loadSecretBox, openSegment, presentJob, reportSegment } from '@jobcast/live';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brokenWords,
  type ConsoleInBrowser,
  fitsWidth,
  openConsoleInBrowser,
  screenshotsDir,
} from './browser-support.ts';
import { type ApiFixture, openFixture } from './fixture.ts';

const env = { JOBCAST_STREAM_PUBLIC_URL: 'http://127.0.0.1:1' };
const DAY = 86_400_000;
const EMPLOYERS = [
  '江西赣江新区智能制造产业园开发有限公司',
  '南昌洪城物流有限公司',
  '南昌市小蓝经济开发区汽车零部件有限公司',
  '南昌瑶湖家政服务有限公司',
];
const TITLES = ['数控车床操作工（两班倒）', '仓库管理员', '汽车零部件质检员', '育婴师（持证优先）', '叉车司机'];
const ANCHORS = ['王晓燕', '李明', '陈静（外请主持）'];
const OTHERS: { type: LiveSessionType; title: string }[] = [
  { type: 'policy', title: '就业创业补贴政策解读' },
  { type: 'training', title: '零工技能培训：家政服务入门' },
  { type: 'visit', title: '走进小蓝经开区汽车零部件企业' },
];

let fx: ApiFixture;
let web: ConsoleInBrowser;
let shotsDir: string;
let liveId: number;
let endedId: number;
/** Booked for five days ahead. */
let comingId: number;

beforeAll(async () => {
  fx = await openFixture();
  const { db } = fx;
  const siteId = fx.site.id;
  // The service year starts 90 days ago, so the year past and the days to come are one year whatever today is.
  const start = siteDayAndTime(fx.site.timezone, new Date(Date.now() - 90 * DAY)).day.slice(5);
  await db.$client.query('update sites set service_year_start = $1 where id = $2', [
    start === '02-29' ? '03-01' : start,
    siteId,
  ]);
  const batch = await createImportBatch(db, { siteId, fileName: 'jobs.csv' });
  const count = 24;
  await writeImportChunk(db, {
    siteId,
    batchId: batch.id,
    rejects: [],
    rowsRead: count,
    jobs: Array.from({ length: count }, (_, i) =>
      prepareJob(
        testJobRecord({
          rowNumber: i + 2,
          employerName: EMPLOYERS[i % EMPLOYERS.length] as string,
          title: `${TITLES[i % TITLES.length]}${i + 1}`,
          fingerprint: `live-browser-${i}`,
        }),
      ),
    ),
  });
  // Ids follow the import's order of employers, not the rows: the rundown goes by the number in the title.
  const number = (title: string) => Number(/\d+$/.exec(title)?.[0]);
  const jobIds = (
    await db
      .select({ id: schema.jobs.id, title: schema.jobs.title })
      .from(schema.jobs)
      .where(eq(schema.jobs.siteId, siteId))
  )
    .sort((a, b) => number(a.title) - number(b.title))
    .map((row) => row.id);

  const config = fx.config(env);
  const rules = config.live;
  const deps = { db, rules, urls: config, secrets: await loadSecretBox(config) };
  const book = (type: LiveSessionType, title: string, at: Date, k: number, now = new Date(at.getTime() - 2 * DAY)) =>
    bookLiveSession(
      deps,
      { siteId, userId: fx.userIds.anchor, displayName: '王晓燕' },
      {
        type,
        title,
        anchorName: ANCHORS[k % ANCHORS.length],
        start: at,
        minutes: 90,
        jobIds: type === 'job' ? jobIds.slice(0, 22) : [],
      },
      now,
    );
  /** Live for `seconds` from two minutes past its slot, the first `shown` jobs presented, then ended by the anchor. */
  const broadcast = async (sessionId: number, at: Date, seconds: number, shown: number, force: boolean) => {
    const startedAt = new Date(at.getTime() + 120_000);
    const segment = await openSegment(db, sessionId, {
      clientAddress: '192.168.1.20',
      startedAt,
      recordingKey: (seq) => `live/${sessionId}/segment-${seq}.flv`,
    });
    for (let i = 0; i < shown; i++)
      await presentJob(db, sessionId, 'next', siteId, new Date(startedAt.getTime() + ((i * seconds) / shown) * 1000));
    const lastSeenAt = new Date(startedAt.getTime() + seconds * 1000);
    await reportSegment(db, segment.id, {
      mediaMs: seconds * 1000,
      bytes: seconds * 300_000,
      hasVideo: true,
      hasAudio: true,
      lastSeenAt,
    });
    await endLiveSession(
      db,
      rules,
      sessionId,
      { reason: 'anchor', force, siteId },
      new Date(lastSeenAt.getTime() + 30_000),
    );
  };

  // Two 直播带岗 a week and an other livestream every ten days, the way back to 80 days ago; the fifth falls short.
  for (let k = 0; k < 24; k++) {
    const at = new Date(Date.now() - (80 - k * 3) * DAY);
    const { sessionId } = await book('job', `第 ${k + 1} 场直播带岗·制造业与物流专场`, at, k);
    const short = k === 4;
    await broadcast(sessionId, at, short ? 2000 : rules.guardMinLiveSeconds + 300, short ? 11 : 22, short);
    endedId = sessionId;
  }
  for (let k = 0; k < 8; k++) {
    const at = new Date(Date.now() - (79 - k * 10) * DAY);
    const other = OTHERS[k % OTHERS.length] as (typeof OTHERS)[number];
    const { sessionId } = await book(other.type, `${other.title}（第 ${k + 1} 期）`, at, k + 1);
    await broadcast(sessionId, at, rules.otherMinLiveSeconds + 300, 0, false);
  }
  // A booking whose slot went by without anyone going live, and two to come.
  await book('job', '错过的直播带岗', new Date(Date.now() - 3 * DAY), 0);
  comingId = (await book('job', '下周直播带岗·服务业专场', new Date(Date.now() + 5 * DAY), 1, new Date())).sessionId;
  await book('training', '零工技能培训：叉车安全操作', new Date(Date.now() + 8 * DAY), 2, new Date());

  // Live now: ten minutes in, the third job of the rundown on screen.
  const now = new Date();
  liveId = (await book('job', '今天直播带岗·汽车零部件专场', new Date(now.getTime() - 12 * 60_000), 0, now)).sessionId;
  const segment = await openSegment(db, liveId, {
    clientAddress: '192.168.1.20',
    startedAt: new Date(now.getTime() - 10 * 60_000),
    recordingKey: (seq) => `live/${liveId}/segment-${seq}.flv`,
  });
  await reportSegment(db, segment.id, {
    mediaMs: 600_000,
    bytes: 180_000_000,
    hasVideo: true,
    hasAudio: true,
    lastSeenAt: now,
  });
  for (let i = 0; i < 3; i++) await presentJob(db, liveId, 'next', siteId, new Date(now.getTime() - (3 - i) * 60_000));

  shotsDir = await screenshotsDir('live');
  web = await openConsoleInBrowser(fx, { env });
});
afterAll(async () => {
  await web?.close();
  await fx.close();
});

type Box = { top: number; bottom: number; left: number; right: number };
async function box(page: Page, selector: string): Promise<Box> {
  const found = await page.locator(selector).first().boundingBox({ timeout: 5000 });
  if (!found) throw new Error(`${selector} is not shown`);
  return { top: found.y, bottom: found.y + found.height, left: found.x, right: found.x + found.width };
}

describe('the 直播 pages in a browser', () => {
  for (const width of [375, 1280]) {
    it(`read at ${width} px: the list as cards on a phone, whole words, nothing sideways`, async () => {
      const page = await web.signedIn(fx.usernames.anchor, width, 800);
      await page.goto(`${web.url}/live`);
      const rows = page.locator('.live-sessions [data-session-id]');
      // The year's 32 ended, the missed one, the two to come and the one live now.
      await expect(rows.count()).resolves.toBe(36);
      await page.screenshot({ path: path.join(shotsDir, `list-${width}.png`), fullPage: true });
      expect(await fitsWidth(page)).toBe(true);
      expect(await brokenWords(page, '.live-sessions')).toEqual([]);
      if (width === 375) {
        // A card is a few lines: a phone screen shows several, and the year is not a wall of one-character columns.
        const heights = await rows.evaluateAll((cards) => cards.map((card) => card.getBoundingClientRect().height));
        expect(Math.max(...heights)).toBeLessThan(200);
        const tall = await page.evaluate<number>('document.documentElement.scrollHeight');
        expect(tall).toBeLessThan(36 * 200);
      }

      await page.goto(`${web.url}/live/${endedId}`);
      await page.screenshot({ path: path.join(shotsDir, `session-${width}.png`), fullPage: true });
      expect(await fitsWidth(page)).toBe(true);
      expect(await brokenWords(page, 'main table')).toEqual([]);

      await page.goto(`${web.url}/live?view=calendar`);
      await page.screenshot({ path: path.join(shotsDir, `calendar-${width}.png`), fullPage: true });
      expect(await fitsWidth(page)).toBe(true);
      expect(await brokenWords(page, '.live-calendar')).toEqual([]);

      await page.goto(`${web.url}/live/new`);
      await page.screenshot({ path: path.join(shotsDir, `new-${width}.png`), fullPage: true });
      expect(await fitsWidth(page)).toBe(true);
      expect(await brokenWords(page, 'form[data-live-booking]')).toEqual([]);
      await page.context().close();
    });

    it(`opens the anchor console at ${width} px with the preview, the job on screen and the buttons before the rundown`, async () => {
      const page = await web.signedIn(fx.usernames.anchor, width, 800);
      await page.goto(`${web.url}/console/live/${liveId}`);
      await page.locator('#current-job', { hasText: '汽车零部件质检员3' }).waitFor();
      await page.locator('#rundown li.current').waitFor();
      await page.screenshot({ path: path.join(shotsDir, `console-${width}.png`), fullPage: true });
      expect(await fitsWidth(page)).toBe(true);
      expect(await brokenWords(page, '.live-console')).toEqual([]);
      const rundown = await box(page, '#rundown');
      for (const control of ['.live-preview', '#current-job', '#previous', '#next']) {
        const shown = await box(page, control);
        // Above the rundown on a phone; on a desktop, beside it.
        if (width === 375) expect(shown.bottom, control).toBeLessThanOrEqual(rundown.top);
        else expect(shown.right, control).toBeLessThanOrEqual(rundown.left);
        // At the top: the anchor sees it without scrolling.
        expect(shown.bottom, control).toBeLessThan(800);
      }
      if (width === 375) {
        // Scrolled down the rundown, the job on screen and the buttons stay in reach.
        await page.locator('#rundown li').last().scrollIntoViewIfNeeded();
        const next = await box(page, '#next');
        expect(next.top).toBeGreaterThanOrEqual(0);
        expect(next.bottom).toBeLessThan(800);
      }
      await page.getByRole('button', { name: '下一个' }).click();
      await page.locator('#current-job', { hasText: '育婴师（持证优先）4' }).waitFor();
      await page.getByRole('button', { name: '上一个' }).click();
      await page.locator('#current-job', { hasText: '汽车零部件质检员3' }).waitFor();

      // Before it goes live the preview's place says what will be there.
      await page.goto(`${web.url}/console/live/${comingId}`);
      await page.locator('#preview-idle', { hasText: '开播后这里显示预览画面' }).waitFor();
      expect(await page.locator('#preview').isHidden()).toBe(true);
      await page.screenshot({ path: path.join(shotsDir, `console-booked-${width}.png`) });
      await page.context().close();
    });
  }
});
