import { type UserRole, userRoles } from '@jobcast/core';
import {
  claimRender,
  completeRender,
  createImportBatch,
  createRender,
  listPublications,
  prepareJob,
  recordCoverage,
  recordPublication,
  writeImportChunk,
} from '@jobcast/db';
import { testAiVoice, testJobRecord } from '@jobcast/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type BrowserSession, openFixture } from './fixture.ts';

let fx: ApiFixture;
let sessions: Record<UserRole, BrowserSession>;

beforeAll(async () => {
  fx = await openFixture();
  sessions = Object.fromEntries(
    await Promise.all(userRoles.map(async (role) => [role, await fx.signIn(role)] as const)),
  ) as Record<UserRole, BrowserSession>;
});
afterAll(async () => {
  await fx.close();
});

async function page(pathname: string, role: UserRole, after?: Response): Promise<{ status: number; html: string }> {
  const flash = /jc_flash=[^;]*/.exec(after?.headers.get('set-cookie') ?? '')?.[0];
  const cookie = flash ? `${sessions[role].cookie}; ${flash}` : sessions[role].cookie;
  const response = await fx.app().request(pathname, { headers: { cookie } });
  return { status: response.status, html: await response.text() };
}

const submit = (role: UserRole, path: string, fields: Record<string, string>) =>
  fx.app().request(path, sessions[role].form(fields));

const video = (fields: Record<string, string>) =>
  submit('media', '/publications/new', {
    platform: 'douyin',
    url: 'https://www.douyin.com/video/1',
    publishedOn: '2026-03-10',
    title: '叉车司机招聘',
    ...fields,
  });

/** A finished video render of one imported job. */
async function doneVideo(aiVideo: boolean): Promise<number> {
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rowsRead: 1,
    rejects: [],
    jobs: [prepareJob(testJobRecord({ rowNumber: 2, employerName: '南昌洪城物流有限公司', title: '叉车司机' }))],
  });
  const job = await firstJobId();
  const render = await createRender(fx.db, {
    siteId: fx.site.id,
    kind: 'video',
    template: 'job-spotlight',
    jobIds: [job],
  });
  await claimRender(fx.db, render.id);
  await completeRender(fx.db, render.id, {
    outputKey: `renders/${render.id}/video.mp4`,
    mimeType: 'video/mp4',
    bytes: 1000,
    durationS: 20,
    aiComponents: aiVideo ? [testAiVoice()] : [],
  });
  return render.id;
}

async function firstJobId(): Promise<number> {
  const result = await fx.db.$client.query<{ id: number }>(
    'select id from jobs where site_id = $1 order by id limit 1',
    [fx.site.id],
  );
  return result.rows[0]?.id as number;
}

/** The list's row of a publication, by its address. */
function rowOf(html: string, url: string): string {
  return [...html.matchAll(/<tr data-publication-id="\d+">.*?<\/tr>/g)].find((m) => m[0].includes(url))?.[0] ?? '';
}

