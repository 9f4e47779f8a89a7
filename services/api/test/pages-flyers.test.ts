import { type UserRole, userRoles } from '@jobcast/core';
import {
  claimRender,
  completeRender,
  createImportBatch,
  createRender,
  getSiteFlyerIssue,
  prepareJob,
  requestFlyerIssue,
  setFlyerIssueRender,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type BrowserSession, openFixture } from './fixture.ts';

let fx: ApiFixture;
let sessions: Record<UserRole, BrowserSession>;

beforeAll(async () => {
  fx = await openFixture();
  sessions = Object.fromEntries(
    await Promise.all(userRoles.map(async (role) => [role, await fx.signIn(role)] as const)),
  ) as Record<UserRole, BrowserSession>;
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.csv' });
  const records = [
    { employerName: '南昌洪城物流有限公司', title: '叉车司机' },
    { employerName: '南昌瑶湖家政服务有限公司', title: '钟点保洁', category: 'gig' as const },
  ];
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rowsRead: records.length,
    rejects: [],
    jobs: records.map((record, i) => prepareJob(testJobRecord({ rowNumber: i + 2, ...record }))),
  });
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

/** The list's row of a month. */
function monthRow(html: string, month: string): string {
  return new RegExp(`<tr data-month="${month}">.*?</tr>`).exec(html)?.[0] ?? '';
}

