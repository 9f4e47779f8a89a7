/**
 * The media team records a media report with a screenshot of the article in Chromium, then reads the
 * report's evidence page at a desktop's and a phone's width: the screenshot shows in the page and
 * nothing scrolls sideways. Screenshots go to data/test-results/screenshots/coverage/.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listCoverage } from '@jobcast/db';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, fitsWidth, openConsoleInBrowser, screenshotsDir } from './browser-support.ts';
import { type ApiFixture, openFixture } from './fixture.ts';

let fx: ApiFixture;
let web: ConsoleInBrowser;
let shotsDir: string;
let screenshotFile: string;

/** A phone's screenshot of an article: a headline band over grey text lines. */
async function articleScreenshot(): Promise<Buffer> {
  const lines = Array.from(
    { length: 14 },
    (_, i) => `<rect x="40" y="${260 + i * 56}" width="${i % 4 === 3 ? 420 : 640}" height="22" fill="#c9c9c9"/>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="1100">
    <rect width="720" height="1100" fill="#ffffff"/><rect width="720" height="180" fill="#b3001b"/>
    <rect x="40" y="60" width="520" height="56" fill="#ffffff"/>${lines}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

beforeAll(async () => {
  fx = await openFixture();
  shotsDir = await screenshotsDir('coverage');
  screenshotFile = path.join(fx.dataDir, '人民网报道截图.png');
  await writeFile(screenshotFile, await articleScreenshot());
  web = await openConsoleInBrowser(fx);
});
afterAll(async () => {
  await web?.close();
  await fx.close();
});

describe('a media report with its screenshot, in a browser', () => {
  it('is recorded with the screenshot from the 登记媒体报道 form, and the list links it', async () => {
    const page = await web.signedIn(fx.usernames.media, 1280);
    await page.goto(`${web.url}/publications/coverage/new`);
    await page.getByLabel('媒体名称').fill('人民网');
    await page.getByLabel('媒体级别').selectOption('national');
    await page.getByLabel('报道链接').fill('https://www.people.com.cn/n1/2026/0501/c1-1.html');
    await page.getByLabel('报道日期').fill('2026-05-01');
    await page.getByLabel('报道标题').fill('零工驿站助力灵活就业：家门口找到好工作');
    await page.getByLabel(/报道截图或 PDF/).setInputFiles(screenshotFile);
    await page.getByRole('button', { name: '登记' }).click();
    await page.waitForURL(/\/publications\?year=2026/);
    await expect(page.locator('.notice').textContent()).resolves.toContain('附截图「人民网报道截图.png」');
    const [report] = await listCoverage(fx.db, fx.site.id);
    expect(report?.evidenceName).toBe('人民网报道截图.png');
    await expect(
      page.locator(`[data-coverage-id="${report?.id}"] [data-field="evidence"] a`).getAttribute('href'),
    ).resolves.toBe(`/publications/coverage/${report?.id}/evidence`);
    await page.close();
  });

  for (const width of [1280, 375]) {
    it(`shows the screenshot on the report's page at ${width} px`, async () => {
      const [report] = await listCoverage(fx.db, fx.site.id);
      const page = await web.signedIn(fx.usernames.media, width);
      await page.goto(`${web.url}/publications/coverage/${report?.id}/evidence`);
      const image = page.locator('[data-field="evidence"] img');
      await expect
        .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
        .toBe(720);
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: path.join(shotsDir, `evidence-${width}.png`), fullPage: true });
      await page.goto(`${web.url}/publications?year=2026`);
      expect(await fitsWidth(page)).toBe(true);
      await page.screenshot({ path: path.join(shotsDir, `list-${width}.png`), fullPage: true });
      await page.close();
    });
  }
});