describe('the publications page', () => {
  it('lets media record a video made elsewhere; the list shows it with its counts', async () => {
    const response = await video({ url: 'https://www.douyin.com/video/100', title: '春风行动专场' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/publications?year=2026');
    const { status, html } = await page('/publications?year=2026', 'media', response);
    expect(status).toBe(200);
    expect(html).toContain('已登记：抖音 2026-03-10「春风行动专场」');
    const row = rowOf(html, 'https://www.douyin.com/video/100');
    expect(row).toContain(
      '<a href="https://www.douyin.com/video/100" target="_blank" rel="noopener noreferrer">春风行动专场</a>',
    );
    expect(row).toContain('抖音');
    expect(row).toContain('外部制作');
    expect(html).toMatch(/已发布短视频 <strong data-field="videos">\d+<\/strong> 条/);
  });

  it('shows the duplicate’s message and keeps what was typed (409)', async () => {
    await video({ url: 'https://www.douyin.com/video/200', title: '第一次' });
    const response = await video({
      url: 'HTTPS://WWW.DOUYIN.COM/video/200/#top',
      title: '又登记一次',
      publishedOn: '2026-04-02',
      platform: 'other',
    });
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain('这个链接已登记过（2026-03-10「第一次」，记录 #');
    expect(html).toContain('value="HTTPS://WWW.DOUYIN.COM/video/200/#top"');
    expect(html).toContain('value="又登记一次"');
    expect(html).toContain('value="2026-04-02"');
    expect(html).toContain('<option value="other" selected="">其他</option>');
  });

  it('refuses a bad address or date with the reason, keeping the form (400)', async () => {
    const badUrl = await video({ url: 'javascript:alert(1)', title: '坏链接' });
    expect(badUrl.status).toBe(400);
    const html = await badUrl.text();
    expect(html).toContain('链接须以 http:// 或 https:// 开头');
    expect(html).toContain('value="坏链接"');
    const badDate = await video({ url: 'https://www.douyin.com/video/300', publishedOn: '2026-02-30' });
    expect(badDate.status).toBe(400);
    expect(await badDate.text()).toContain('日期有误：2026-02-30');
  });

  it('escapes a title that looks like markup', async () => {
    const title = '<img src=x onerror=alert(1)>';
    expect((await video({ url: 'https://example.com/xss', title })).status).toBe(303);
    const { html } = await page('/publications?year=2026', 'manager');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('gives the manager and the anchor the list without forms, and refuses their posts', async () => {
    for (const role of ['manager', 'anchor'] as const) {
      const { status, html } = await page('/publications', role);
      expect(status).toBe(200);
      expect(html).not.toContain('href="/publications/new"');
      expect(html).not.toContain('/delete');
      expect((await page('/publications/new', role)).status).toBe(403);
      const refused = await submit(role, '/publications/new', {
        platform: 'douyin',
        url: `https://www.douyin.com/video/${role}`,
        publishedOn: '2026-03-10',
        title: '不该登记',
      });
      expect(refused.status).toBe(403);
    }
    const urls = (await listPublications(fx.db, fx.site.id)).map((row) => row.url);
    expect(urls).not.toContain('https://www.douyin.com/video/manager');
  });

  it('prefills the form from an AI render and records it as an AI video of that render', async () => {
    const renderId = await doneVideo(true);
    const form = await page(`/publications/new?render=${renderId}`, 'media');
    expect(form.status).toBe(200);
    expect(form.html).toContain(`<a href="/renders/${renderId}">制作 #${renderId}</a>`);
    expect(form.html).toContain('value="南昌洪城物流有限公司招聘叉车司机"');
    // The render's record says it is AI: no tick box to get wrong.
    expect(form.html).toContain('AI 视频：制作时使用了离线语音（eSpeak NG）配音，按 AI 视频计');
    expect(form.html).not.toContain('name="aiVideo"');
    expect(form.html).toContain(`name="renderId" value="${renderId}"`);
    const response = await video({ url: 'https://channels.weixin.qq.com/ai/1', renderId: String(renderId) });
    expect(response.status).toBe(303);
    const { html } = await page('/publications?year=2026', 'media');
    const row = rowOf(html, 'https://channels.weixin.qq.com/ai/1');
    expect(row).toContain('<span class="badge ok">AI</span>');
    // The video it came from, by its template's Chinese name and its job.
    expect(row).toContain(`<a href="/renders/${renderId}">单岗位竖版短视频（30 秒）：叉车司机</a>`);
    expect(row).not.toContain('job-spotlight');
  });

  it('says when the render asked for is not a finished video', async () => {
    const pending = await createRender(fx.db, {
      siteId: fx.site.id,
      kind: 'video',
      template: 'job-spotlight',
      jobIds: [1],
    });
    const { status, html } = await page(`/publications/new?render=${pending.id}`, 'media');
    expect(status).toBe(400);
    expect(html).toContain(`制作 #${pending.id} 不是制作完成的短视频`);
    expect(html).not.toContain('name="renderId"');
  });

  it('records media coverage and lists it under its level', async () => {
    const response = await submit('media', '/publications/coverage/new', {
      outlet: '人民网',
      level: 'national',
      url: 'https://www.people.com.cn/n1/2026/0501/1.html',
      publishedOn: '2026-05-01',
      title: '零工驿站助力就业',
    });
    expect(response.status).toBe(303);
    const { html } = await page('/publications?year=2026', 'anchor', response);
    expect(html).toContain('已登记媒体报道：人民网（国家级或部级）2026-05-01「零工驿站助力就业」');
    expect(html).toMatch(
      /<td data-label="媒体">人民网<\/td><td data-label="级别"><span class="badge ok">国家级或部级<\/span><\/td>/,
    );
    expect(html).toMatch(/其中国家级或部级 <strong data-field="national">1<\/strong> 篇/);
    const again = await submit('media', '/publications/coverage/new', {
      outlet: '江西日报',
      level: 'provincial',
      url: 'https://WWW.people.com.cn/n1/2026/0501/1.html',
      publishedOn: '2026-05-02',
      title: '转载',
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('value="江西日报"');
  });

  it('finds videos by month, platform, AI and title, 25 to a page, the year’s counts unchanged', async () => {
    // 2024: a year of its own, 30 videos, one or two a month from January.
    for (let i = 0; i < 30; i++) {
      await recordPublication(fx.db, {
        siteId: fx.site.id,
        platform: i % 3 === 0 ? 'channels' : 'douyin',
        url: `https://www.douyin.com/video/2024${String(i).padStart(4, '0')}`,
        publishedOn: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`,
        title: i === 7 ? '叉车司机专场直击' : `就业之家岗位推荐第 ${i + 1} 期`,
        aiVideo: i % 5 === 0,
        aiTool: i % 5 === 0 ? '剪映 AI 配音' : null,
      });
    }
    const ids = (html: string) => [...html.matchAll(/<tr data-publication-id="(\d+)">/g)].length;
    const all = await page('/publications?year=2024', 'manager');
    expect(all.html).toMatch(
      /已发布短视频 <strong data-field="videos">30<\/strong> 条，其中 AI 视频 <strong data-field="ai">6<\/strong> 条/,
    );
    expect(ids(all.html)).toBe(25);
    expect(all.html).toContain('第 1 / 2 页，共 30 条');
    expect(all.html).toContain('<option value="2024-12">2024 年 12 月</option>');

    // March: days 3, 15 and 27.
    const march = await page('/publications?year=2024&month=2024-03', 'manager');
    expect(ids(march.html)).toBe(3);
    expect(march.html).toContain('符合条件的 3 条');
    expect(march.html).toMatch(/已发布短视频 <strong data-field="videos">30<\/strong> 条/);
    expect(march.html).toContain('<option value="2024-03" selected="">2024 年 3 月</option>');

    expect(ids((await page('/publications?year=2024&platform=channels', 'manager')).html)).toBe(10);
    expect(ids((await page('/publications?year=2024&ai=yes', 'manager')).html)).toBe(6);
    expect((await page('/publications?year=2024&ai=no', 'manager')).html).toContain('符合条件的 24 条');
    const titled = await page(`/publications?year=2024&q=${encodeURIComponent('叉车')}`, 'manager');
    expect(ids(titled.html)).toBe(1);
    expect(titled.html).toContain('叉车司机专场直击');

    // 29 titles say 岗位推荐: two pages, the second reached with the filter kept.
    const q = encodeURIComponent('岗位推荐');
    const first = await page(`/publications?year=2024&q=${q}`, 'manager');
    expect(first.html).toContain(`href="/publications?year=2024&amp;q=${q}&amp;page=2#videos"`);
    const second = await page(`/publications?year=2024&q=${q}&page=2`, 'manager');
    expect(second.html).toContain('第 2 / 2 页，共 29 条');
    expect(ids(second.html)).toBe(4);

    const none = await page(`/publications?year=2024&q=${encodeURIComponent('宇航员')}`, 'manager');
    expect(none.html).toContain('没有符合条件的短视频');
    // A month outside the year shown is not a filter.
    expect(ids((await page('/publications?year=2024&month=2026-03', 'manager')).html)).toBe(25);
  });

  it('shows the service year chosen, and lets an admin delete a wrong entry', async () => {
    const old = await recordPublication(fx.db, {
      siteId: fx.site.id,
      platform: 'channels',
      url: 'https://example.com/2025/1',
      publishedOn: '2025-06-01',
      title: '去年的视频',
    });
    await recordCoverage(fx.db, {
      siteId: fx.site.id,
      outlet: '江西日报',
      level: 'provincial',
      url: 'https://example.com/2025/report',
      publishedOn: '2025-06-02',
      title: '去年的报道',
    });
    const lastYear = await page('/publications?year=2025', 'admin');
    expect(lastYear.html).toContain('去年的视频');
    expect(lastYear.html).toContain('去年的报道');
    expect(lastYear.html).not.toContain('春风行动专场');
    expect(lastYear.html).toContain('<option value="2025" selected="">2025 年</option>');
    expect((await page('/publications?year=2026', 'admin')).html).not.toContain('去年的视频');
    expect((await page('/publications?year=abc', 'admin')).status).toBe(400);

    expect((await submit('media', `/publications/${old.id}/delete`, {})).status).toBe(403);
    const deleted = await submit('admin', `/publications/${old.id}/delete`, {});
    expect(deleted.status).toBe(303);
    const after = await page('/publications?year=2025', 'admin', deleted);
    expect(after.html).toContain('已删除发布记录「去年的视频」');
    expect(after.html).not.toContain('https://example.com/2025/1');
  });
});
