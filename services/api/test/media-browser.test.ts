/**
 * The 制作 page's media in Debian's Chromium, on a phone's width and a desktop's: uploads through the
 * page's script, a refusal's reason beside the upload, the fields each template uses, and a footage
 * video queued from the clip picker. Screenshots go to data/test-results/screenshots/media/.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createImportBatch, getRender, listMediaAssets, prepareJob, schema, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { makeTestClip, makeTestTone } from '@jobcast/renders/testing';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, fitsWidth, openConsoleInBrowser, screenshotsDir } from './browser-support.ts';
import { type ApiFixture, openFixture } from './fixture.ts';

let fx: ApiFixture;
let web: ConsoleInBrowser;
let shotsDir: string;
let dir: string;
let jobId: number;
const files = {} as Record<'clip' | 'photo' | 'pdf' | 'tone', string>;

beforeAll(async () => {
  fx = await openFixture();
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-media-browser-'));
  shotsDir = await screenshotsDir('media');
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rowsRead: 1,
    rejects: [],
    jobs: [prepareJob(testJobRecord({ employerName: '南昌探岗电子厂', title: '装配工' }))],
  });
  const [job] = await fx.db.select({ id: schema.jobs.id }).from(schema.jobs).where(eq(schema.jobs.siteId, fx.site.id));
  jobId = job?.id as number;
  files.clip = await makeTestClip(path.join(dir, '车间实拍.mp4'), { width: 360, height: 640, seconds: 3 });
  files.photo = path.join(dir, '大门.jpg');
  await sharp({ create: { width: 800, height: 600, channels: 3, background: '#468' } })
    .jpeg()
    .toFile(files.photo);
  files.pdf = path.join(dir, '招聘简章.mp4');
  await writeFile(files.pdf, '%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
  files.tone = await makeTestTone(path.join(dir, '厂歌.mp3'), { seconds: 6 });
  web = await openConsoleInBrowser(fx);
});
afterAll(async () => {
  await web?.close();
  await fx.close();
  await rm(dir, { recursive: true, force: true });
});

/** The 制作 page, signed in as the media team at `width`. */
async function rendersPage(width: number): Promise<Page> {
  const page = await web.signedIn(fx.usernames.media, width);
  await page.goto(`${web.url}/renders`);
  return page;
}

describe('the media on the 制作 page, in a browser', () => {
  it('on a phone: uploads clips and photos, says why a file was refused, and shows the fields each template uses', async () => {
    const page = await rendersPage(375);
    const footage = page.locator('.upload:has(input[data-upload="footage"])');
    await page.locator('input[data-upload="footage"]').setInputFiles([files.clip, files.photo, files.pdf]);
    await footage.locator('[data-upload-status] li.bad').waitFor({ timeout: 30_000 });
    await expect(footage.locator('[data-upload-status] li.bad').textContent()).resolves.toMatch(
      /^「招聘简章\.mp4」不是视频文件（看起来是 PDF 文档）/,
    );
    await expect(footage.locator('[data-upload-status] li.ok').allTextContents()).resolves.toEqual([
      '「车间实拍.mp4」已加入：视频 · 竖屏 · 3 秒 · 有原声',
      '「大门.jpg」已加入：照片 · 横屏',
    ]);
    await expect(page.locator('[data-asset-list="footage"] .asset-card').count()).resolves.toBe(2);
    const [photo, clip] = await listMediaAssets(fx.db, fx.site.id, null);

    await page.locator('[data-kind-select]').selectOption('video');
    await page.locator('[data-template-select]').selectOption('site-visit');
    await expect(page.locator('fieldset[data-template-needs="footage"]').isVisible()).resolves.toBe(true);
    await expect(page.locator('fieldset[data-template-needs="explainer"]').isVisible()).resolves.toBe(false);
    await expect(page.locator('input[name="jobIds"]').isVisible()).resolves.toBe(true);
    // The clip just uploaded is offered in the picker without a reload.
    const firstPick = page.locator('[data-clip-pick]').first().locator('select[name="clipAsset"]');
    await expect(firstPick.locator(`option[value="${clip?.id}"]`).count()).resolves.toBe(1);
    await page.locator('[data-pick-add]').click();
    await expect(page.locator('[data-clip-pick]').count()).resolves.toBe(2);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: path.join(shotsDir, 'site-visit-375.png'), fullPage: true });

    await page.locator('[data-template-select]').selectOption('policy-explainer');
    await expect(page.locator('fieldset[data-template-needs="explainer"]').isVisible()).resolves.toBe(true);
    await expect(page.locator('fieldset[data-template-needs="footage"]').isVisible()).resolves.toBe(false);
    // A policy explainer shows no job: the job picker is set aside.
    await expect(page.locator('input[name="jobIds"]').isVisible()).resolves.toBe(false);
    await expect(page.locator(`input[name="explainerImage"][value="${photo?.id}"]`).count()).resolves.toBe(1);
    expect(await fitsWidth(page)).toBe(true);

    const music = page.locator('.upload:has(input[data-upload="music"])');
    await page.locator('input[data-upload="music"]').setInputFiles(files.tone);
    await music.locator('[data-upload-status] li.ok').waitFor({ timeout: 30_000 });
    const [track] = await listMediaAssets(fx.db, fx.site.id, 'music');
    await expect(
      page.locator(`select[name="music"] option[value="library-${track?.id}"]`).textContent(),
    ).resolves.toMatch(/^厂歌\.mp3（6(\.\d)? 秒）$/);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: path.join(shotsDir, 'policy-explainer-375.png'), fullPage: true });
    await page.context().close();
  });

  it('on a desktop: queues a site-visit video from the clip picker, with a library track', async () => {
    const page = await rendersPage(1280);
    const [clip] = await listMediaAssets(fx.db, fx.site.id, 'clip');
    const [track] = await listMediaAssets(fx.db, fx.site.id, 'music');
    await page.locator('[data-kind-select]').selectOption('video');
    await page.locator('[data-template-select]').selectOption('site-visit');
    await page.locator('input[name="jobIds"]').fill(String(jobId));
    const pick = page.locator('[data-clip-pick]').first();
    await pick.locator('select[name="clipAsset"]').selectOption(String(clip?.id));
    await pick.locator('input[name="clipIn"]').fill('0.5');
    await pick.locator('input[name="clipOut"]').fill('2.5');
    await pick.locator('select[name="clipSound"]').selectOption('mute');
    await page.locator('select[name="music"]').selectOption(`library-${track?.id}`);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: path.join(shotsDir, 'site-visit-1280.png'), fullPage: true });
    await page.getByRole('button', { name: '加入制作队列' }).click();
    await page.waitForURL(`${web.url}/renders`);
    const notice = (await page.locator('.notice').first().textContent()) ?? '';
    const renderId = Number(/已加入制作队列：短视频 #(\d+)/.exec(notice)?.[1]);
    expect((await getRender(fx.db, renderId)).request).toMatchObject({
      template: 'site-visit',
      music: `library-${track?.id}`,
      clips: [{ asset: clip?.id, inS: 0.5, outS: 2.5, sound: 'mute' }],
    });
    await page.context().close();
  });
});