describe('the flyers page', () => {
  it('shows the twelve months of the service year, 未制作 where no issue was made', async () => {
    const issue = await requestFlyerIssue(fx.db, { siteId: fx.site.id, month: '2026-02' });
    const { status, html } = await page('/flyers?year=2026', 'manager');
    expect(status).toBe(200);
    const months = [...html.matchAll(/<tr data-month="(\d{4}-\d{2})">/g)].map((m) => m[1]);
    expect(months).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    expect(monthRow(html, '2026-01')).toContain('<span class="badge bad">未制作</span>');
    const february = monthRow(html, '2026-02');
    expect(february).toContain(`<a href="/flyers/${issue.id}">第 ${issue.issueNumber} 期</a>`);
    expect(february).toContain('未计入：还没有登记印刷');
  });

  it('counts a month once 1000 printed copies are recorded, and says why 800 do not count', async () => {
    const issue = await requestFlyerIssue(fx.db, { siteId: fx.site.id, month: '2026-03' });
    const short = await submit('media', `/flyers/${issue.id}/printed`, { copies: '800', date: '2026-03-05' });
    expect(short.status).toBe(303);
    const before = await page('/flyers?year=2026', 'media', short);
    expect(before.html).toContain('已登记印刷 800 份，不足 1000 份，不计入考核');
    expect(monthRow(before.html, '2026-03')).toContain('未计入：印数 800 份，不足 1000 份');

    const enough = await submit('admin', `/flyers/${issue.id}/printed`, { copies: '1000', date: '2026-03-06' });
    expect(enough.status).toBe(303);
    expect(enough.headers.get('location')).toBe('/flyers?year=2026');
    const after = await page('/flyers?year=2026', 'admin', enough);
    const row = monthRow(after.html, '2026-03');
    expect(row).toContain('<span class="badge ok">计入</span>');
    expect(row).toContain('1000 / 1000 / —');
    expect(row).toContain('2026-03-06');
    expect(after.html).toMatch(/计入考核 <strong data-field="counted">1<\/strong>/);

    const handed = await submit('media', `/flyers/${issue.id}/distributed`, {
      copies: '950',
      place: '示范区零工驿站',
      date: '2026-03-10',
    });
    expect(handed.status).toBe(303);
    const listed = monthRow((await page('/flyers?year=2026', 'media')).html, '2026-03');
    expect(listed).toContain('1000 / 1000 / 950');
    expect(listed).toContain('示范区零工驿站');

    // What was printed is the evidence: the printed issue is not made again.
    const detail = await page(`/flyers/${issue.id}`, 'media');
    expect(detail.html).toContain('不再重新生成');
    expect(detail.html).not.toContain('重新生成这一期');
    const again = await submit('media', '/flyers/generate', { month: '2026-03', copies: '1000' });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain('已登记印刷 1000 份，不能重新生成');
    expect((await getSiteFlyerIssue(fx.db, fx.site.id, issue.id)).revision).toBe(issue.revision);
  });

  it('refuses copies that are not a whole number, keeping what was typed', async () => {
    const issue = await requestFlyerIssue(fx.db, { siteId: fx.site.id, month: '2026-04' });
    for (const copies of ['-5', 'abc', '']) {
      const response = await submit('media', `/flyers/${issue.id}/printed`, { copies, date: '2026-04-05' });
      expect(response.status, copies).toBe(400);
      const html = await response.text();
      expect(html).toContain('印刷份数须为 0 到 10000000 的整数');
      expect(html).toContain(`name="copies" inputmode="numeric" value="${copies}"`);
    }
    const badPlace = await submit('media', `/flyers/${issue.id}/distributed`, {
      copies: '100',
      place: '  ',
      date: '2026-04-31',
    });
    expect(badPlace.status).toBe(400);
    expect(await badPlace.text()).toContain('发放地点须填写');
    expect((await getSiteFlyerIssue(fx.db, fx.site.id, issue.id)).copiesPrinted).toBeNull();
  });

  it('lets media generate a month: the issue is made and its render queued', async () => {
    const response = await submit('media', '/flyers/generate', { month: '2026-06', copies: '1200' });
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location).toMatch(/^\/flyers\/\d+$/);
    const detail = await page(location, 'media', response);
    expect(detail.status).toBe(200);
    expect(detail.html).toContain('已开始生成 2026年6月的招工小报');
    expect(detail.html).toContain('计划印数</th><td>1200 份');
    expect(detail.html).toMatch(/<a href="\/renders\/\d+">排队中<\/a>/);
    const row = monthRow((await page('/flyers?year=2026', 'manager')).html, '2026-06');
    expect(row).toMatch(/第 \d+ 期/);
    expect(row).toContain('排队中');

    const bad = await submit('media', '/flyers/generate', { month: '2026-07', copies: 'abc' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('计划印数：须为 1 到 1000000 的整数，填写的是“abc”');
    expect(html).toContain('name="copies" inputmode="numeric" value="abc"');
  });

  it('shows a finished issue’s pages and its PDF', async () => {
    const issue = await requestFlyerIssue(fx.db, { siteId: fx.site.id, month: '2026-08' });
    const render = await createRender(fx.db, {
      siteId: fx.site.id,
      kind: 'flyer',
      template: 'monthly-flyer',
      jobIds: [1],
      flyerIssueId: issue.id,
    });
    await setFlyerIssueRender(fx.db, issue.id, render.id);
    await claimRender(fx.db, render.id);
    await completeRender(fx.db, render.id, {
      outputKey: `renders/${render.id}/flyer.pdf`,
      previewKeys: [`renders/${render.id}/page-1.png`, `renders/${render.id}/page-2.png`],
      mimeType: 'application/pdf',
      pages: 2,
      bytes: 1000,
    });
    const { html } = await page(`/flyers/${issue.id}`, 'anchor');
    expect(html).toContain(`src="/api/renders/${render.id}/output?file=page-1"`);
    expect(html).toContain(`src="/api/renders/${render.id}/output?file=page-2"`);
    expect(html).toContain(`href="/api/renders/${render.id}/output" download="flyer-${render.id}.pdf"`);
  });

  it('gives the manager no forms and refuses their posts; another site’s issue is not found', async () => {
    const issue = await requestFlyerIssue(fx.db, { siteId: fx.site.id, month: '2026-09' });
    const list = await page('/flyers', 'manager');
    expect(list.html).not.toContain('action="/flyers/generate"');
    const detail = await page(`/flyers/${issue.id}`, 'manager');
    expect(detail.status).toBe(200);
    expect(detail.html).not.toContain(`action="/flyers/${issue.id}/printed"`);
    expect(
      (await submit('manager', `/flyers/${issue.id}/printed`, { copies: '1000', date: '2026-09-05' })).status,
    ).toBe(403);
    expect((await submit('anchor', '/flyers/generate', { month: '2026-09', copies: '1000' })).status).toBe(403);
    expect((await getSiteFlyerIssue(fx.db, fx.site.id, issue.id)).copiesPrinted).toBeNull();

    expect((await page('/flyers/99999999999', 'media')).status).toBe(404);

    const other = await openFixture();
    try {
      const session = await other.signIn('media');
      const response = await other.app().request(`/flyers/${issue.id}`, { headers: { cookie: session.cookie } });
      expect(response.status).toBe(404);
      const post = await other
        .app()
        .request(`/flyers/${issue.id}/printed`, session.form({ copies: '1000', date: '2026-09-05' }));
      expect(post.status).toBe(404);
    } finally {
      await other.close();
    }
  });
});
