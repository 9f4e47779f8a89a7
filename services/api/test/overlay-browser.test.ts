import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createImportBatch, prepareJob, schema, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, openConsoleInBrowser } from './browser-support.ts';
import { type ApiFixture, openFixture, password } from './fixture.ts';

const resultsDir = fileURLToPath(new URL('../../../data/test-results/', import.meta.url));

const jobA = { employerName: '南昌洪城电子科技有限公司', title: '叉车司机（A 班）' };
// Markup in a job title must reach the screen as the characters typed, and never run.
const jobB = {
  employerName: '江西赣江物流有限公司',
  title: '<img src=x onerror="window.__injected=1">仓库管理员 & 理货',
};

let fx: ApiFixture;
let web: ConsoleInBrowser;
let rundown: number[];
let idOf: (title: string) => number;

async function api(path: string, payload: unknown): Promise<Response> {
  const response = await fetch(`${web.url}${path}`, {
    method: 'POST',
    headers: { ...fx.bearer('anchor'), 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return response;
}

/** Until the card shows `title` (the page's script policy forbids waiting on an evaluated string). */
function cardTitle(page: Page, title: string) {
  return page.locator('#card .title', { hasText: title }).waitFor({ timeout: 5000 });
}

beforeAll(async () => {
  fx = await openFixture();
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'overlay.csv' });
  const records = [
    jobA,
    jobB,
    ...Array.from({ length: 18 }, (_, i) => ({ employerName: `企业${i}`, title: `岗位${i}` })),
  ];
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rejects: [],
    rowsRead: records.length,
    jobs: records.map((record, i) => prepareJob(testJobRecord({ rowNumber: i + 2, ...record }))),
  });
  const jobs = await fx.db
    .select({ id: schema.jobs.id, title: schema.jobs.title })
    .from(schema.jobs)
    .where(eq(schema.jobs.siteId, fx.site.id));
  idOf = (title) => jobs.find((job) => job.title === title)?.id as number;
  rundown = records.map((record) => idOf(record.title));
  await fx.db
    .update(schema.sites)
    .set({ qrUrl: 'https://jobs.example.cn/site/demo' })
    .where(eq(schema.sites.id, fx.site.id));
  web = await openConsoleInBrowser(fx);
});
afterAll(async () => {
  await web?.close();
  await fx.close();
});

async function book(title: string): Promise<{ sessionId: number; overlayUrl: string }> {
  const booked = await api('/api/live', {
    type: 'job',
    title,
    start: new Date(Date.now() + 600_000).toISOString(),
    jobIds: rundown,
  });
  return (await booked.json()) as { sessionId: number; overlayUrl: string };
}

describe('the OBS overlay in Chromium', () => {
  it('follows the job on screen within seconds, on a transparent page', async () => {
    const { sessionId, overlayUrl } = await book('浏览器叠加层');
    const page = await web.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${web.url}${new URL(overlayUrl).pathname}`);
    expect(await page.locator('#card').isHidden()).toBe(true);

    await api(`/api/live/${sessionId}/present`, { jobId: idOf(jobA.title) });
    await cardTitle(page, jobA.title);

    const latencies: number[] = [];
    for (const job of [jobB, jobA, jobB]) {
      const started = performance.now();
      await api(`/api/live/${sessionId}/present`, { jobId: idOf(job.title) });
      await cardTitle(page, job.title);
      latencies.push(Math.round(performance.now() - started));
    }
    console.log(`overlay: present → card on screen in ${latencies.join(' ms, ')} ms (request, NOTIFY, SSE, DOM)`);
    for (const latency of latencies) expect(latency).toBeLessThan(5000);

    expect(await page.locator('#card .title').textContent()).toBe(jobB.title);
    expect(await page.locator('#card .employer').textContent()).toBe(jobB.employerName);
    expect(await page.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();
    expect(await page.locator('#card img').count()).toBe(1);
    await expect.poll(() => page.locator('#card .qr img').evaluate((image) => image.naturalWidth)).toBeGreaterThan(0);
    const font = await page
      .locator('#card .title')
      .evaluate((title) => title.ownerDocument.defaultView.getComputedStyle(title).fontFamily);
    expect(font).toContain('Noto Sans CJK SC');

    await mkdir(resultsDir, { recursive: true });
    const png = await page.screenshot({ path: `${resultsDir}overlay.png`, omitBackground: true });
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([1920, 1080]);
    const alphaAt = (x: number, y: number) => data[(y * info.width + x) * info.channels + 3];
    expect(alphaAt(0, 0)).toBe(0);
    expect(alphaAt(960, 400)).toBe(0);
    expect(alphaAt(960, 1000)).toBeGreaterThan(200);

    await api(`/api/live/${sessionId}/end`, { force: true });
    await page.locator('#card').waitFor({ state: 'hidden', timeout: 5000 });
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the anchor console in Chromium', () => {
  it('signs in, puts jobs on screen, and ends a session not yet qualified only when forced', async () => {
    const { sessionId, overlayUrl } = await book('浏览器控制台');
    const page = await web.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // The refused end is a 422 the browser reports too; a script or style the policy blocked is a fault.
    page.on('console', (message) => {
      if (/Content Security Policy/.test(message.text())) problems.push(message.text());
    });
    page.on('dialog', (dialog) => dialog.accept());
    await page.goto(`${web.url}/console/live/${sessionId}`);

    await page.getByLabel('用户名').fill(fx.usernames.anchor);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#title', { hasText: '直播带岗：浏览器控制台' }).waitFor();
    expect(await page.locator('#verdict').textContent()).toBe('尚未达标：直播时长还差 60 分钟，讲解岗位还差 20 个');
    expect(await page.locator('#overlay-url').textContent()).toBe(overlayUrl);
    expect(await page.locator('#rundown li').count()).toBe(rundown.length);

    await page.getByRole('button', { name: '下一个' }).click();
    await page.locator('#current-job', { hasText: jobA.title }).waitFor();
    await page.locator('#rundown li').nth(1).getByRole('button', { name: '上屏' }).click();
    await page.locator('#current-job', { hasText: jobB.title }).waitFor();

    await page.getByRole('button', { name: '结束直播' }).click();
    await page.locator('#message', { hasText: '本场尚未达标' }).waitFor();
    await page.getByRole('button', { name: '强制结束' }).click();
    await page.locator('#status', { hasText: '已结束' }).waitFor();
    expect(await page.locator('#verdict').textContent()).toBe('未达标（强制结束）');
    expect(await page.getByRole('button', { name: '下一个' }).isDisabled()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
