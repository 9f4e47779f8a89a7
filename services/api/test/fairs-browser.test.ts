/**
 * The 招聘会 pages in Chromium at a desktop's and a phone's width: the year's list (two tables, the
 * month strip) and one fair (employers, photos, plays, verdict). Nothing may scroll the page sideways.
 * Screenshots go to data/test-results/screenshots/fairs/.
 */
import path from 'node:path';
import {
  addFairPhoto,
  createFair,
  createImportBatch,
  createScreenGroup,
  employerNameKey,
  insertScreenPlays,
  prepareJob,
  schema,
  setFairEmployers,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { serviceYearOf } from '@jobcast/ledger';
import { storeFairPhoto } from '@jobcast/renders';
import { LocalMediaStore } from '@jobcast/storage';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, fitsWidth, openConsoleInBrowser, screenshotsDir } from './browser-support.ts';
import { EMPLOYERS as DEMO_EMPLOYERS } from './demo-like-site.ts';
import { type ApiFixture, openFixture } from './fixture.ts';

/** More employers than a fair may list: the demo-like site's and three more. */
const EMPLOYERS = [
  ...DEMO_EMPLOYERS,
  '南昌市小蓝经济开发区汽车零部件有限公司',
  '江西省人力资源服务产业园运营管理有限公司',
  '南昌新建区农业科技有限公司',
];

let fx: ApiFixture;
let web: ConsoleInBrowser;
let shotsDir: string;
let fairId: number;
/** An on-site fair ten days ahead with its ten employers: shown as 未举办, not counted. */
let upcomingId: number;
let upcomingYear: number;

beforeAll(async () => {
  fx = await openFixture();
  const siteId = fx.site.id;
  const db = fx.db;
  const group = await createScreenGroup(db, { siteId, name: '招聘会场' });
  const batch = await createImportBatch(db, { siteId, fileName: 'jobs.csv' });
  const titles = ['叉车司机', '仓库管理员', '普工', '帮厨'];
  await writeImportChunk(db, {
    siteId,
    batchId: batch.id,
    rejects: [],
    rowsRead: EMPLOYERS.length * 2,
    jobs: EMPLOYERS.flatMap((employerName, i) =>
      titles.slice(0, 1 + (i % 4)).map((title, j) =>
        prepareJob(
          testJobRecord({
            rowNumber: i * 4 + j + 2,
            employerName,
            employerKey: employerNameKey(employerName),
            title,
          }),
        ),
      ),
    ),
  });
  const at = (local: string) => new Date(`${local}:00+08:00`);
  const fair = async (
    kind: 'ai' | 'onsite',
    title: string,
    start: string,
    hours: number,
    employers: number,
    extra = {},
  ) => {
    const row = await createFair(db, {
      siteId,
      kind,
      title,
      startsAt: at(start),
      endsAt: new Date(at(start).getTime() + hours * 3_600_000),
      venue: kind === 'ai' ? '区人力资源市场一楼大厅' : '青山湖区体育馆',
      groupId: kind === 'ai' ? group.id : null,
      jobSeekers: 80 + employers * 10,
      offers: 10 + employers,
      ...extra,
    });
    await setFairEmployers(
      db,
      siteId,
      row.id,
      EMPLOYERS.slice(0, employers).map((name) => ({ name })),
    );
    return row;
  };
  const main = await fair('ai', '五月 AI 数智招聘会（青山湖专场）', '2026-05-10T09:00', 2.5, 6, {
    plan: '上午九点开场，职播机循环播放 6 家单位的带岗视频。',
    summary: '到场求职者 140 人，达成意向 16 人。',
  });
  fairId = main.id;
  await fair('ai', '六月 AI 数智招聘会', '2026-06-14T09:00', 2, 5);
  await fair('ai', '七月 AI 数智招聘会（单位过多）', '2026-07-12T14:00', 3, 11);
  await fair('onsite', '春风行动线下招聘会', '2026-01-20T09:00', 4, 11);
  await fair('onsite', '三月线下招聘会', '2026-03-15T09:00', 4, 10);
  await fair('onsite', '五月小型线下招聘会', '2026-05-22T09:00', 3, 4);
  const ahead = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  upcomingId = (await fair('onsite', '年末线下招聘会（尚未举办）', `${ahead}T09:00`, 3, 10)).id;
  upcomingYear = serviceYearOf(ahead, fx.site.serviceYearStart);
  const [screen] = await db
    .insert(schema.screens)
    .values({ siteId, groupId: group.id, name: '会场 1 号机', tokenHash: 'fairs-browser-screen' })
    .returning();
  await insertScreenPlays(
    db,
    { id: screen?.id as number, siteId, groupId: group.id },
    Array.from({ length: 9 }, (_, i) => ({
      playId: `p${i}`,
      renderId: 100 + (i % 3),
      jobIds: [1],
      startedAt: new Date(at('2026-05-10T09:05').getTime() + i * 600_000),
      endedAt: new Date(at('2026-05-10T09:05').getTime() + i * 600_000 + 30_000),
      playedMs: 30_000,
      completed: i !== 4,
      clockOffsetMs: 0,
    })),
  );
  const store = new LocalMediaStore(fx.config().mediaDir);
  const scratch = await store.scratchDir('fairs-browser');
  for (const [i, colour] of ['#c8352d', '#1b5fa8', '#1f7a3f', '#a85d00'].entries()) {
    const file = path.join(scratch, `photo-${i}.jpg`);
    await sharp({ create: { width: 1600, height: i % 2 ? 1200 : 900, channels: 3, background: colour } })
      .jpeg()
      .toFile(file);
    const displayName = `现场照片-${i + 1}.jpg`;
    const stored = await storeFairPhoto(store, { siteId, fairId, file, displayName });
    await addFairPhoto(db, { siteId, fairId, ...stored, displayName });
  }
  await store.dropScratch('fairs-browser');
  shotsDir = await screenshotsDir('fairs');
  web = await openConsoleInBrowser(fx);
});
afterAll(async () => {
  await web?.close();
  await fx.close();
});

