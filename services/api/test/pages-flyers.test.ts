import { type UserRole, userRoles } from '@jobcast/core';
import {
  claimRender,
  completeRender,
  createImportBatch,
  createRender,
  getRender,
  getSiteFlyerIssue,
  prepareJob,
  requestFlyerIssue,
  setFlyerIssueRender,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type BrowserSession, body, openFixture } from './fixture.ts';

let fx: ApiFixture;
let sessions: Record<UserRole, BrowserSession>;

beforeAll(async () => {
  fx = await openFixture();
  sessions = Object.fromEntries(
    await Promise.all(userRoles.map(async (role) => [role, await fx.signIn(role)] as const)),
  ) as Record<UserRole, BrowserSession>;
  await addJobs(fx);
});

/** A full-time job and a gig job, open in every month: what a flyer needs. */
async function addJobs(fixture: ApiFixture): Promise<void> {
  const batch = await createImportBatch(fixture.db, { siteId: fixture.site.id, fileName: 'jobs.csv' });
  const records = [
    { employerName: '南昌洪城物流有限公司', title: '叉车司机' },
    { employerName: '南昌瑶湖家政服务有限公司', title: '钟点保洁', category: 'gig' as const },
  ];
  await writeImportChunk(fixture.db, {
    siteId: fixture.site.id,
    batchId: batch.id,
    rowsRead: records.length,
    rejects: [],
    jobs: records.map((record, i) => prepareJob(testJobRecord({ rowNumber: i + 2, ...record }))),
  });
}
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
    const placeHtml = await badPlace.text();
    expect(placeHtml).toContain('发放地点须填写，最多 200 字');
    expect(placeHtml).not.toContain('characters');
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
    const badMonth = await submit('media', '/flyers/generate', { month: '2026年7月', copies: '1000' });
    expect(badMonth.status).toBe(400);
    expect(await badMonth.text()).toContain('生成请求有误：月份：请写成 2026-01 这样的年-月');
    // A year no flyer is made in is refused as typed, not met by a server error.
    for (const month of ['0000-01', '9999-12']) {
      const farOff = await submit('media', '/flyers/generate', { month, copies: '1000' });
      expect(farOff.status, month).toBe(400);
      expect(await farOff.text()).toContain('月份：请写成 2026-01 这样的年-月，年份在 2000 到 2100 之间');
      const viaApi = await fx.app().request('/api/renders', {
        method: 'POST',
        headers: { ...fx.bearer('media'), 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'flyer', month }),
      });
      expect(viaApi.status, month).toBe(400);
      expect(await body(viaApi)).toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringContaining('年份在 2000 到 2100 之间'),
      });
    }
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
      const html = await response.text();
      expect(html).toContain(`没有这期招工小报（记录 ${issue.id}）`);
      expect(html).not.toContain('on this site');
      const post = await other
        .app()
        .request(`/flyers/${issue.id}/printed`, session.form({ copies: '1000', date: '2026-09-05' }));
      expect(post.status).toBe(404);
    } finally {
      await other.close();
    }
  });

  it('numbers issues by their month: a month made late takes the number between; editable until printed', async () => {
    const fresh = await openFixture();
    try {
      await addJobs(fresh);
      const media = await fresh.signIn('media');
      const open = async (pathname: string, after?: Response) => {
        const flash = /jc_flash=[^;]*/.exec(after?.headers.get('set-cookie') ?? '')?.[0];
        const response = await fresh
          .app()
          .request(pathname, { headers: { cookie: flash ? `${media.cookie}; ${flash}` : media.cookie } });
        return response.text();
      };
      const post = (pathname: string, fields: Record<string, string>) =>
        fresh.app().request(pathname, media.form(fields));
      const generate = async (month: string) => {
        const response = await post('/flyers/generate', { month, copies: '1000' });
        expect(response.status).toBe(303);
        return Number(/\/flyers\/(\d+)$/.exec(response.headers.get('location') ?? '')?.[1]);
      };
      // December, then February (January missed), then January made late.
      const december = await generate('2025-12');
      const february = await generate('2026-02');
      const january = await generate('2026-01');
      const year2026 = await open('/flyers?year=2026');
      expect(monthRow(year2026, '2026-01')).toContain(`<a href="/flyers/${january}">第 13 期</a>`);
      expect(monthRow(year2026, '2026-02')).toContain(`<a href="/flyers/${february}">第 14 期</a>`);
      expect(monthRow(await open('/flyers?year=2025'), '2025-12')).toContain(
        `<a href="/flyers/${december}">第 12 期</a>`,
      );

      // Before printing, the office may carry on its own series, renumbering from the latest issue back;
      // each flyer is made again with the same jobs. The numbers keep the months' order.
      const taken = await post(`/flyers/${december}/number`, { issueNumber: '14' });
      expect(taken.status).toBe(409);
      expect(await taken.text()).toContain('期号要小于2026年1月的第 13 期：各期按月份排号');
      const typo = await post(`/flyers/${december}/number`, { issueNumber: '3a' });
      expect(typo.status).toBe(400);
      const typoPage = await typo.text();
      expect(typoPage).toContain('期号须为 1 到 9999 的整数');
      expect(typoPage).toContain('name="issueNumber" inputmode="numeric" value="3a"');
      const before = await getSiteFlyerIssue(fresh.db, fresh.site.id, february);
      const renumbered = await post(`/flyers/${february}/number`, { issueNumber: '38' });
      expect(renumbered.status).toBe(303);
      const detail = await open(`/flyers/${february}`, renumbered);
      expect(detail).toContain('期号已改为第 38 期，小报正在按原来的岗位重新排版');
      expect(detail).toContain('招工小报 第 38 期（2026年2月）');
      const after = await getSiteFlyerIssue(fresh.db, fresh.site.id, february);
      expect(after).toMatchObject({ issueNumber: 38, revision: before.revision + 1 });
      expect(after.renderId).not.toBe(before.renderId);
      const [first, again] = await Promise.all(
        [before.renderId, after.renderId].map((id) => getRender(fresh.db, id as number, fresh.site.id)),
      );
      expect(again?.jobIds).toEqual(first?.jobIds);

      // The API says the same.
      const api = (issueId: number, issueNumber: number, role: 'media' | 'manager' = 'media') =>
        fresh.app().request(`/api/flyers/${issueId}/number`, {
          method: 'POST',
          headers: { ...fresh.bearer(role), 'content-type': 'application/json' },
          body: JSON.stringify({ issueNumber }),
        });
      const viaApi = await api(january, 37);
      expect(viaApi.status).toBe(200);
      expect(await body(viaApi)).toMatchObject({ id: january, month: '2026-01', issueNumber: 37, revision: 2 });
      expect((await api(january, 38, 'manager')).status).toBe(403);
      const outOfOrder = await api(january, 40);
      expect(outOfOrder.status).toBe(409);
      expect(await body(outOfOrder)).toMatchObject({
        code: 'CONFLICT',
        message: '期号要大于2025年12月的第 12 期、小于2026年2月的第 38 期：各期按月份排号',
      });
      expect((await post(`/flyers/${december}/number`, { issueNumber: '36' })).status).toBe(303);

      // A number goes with its flyer: when the flyer cannot be made again, the old number stays.
      const made = await getSiteFlyerIssue(fresh.db, fresh.site.id, december);
      await fresh.db.$client.query(`update renders set template = 'retired-flyer' where id = $1`, [made.renderId]);
      const unmade = await post(`/flyers/${december}/number`, { issueNumber: '35' });
      expect(unmade.status).toBe(400);
      const unmadePage = await unmade.text();
      expect(unmadePage).toContain('期号没有改，仍是第 36 期：按原来的岗位重新排版没有成功（');
      expect(unmadePage).toContain('招工小报 第 36 期（2025年12月）');
      expect(await getSiteFlyerIssue(fresh.db, fresh.site.id, december)).toMatchObject({
        issueNumber: 36,
        revision: made.revision,
        renderId: made.renderId,
      });
      const unmadeApi = await api(december, 35);
      expect(unmadeApi.status).toBe(400);
      expect(await body(unmadeApi)).toMatchObject({ message: expect.stringContaining('期号没有改，仍是第 36 期') });
      expect((await getSiteFlyerIssue(fresh.db, fresh.site.id, december)).issueNumber).toBe(36);

      // What is printed is the flyer with the current number: not before it is made.
      const early = await post(`/flyers/${december}/printed`, { copies: '1000', date: '2025-12-05' });
      expect(early.status).toBe(422);
      expect(await early.text()).toContain(
        `2025年12月的招工小报（第 36 期）最新的一版（制作 #${made.renderId}）还没有做好：印的应是印着当前期号的这一版`,
      );
      const earlyApi = await fresh.app().request(`/api/flyers/${december}/printed`, {
        method: 'POST',
        headers: { ...fresh.bearer('media'), 'content-type': 'application/json' },
        body: JSON.stringify({ copies: 1000, date: '2025-12-05' }),
      });
      expect(earlyApi.status).toBe(422);
      expect((await getSiteFlyerIssue(fresh.db, fresh.site.id, december)).copiesPrinted).toBeNull();
      await claimRender(fresh.db, made.renderId as number);
      await completeRender(fresh.db, made.renderId as number, {
        outputKey: `renders/${made.renderId}/flyer.pdf`,
        previewKeys: [],
        mimeType: 'application/pdf',
        pages: 2,
        bytes: 1000,
      });

      // Once printed, the number is the one on the paper.
      const printed = await post(`/flyers/${december}/printed`, { copies: '1000', date: '2025-12-05' });
      expect(printed.status).toBe(303);
      const fixed = await open(`/flyers/${december}`);
      expect(fixed).toContain('第 36 期<span class="muted">（已随印刷固定）</span>');
      expect(fixed).not.toContain(`action="/flyers/${december}/number"`);
      const refused = await post(`/flyers/${december}/number`, { issueNumber: '35' });
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain('已登记印刷 1000 份，期号不能再改');
      const refusedApi = await api(december, 35);
      expect(refusedApi.status).toBe(422);
      expect(await body(refusedApi)).toMatchObject({
        code: 'RULE_VIOLATED',
        message: '2025年12月的招工小报（第 36 期）已登记印刷 1000 份，期号不能再改：印出来的这一版就是考核佐证。',
      });
      expect((await getSiteFlyerIssue(fresh.db, fresh.site.id, december)).issueNumber).toBe(36);
    } finally {
      await fresh.close();
    }
  });
});
