import { type UserRole, userRoles } from '@jobcast/core';
import { createImportBatch, createScreenGroup, employerNameKey, prepareJob, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { serviceYearOf } from '@jobcast/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type BrowserSession, openFixture } from './fixture.ts';

let fx: ApiFixture;
let sessions: Record<UserRole, BrowserSession>;
let groupId: number;
const EMPLOYERS = Array.from({ length: 10 }, (_, i) => `南昌页面测试${i + 1}有限公司`);

beforeAll(async () => {
  fx = await openFixture();
  sessions = Object.fromEntries(
    await Promise.all(userRoles.map(async (role) => [role, await fx.signIn(role)] as const)),
  ) as Record<UserRole, BrowserSession>;
  groupId = (await createScreenGroup(fx.db, { siteId: fx.site.id, name: '招聘会场' })).id;
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rejects: [],
    rowsRead: EMPLOYERS.length,
    jobs: EMPLOYERS.map((employerName, i) =>
      prepareJob(
        testJobRecord({ rowNumber: i + 2, employerName, employerKey: employerNameKey(employerName), title: '普工' }),
      ),
    ),
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

const fairForm = (fields: Record<string, string> = {}) => ({
  kind: 'onsite',
  title: '五月线下招聘会',
  startDay: '2026-05-16',
  startTime: '09:00',
  endDay: '',
  endTime: '12:00',
  venue: '体育馆',
  groupId: '',
  jobSeekers: '300',
  offers: '42',
  employers: [...EMPLOYERS, ` ${EMPLOYERS[0]} `].join('\n'),
  plan: '',
  summary: '到场 300 人',
  ...fields,
});

describe('the 招聘会 pages', () => {
  it('shows every role the list; only media and admin get the form', async () => {
    for (const role of userRoles) {
      const { status, html } = await page('/fairs?year=2026', role);
      expect(status).toBe(200);
      expect(html).toContain('>招聘会</a>');
      expect(html.includes('href="/fairs/new"')).toBe(role === 'admin' || role === 'media');
    }
    expect((await page('/fairs/new', 'manager')).status).toBe(403);
    expect((await submit('manager', '/fairs/new', fairForm())).status).toBe(403);
  });

  it('records an on-site fair from the form, merges a repeated employer, and shows it qualified', async () => {
    const response = await submit('media', '/fairs/new', fairForm());
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location).toMatch(/^\/fairs\/\d+$/);
    const { html } = await page(location, 'manager', response);
    expect(html).toContain(`重复的单位已合并：${EMPLOYERS[0]}`);
    expect(html).toContain('用人单位 10 家（要求至少 10 家）');
    expect(html).toContain('class="badge ok">达标');
    // A manager reads it but gets no upload form.
    expect(html).not.toContain('enctype="multipart/form-data"');

    const list = await page('/fairs?year=2026', 'manager');
    expect(list.html).toContain('data-month="2026-05"');
    expect(list.html).toMatch(/<li class="met" title="2026-05：达标 1 场"/);
  });

  it('shows a fair still to come as 未举办: not counted, its month not met, the counts the dashboard’s', async () => {
    // Twenty days ahead (a day of the site's clock or the next: still ahead either way).
    const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const response = await submit('media', '/fairs/new', fairForm({ title: '将要举办的线下招聘会', startDay: day }));
    expect(response.status).toBe(303);
    const { html } = await page(response.headers.get('location') ?? '', 'manager', response);
    expect(html).toContain('data-status="upcoming"><span class="badge">未举办</span>');
    expect(html).toContain('已登记，尚未举办，结束后才计入考核；按当前登记：用人单位 10 家（要求至少 10 家）');
    expect(html).not.toContain('class="badge ok">达标');

    const year = serviceYearOf(day, fx.site.serviceYearStart);
    const list = await page(`/fairs?year=${year}`, 'manager');
    const month = day.slice(0, 7);
    expect(list.html).toContain(`<li class="open" title="${month}：已登记 1 场，尚未举办" data-month="${month}">`);
    expect(list.html).toMatch(/data-count="onsite"[\s\S]*?另有 1 场未举办/);
    // The two count cards say what the dashboard's two lines say.
    const kpi = (await (await fx.app().request(`/api/kpi?year=${year}`, { headers: fx.bearer('manager') })).json()) as {
      lines: { line: string; done: number }[];
    };
    const shown = (kind: string) =>
      Number(new RegExp(`data-count="${kind}"[\\s\\S]*?data-field="qualified">(\\d+)<`).exec(list.html)?.[1]);
    expect(shown('ai')).toBe(kpi.lines.find((line) => line.line === 'aiFairs')?.done);
    expect(shown('onsite')).toBe(kpi.lines.find((line) => line.line === 'onsiteFairs')?.done);
  });

  it('keeps what was typed and says why when the form is refused', async () => {
    const unknown = await submit('media', '/fairs/new', fairForm({ employers: '查无此单位', title: '被拒的招聘会' }));
    expect(unknown.status).toBe(400);
    const html = await unknown.text();
    expect(html).toContain('查无此单位');
    expect(html).toContain('value="被拒的招聘会"');
    const ai = await submit('media', '/fairs/new', fairForm({ kind: 'ai', title: 'AI 场' }));
    expect(ai.status).toBe(400);
    expect(await ai.text()).toContain('须选择屏幕分组');
    const list = await page('/fairs?year=2026', 'media');
    expect(list.html).not.toContain('被拒的招聘会');
  });

  it('refuses a photo that is not an image on the fair’s page, naming it', async () => {
    const created = await submit('media', '/fairs/new', fairForm({ kind: 'ai', groupId: String(groupId) }));
    const location = created.headers.get('location') ?? '';
    const form = new FormData();
    form.append('_csrf', sessions.media.csrf);
    form.append('file', new Blob([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')]), '合影.jpg');
    const response = await fx.app().request(`${location}/photos`, {
      method: 'POST',
      headers: { cookie: sessions.media.cookie, origin: 'http://localhost' },
      body: form,
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('未能上传：「合影.jpg」不是图片文件');
    expect(html).toContain('现场照片（0）');

    const plan = new FormData();
    plan.append('_csrf', sessions.media.csrf);
    plan.append('file', new Blob([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')]), '方案.pdf');
    const stored = await fx.app().request(`${location}/files/plan`, {
      method: 'POST',
      headers: { cookie: sessions.media.cookie, origin: 'http://localhost' },
      body: plan,
    });
    expect(stored.status).toBe(303);
    const detail = await page(location, 'manager', stored);
    expect(detail.html).toContain('已上传活动方案「方案.pdf」');
    expect(detail.html).toContain(`<a href="/api${location}/files/plan">方案.pdf</a>`);
  });
});