describe('the 招聘会 pages in a browser', () => {
  for (const width of [1280, 375]) {
    it(`read at ${width} px: the year's list and one fair with its photos`, async () => {
      const page = await web.signedIn(fx.usernames.media, width);
      await page.goto(`${web.url}/fairs?year=2026`);
      await expect(page.locator('[data-list="fairs-ai"] tbody tr').count()).resolves.toBe(3);
      await expect(page.locator('[data-list="fairs-onsite"] tbody tr').count()).resolves.toBe(
        upcomingYear === 2026 ? 4 : 3,
      );
      // January and March; not the month of the fair still to come.
      await expect(page.locator('.fair-months li.met').count()).resolves.toBe(2);
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: path.join(shotsDir, `list-${width}.png`), fullPage: true });

      await page.goto(`${web.url}/fairs/${fairId}`);
      await expect(page.locator('[data-field="verdict"] .badge').textContent()).resolves.toBe('达标');
      await expect(page.locator('[data-field="plays"]').textContent()).resolves.toContain('完整播放 8 次，共 3 条');
      // Every thumbnail loaded.
      await expect
        .poll(() =>
          page
            .locator('.fair-photos img')
            .evaluateAll((images) =>
              images.every((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0),
            ),
        )
        .toBe(true);
      await expect(page.locator('.fair-photos img').count()).resolves.toBe(4);
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: path.join(shotsDir, `detail-${width}.png`), fullPage: true });

      await page.goto(`${web.url}/fairs?year=${upcomingYear}`);
      await expect(
        page.locator(`tr[data-fair-id="${upcomingId}"] [data-field="verdict"] .badge`).textContent(),
      ).resolves.toBe('未举办');
      expect(await fitsWidth(page)).toBe(true);
      await page.goto(`${web.url}/fairs/${upcomingId}`);
      await expect(page.locator('[data-field="verdict"]').textContent()).resolves.toContain('已登记，尚未举办');
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: path.join(shotsDir, `upcoming-${width}.png`), fullPage: true });

      await page.goto(`${web.url}/fairs/new`);
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: path.join(shotsDir, `new-${width}.png`), fullPage: true });
      await page.context().close();
    });
  }
});
