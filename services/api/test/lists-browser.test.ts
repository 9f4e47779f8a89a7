/**
 * The console's long lists in Chromium at a phone's width and a desktop's: 岗位, 导入记录, 制作 and 发布.
 * On a phone each row is a card: the page never scrolls sideways and no list cell is squeezed to a
 * character or two per line. Filters and page links keep each other. Screenshots go to
 * data/test-results/screenshots/lists/.
 */
import path from 'node:path';
import {
  claimRender,
  completeRender,
  createImportBatch,
  createRender,
  failRender,
  prepareJob,
  recordCoverage,
  recordPublication,
  schema,
  writeImportChunk,
} from '@jobcast/db';
import { testAiVoice, testJobRecord } from '@jobcast/db/testing';
import { LocalMediaStore } from '@jobcast/storage';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleInBrowser,
  fitsWidth,
  openConsoleInBrowser,
  screenshotsDir,
  squeezedCells,
} from './browser-support.ts';
import { type ApiFixture, openFixture } from './fixture.ts';

/** Jobs as offices post them: long employer names, pay as typed, places down to the street. */
const JOBS = [
  { employerName: '江西赣江新区智能制造产业园开发有限公司', title: '数控车床操作工', payText: '6000-8000元/月' },
  {
    employerName: '南昌洪城物流有限公司',
    title: '叉车司机',
    payText: '5500-7000元/月',
    location: '南昌市青山湖区京东大道',
  },
  { employerName: '南昌瑶湖家政服务有限公司', title: '钟点保洁', payText: '25元/时', category: 'gig' as const },
  { employerName: '南昌市小蓝经济开发区汽车零部件有限公司', title: '质检员（夜班）', payText: '面议' },
  {
    employerName: '南昌高新区电子信息有限公司',
    title: '电子厂普工',
    payText: '4500-6500元/月',
    category: 'internship' as const,
  },
];
const RENDER_JOBS = 4;

let fx: ApiFixture;
let web: ConsoleInBrowser;
let shotsDir: string;

/** A picture the size a worker writes, in a colour of its own, under `key`. */
async function picture(store: LocalMediaStore, key: string, width: number, height: number, colour: string) {
  await store.writeBuffer(
    key,
    await sharp({ create: { width, height, channels: 3, background: colour } })
      .jpeg()
      .toBuffer(),
  );
}

beforeAll(async () => {
  fx = await openFixture();
  const { db } = fx;
  const siteId = fx.site.id;
  const batch = await createImportBatch(db, { siteId, fileName: '2026年3月岗位汇总（人社局导出）.xlsx' });
  const records = Array.from({ length: 60 }, (_, i) => {
    const job = JOBS[i % JOBS.length] as (typeof JOBS)[number];
    return {
      ...job,
      title: `${job.title}${i >= JOBS.length ? ` ${i + 1}号` : ''}`,
      location: '南昌市红谷滩区丰和中大道 1188 号',
    };
  });
  await writeImportChunk(db, {
    siteId,
    batchId: batch.id,
    rowsRead: records.length,
    rejects: [],
    jobs: records.map((record, i) => prepareJob(testJobRecord({ rowNumber: i + 2, ...record }))),
  });
  const jobIds = (await db.select({ id: schema.jobs.id }).from(schema.jobs).where(eq(schema.jobs.siteId, siteId)))
    .map((row) => row.id)
    .sort((a, b) => a - b);

  const store = new LocalMediaStore(fx.config().mediaDir);
  const videos: number[] = [];
  for (let i = 0; i < 30; i++) {
    const kind = i % 10 === 9 ? 'flyer' : i % 3 === 1 ? 'poster' : 'video';
    const template = kind === 'flyer' ? 'monthly-flyer' : kind === 'poster' ? 'multi-job-poster' : 'job-spotlight';
    const month = `2026-${String((i % 12) + 1).padStart(2, '0')}`;
    const render = await createRender(db, {
      siteId,
      kind,
      template,
      jobIds: Array.from({ length: kind === 'video' ? 1 : RENDER_JOBS }, (_, j) => jobIds[(i * 7 + j) % 60] as number),
      request: kind === 'flyer' ? { kind, template, month, copies: 1000 } : { kind, template },
    });
    if (i % 7 === 3) continue;
    await claimRender(db, render.id);
    if (i % 11 === 5) {
      await failRender(db, render.id, { code: 'TEXT_DOES_NOT_FIT', message: '文字放不下' }, true);
      continue;
    }
    const base = `renders/${render.id}`;
    if (kind === 'flyer') {
      await picture(store, `${base}/page-1.png`, 595, 842, '#c8352d');
      await completeRender(db, render.id, {
        outputKey: `${base}/flyer.pdf`,
        previewKeys: [`${base}/page-1.png`],
        mimeType: 'application/pdf',
        pages: 1,
        bytes: 10,
      });
    } else {
      await picture(store, `${base}/cover.jpg`, 270, 480, ['#1b5fa8', '#1f7a3f', '#a85d00'][i % 3] as string);
      await completeRender(db, render.id, {
        outputKey: `${base}/${kind === 'video' ? 'video.mp4' : 'poster.png'}`,
        coverKey: `${base}/cover.jpg`,
        mimeType: kind === 'video' ? 'video/mp4' : 'image/png',
        bytes: 10,
        aiComponents: kind === 'video' && i % 2 === 0 ? [testAiVoice()] : [],
      });
      if (kind === 'video') videos.push(render.id);
    }
  }

  for (let i = 0; i < 40; i++) {
    const day = `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
    const renderId = i < videos.length ? videos[i] : null;
    await recordPublication(db, {
      siteId,
      renderId,
      platform: i % 3 === 0 ? 'channels' : i % 3 === 1 ? 'douyin' : 'other',
      url: `https://www.douyin.com/video/74000000000000${String(i).padStart(5, '0')}`,
      publishedOn: day,
      title: `${i % 2 ? '春风行动' : '就业之家'}第 ${i + 1} 期：南昌洪城物流有限公司招聘叉车司机、仓库管理员`,
      aiVideo: renderId === null && i % 4 === 0,
      aiTool: renderId === null && i % 4 === 0 ? '剪映 AI 配音' : null,
    });
  }
  for (const [i, outlet] of ['人民网', '江西日报', '中国劳动保障报'].entries()) {
    await recordCoverage(db, {
      siteId,
      outlet,
      level: i === 2 ? 'national' : 'provincial',
      url: `https://example.com/news/${i}`,
      publishedOn: `2026-0${i + 3}-15`,
      title: '南昌青山湖区“职播机”进大厅：求职者扫码看岗位视频，一周促成就业意向百余人',
    });
  }
  shotsDir = await screenshotsDir('lists');
  web = await openConsoleInBrowser(fx);
});
afterAll(async () => {
  await web?.close();
  await fx.close();
});

/** Every thumbnail on the page has loaded (each is brought into view: they load lazily). */
async function thumbnailsLoaded(page: Page): Promise<boolean> {
  for (const thumbnail of await page.locator('img.thumb').all()) await thumbnail.scrollIntoViewIfNeeded();
  return page.evaluate<boolean>(
    `[...document.querySelectorAll('img.thumb')].every((img) => img.complete && img.naturalWidth > 0)`,
  );
}

async function readable(page: Page, width: number, shot: string): Promise<void> {
  expect(await fitsWidth(page), shot).toBe(true);
  expect(await squeezedCells(page, width < 720), shot).toEqual([]);
  await page.screenshot({ path: path.join(shotsDir, `${shot}-${width}.png`), fullPage: true });
}

describe('the long lists in a browser', () => {
  for (const width of [375, 1280]) {
    it(`read at ${width} px: jobs, imports, renders and publications, every cell in whole words`, async () => {
      const page = await web.signedIn(fx.usernames.admin, width);

      await page.goto(`${web.url}/jobs`);
      await expect(page.locator('[data-list="jobs"] tbody tr').count()).resolves.toBe(25);
      await readable(page, width, 'jobs');
      // The category as a person types it; the page link keeps it.
      await page.goto(`${web.url}/jobs?category=${encodeURIComponent('全职')}`);
      await expect(page.locator('select[name="category"]').inputValue()).resolves.toBe('full-time');
      await expect(page.locator('text=共 36 个岗位符合条件').count()).resolves.toBe(1);
      await page.getByRole('link', { name: '下一页' }).click();
      await page.waitForURL(/category=full-time&page=2$/);
      await expect(page.locator('[data-list="jobs"] tbody tr').count()).resolves.toBe(11);

      await page.goto(`${web.url}/imports`);
      await readable(page, width, 'imports');

      await page.goto(`${web.url}/renders#render-list`);
      await expect(page.locator('[data-list="renders"] tbody tr').count()).resolves.toBe(25);
      await expect.poll(() => thumbnailsLoaded(page)).toBe(true);
      await readable(page, width, 'renders');
      // Only the flyers: each by its month, with its first page as the thumbnail.
      await page.locator('[data-render-filters] select[name="type"]').selectOption('flyer');
      await page.locator('[data-render-filters] button[type="submit"]').click();
      await page.waitForURL(/[?&]type=flyer&.*#render-list$/);
      const flyers = page.locator('[data-list="renders"] tbody tr');
      await expect(flyers.count()).resolves.toBe(3);
      await expect(flyers.first().locator('.card-title').textContent()).resolves.toMatch(/^2026-\d\d 招工小报$/);
      await expect(flyers.first().locator('.card-sub').textContent()).resolves.toMatch(/^招工小报（/);
      await expect.poll(() => thumbnailsLoaded(page)).toBe(true);
      await readable(page, width, 'renders-flyers');

      await page.goto(`${web.url}/publications?year=2026`);
      await expect(page.locator('[data-list="publications"] tbody tr').count()).resolves.toBe(25);
      await readable(page, width, 'publications');
      // 抖音 only, then its second page: the filter stays.
      await page.locator('[data-video-filters] select[name="platform"]').selectOption('douyin');
      await page.locator('[data-video-filters] button[type="submit"]').click();
      await page.waitForURL(/[?&]platform=douyin&.*#videos$/);
      await expect(page.locator('text=符合条件的 13 条').count()).resolves.toBe(1);
      await expect(page.locator('[data-list="publications"] tbody tr').count()).resolves.toBe(13);
      await page.context().close();
    });
  }
});
