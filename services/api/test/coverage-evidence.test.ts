import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { z } from '@hono/zod-openapi';
import type { UserRole } from '@jobcast/core';
import { getCoverage } from '@jobcast/db';
import { readWorkbook, sheetRows, unzip } from '@jobcast/ledger/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import type { coverageSchema } from '../src/routes/publications/view.ts';
import { type ApiFixture, addSiteWithStaff, type BrowserSession, body, openFixture } from './fixture.ts';

type CoverageView = z.infer<typeof coverageSchema>;

let fx: ApiFixture;
let media: BrowserSession;
let manager: BrowserSession;
let png: Buffer;
let jpeg: Buffer;
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  fx = await openFixture();
  media = await fx.signIn('media');
  manager = await fx.signIn('manager');
  const page = { create: { width: 390, height: 1600, channels: 3 as const, background: '#f4f4f4' } };
  png = await sharp(page).png().toBuffer();
  jpeg = await sharp(page).jpeg().toBuffer();
});
afterAll(async () => {
  await fx.close();
});

function api(method: string, pathname: string, role: UserRole, payload?: unknown) {
  return fx.app().request(pathname, {
    method,
    headers: { ...fx.bearer(role), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
  });
}

function fileForm(data: Uint8Array, name: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(data)]), name);
  return form;
}

const putEvidence = (id: number, data: Uint8Array, name: string, role: UserRole = 'media') =>
  fx
    .app()
    .request(`/api/coverage/${id}/evidence`, { method: 'PUT', headers: fx.bearer(role), body: fileForm(data, name) });

let day = 0;
/** A report on a day of its own in 2026, recorded through the API. */
async function report(outlet = '江西日报'): Promise<CoverageView> {
  day++;
  const publishedOn = `2026-03-${String(day).padStart(2, '0')}`;
  const response = await api('POST', '/api/coverage', 'media', {
    outlet,
    level: 'provincial',
    url: `https://news.example.cn/evidence/${day}`,
    publishedOn,
    title: `${outlet}报道零工驿站（${day}）`,
  });
  expect(response.status).toBe(201);
  return body<CoverageView>(response);
}

/** The files the media store holds for the site's reports. */
const storedFiles = async () =>
  (await readdir(path.join(fx.config().mediaDir, 'coverage', String(fx.site.id))).catch(() => [])).sort();

async function consolePage(pathname: string, session: BrowserSession, after?: Response) {
  const flash = /jc_flash=[^;]*/.exec(after?.headers.get('set-cookie') ?? '')?.[0];
  const response = await fx.app().request(pathname, {
    headers: { cookie: flash ? `${session.cookie}; ${flash}` : session.cookie },
  });
  return { status: response.status, html: await response.text() };
}

/** A console form with a file: its token comes first, as a browser sends the hidden field before the file. */
function consolePost(pathname: string, data: Uint8Array, name: string, fields: Record<string, string> = {}) {
  const form = fileForm(data, name, { _csrf: media.csrf, ...fields });
  return fx.app().request(pathname, {
    method: 'POST',
    headers: { cookie: media.cookie, origin: 'http://localhost' },
    body: form,
  });
}

describe('PUT /api/coverage/{id}/evidence', () => {
  it('keeps a screenshot as uploaded and serves it back; a PDF given later replaces it', async () => {
    const { id } = await report();
    const stored = await putEvidence(id, png, '人民网报道截图.png');
    expect(stored.status).toBe(200);
    expect((await body<CoverageView>(stored)).evidence).toEqual({
      name: '人民网报道截图.png',
      type: 'image/png',
      bytes: png.length,
      url: `/api/coverage/${id}/evidence`,
    });
    const back = await api('GET', `/api/coverage/${id}/evidence`, 'anchor');
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe('image/png');
    expect(back.headers.get('content-disposition')).toContain('inline');
    expect(Buffer.from(await back.arrayBuffer())).toEqual(png);
    const screenshot = path.basename((await getCoverage(fx.db, fx.site.id, id)).evidenceKey ?? '');
    expect(await storedFiles()).toContain(screenshot);

    const replaced = await putEvidence(id, pdf, '报道.pdf');
    expect(replaced.status).toBe(200);
    expect((await body<CoverageView>(replaced)).evidence).toMatchObject({ name: '报道.pdf', type: 'application/pdf' });
    const listed = await body<{ items: CoverageView[] }>(await api('GET', '/api/coverage?year=2026', 'manager'));
    expect(listed.items.find((item) => item.id === id)?.evidence?.type).toBe('application/pdf');
    const file = await api('GET', `/api/coverage/${id}/evidence`, 'manager');
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(pdf);
    // The screenshot it replaced is gone from the media store, the PDF is there.
    const files = await storedFiles();
    expect(files).not.toContain(screenshot);
    expect(files).toContain(path.basename((await getCoverage(fx.db, fx.site.id, id)).evidenceKey ?? ''));
  });

  it('refuses, naming the file, what is not a PNG, JPEG or PDF whatever its name, and one over 20 MB', async () => {
    const { id } = await report();
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    for (const [data, name] of [
      [gif, '截图.png'],
      [Buffer.from('<html>报道</html>'), '报道.pdf'],
    ] as const) {
      const refused = await putEvidence(id, data, name);
      expect(refused.status, name).toBe(422);
      const error = await body<ErrorEnvelope>(refused);
      expect(error.code).toBe('UNREADABLE_FILE');
      expect(error.message).toBe(
        `「${name}」不是 PNG、JPEG 图片或 PDF 文件：请上传报道页面的截图（PNG 或 JPEG）或导出的 PDF`,
      );
    }
    const huge = Buffer.concat([png, Buffer.alloc(20 * 1024 * 1024)]);
    const tooLarge = await putEvidence(id, huge, '长截图.png');
    expect(tooLarge.status).toBe(413);
    const error = await body<ErrorEnvelope>(tooLarge);
    expect(error.message).toContain('报道截图或 PDF超过 20 MB 上限');
    expect(error.message).not.toMatch(/[a-z]{3,}/);
    const empty = await putEvidence(id, new Uint8Array(), 'empty.png');
    expect(empty.status).toBe(400);
    expect((await body<ErrorEnvelope>(empty)).message).toBe('请选择报道的截图或 PDF 文件，文件不能为空');
    expect((await getCoverage(fx.db, fx.site.id, id)).evidenceKey).toBeNull();
    expect((await putEvidence(id, png, 'a.png', 'anchor')).status).toBe(403);
    expect((await putEvidence(999_999, png, 'a.png')).status).toBe(404);
    // Another site's staff neither give nor read this site's evidence.
    const other = await addSiteWithStaff(fx.db);
    const foreign = { Authorization: `Bearer ${other.tokens.media}` };
    const put = await fx.app().request(`/api/coverage/${id}/evidence`, {
      method: 'PUT',
      headers: foreign,
      body: fileForm(png, 'a.png'),
    });
    expect(put.status).toBe(404);
    expect((await getCoverage(fx.db, fx.site.id, id)).evidenceKey).toBeNull();
    expect((await api('GET', `/api/coverage/${id}/evidence`, 'manager')).status).toBe(404);
  });
});

describe('the 媒体报道 form in the console', () => {
  const fields = (outlet: string) => ({
    outlet,
    level: 'national',
    url: `https://www.people.com.cn/n1/2026/04${String(++day).padStart(2, '0')}/c1.html`,
    publishedOn: `2026-04-${String(day).padStart(2, '0')}`,
    title: `${outlet}：零工驿站助力灵活就业`,
  });

  it('takes the article’s screenshot with the report; the list links it and its page shows it', async () => {
    const form = await consolePage('/publications/coverage/new', media);
    expect(form.html).toContain('enctype="multipart/form-data"');
    expect(form.html).toContain('accept=".png,.jpg,.jpeg,.pdf,image/png,image/jpeg,application/pdf"');
    expect(form.html).toContain('报道截图或 PDF（选填，PNG、JPEG 或 PDF，最大 20 MB');

    const sent = await consolePost('/publications/coverage/new', jpeg, '人民网截图.jpg', fields('人民网'));
    expect(sent.status).toBe(303);
    const list = await consolePage(sent.headers.get('location') ?? '', manager, sent);
    expect(list.html).toContain('已登记媒体报道：人民网（国家级或部级）');
    expect(list.html).toContain('附截图「人民网截图.jpg」');
    const row = (
      await body<{ items: CoverageView[] }>(await api('GET', '/api/coverage?year=2026', 'manager'))
    ).items.find((item) => item.outlet === '人民网');
    expect(row?.evidence).toMatchObject({ name: '人民网截图.jpg', type: 'image/jpeg', bytes: jpeg.length });
    expect(list.html).toContain(`<a href="/publications/coverage/${row?.id}/evidence">截图</a>`);

    const page = await consolePage(`/publications/coverage/${row?.id}/evidence`, manager);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<img class="preview" src="/api/coverage/${row?.id}/evidence"`);
    expect(page.html).toContain('人民网截图.jpg');
    // Only the media team gives or replaces it.
    expect(page.html).not.toContain('type="file"');
  });

  it('gives a report recorded without one its PDF from the report’s page', async () => {
    const sent = await consolePost('/publications/coverage/new', new Uint8Array(), '', fields('新华网'));
    expect(sent.status).toBe(303);
    const row = (
      await body<{ items: CoverageView[] }>(await api('GET', '/api/coverage?year=2026', 'manager'))
    ).items.find((item) => item.outlet === '新华网');
    expect(row?.evidence).toBeNull();
    const list = await consolePage('/publications?year=2026', media);
    expect(list.html).toContain(`<a href="/publications/coverage/${row?.id}/evidence">上传截图或 PDF</a>`);

    const uploaded = await consolePost(`/publications/coverage/${row?.id}/evidence`, pdf, '新华网报道.pdf');
    expect(uploaded.status).toBe(303);
    const page = await consolePage(uploaded.headers.get('location') ?? '', media, uploaded);
    expect(page.html).toContain('已上传「新华网：零工驿站助力灵活就业」的 PDF「新华网报道.pdf」');
    expect(page.html).toContain(`href="/api/coverage/${row?.id}/evidence"`);
    expect(page.html).toContain('换一个文件');
  });

  it('refuses a file that is not a screenshot or PDF with the form as typed, and records nothing', async () => {
    const typed = fields('光明网');
    const refused = await consolePost('/publications/coverage/new', Buffer.from('不是图片'), '报道.png', typed);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('「报道.png」不是 PNG、JPEG 图片或 PDF 文件');
    expect(html).toContain('（请重新选择截图或 PDF）');
    expect(html).toContain(`value="${typed.url}"`);
    const listed = await body<{ items: CoverageView[] }>(await api('GET', '/api/coverage?year=2026', 'manager'));
    expect(listed.items.some((item) => item.outlet === '光明网')).toBe(false);
  });
});

describe('the evidence pack of media coverage', () => {
  it('holds each report’s screenshot or PDF under the name its ledger row gives', async () => {
    const { cookie } = manager;
    const response = await fx.app().request('/export/evidence/coverage.zip?year=2026', { headers: { cookie } });
    expect(response.status).toBe(200);
    const files = await unzip(Buffer.from(await response.arrayBuffer()));
    const rows = sheetRows(await readWorkbook(files.get('媒体宣传台账-2026.xlsx') as Buffer), '媒体宣传台账');
    const named = rows.flatMap((row) => (row.证据文件 ? [String(row.证据文件)] : []));
    expect(named.length).toBeGreaterThanOrEqual(3);
    const byOutlet = new Map(rows.map((row) => [row.媒体, row.证据文件]));
    expect(byOutlet.get('人民网')).toMatch(/^coverage\/\d{3}-article\.jpg$/);
    expect(byOutlet.get('新华网')).toMatch(/^coverage\/\d{3}-article\.pdf$/);
    expect(files.get(String(byOutlet.get('人民网')))).toEqual(jpeg);
    expect(files.get(String(byOutlet.get('新华网')))).toEqual(pdf);
    for (const name of named) expect(files.has(name), name).toBe(true);
  });
});

describe('taking back a media report', () => {
  it('removes its screenshot or PDF from the media store with it', async () => {
    const { id } = await report('大江网');
    expect((await putEvidence(id, png, '大江网.png')).status).toBe(200);
    const file = path.basename((await getCoverage(fx.db, fx.site.id, id)).evidenceKey ?? '');
    expect(await storedFiles()).toContain(file);
    const admin = await fx.signIn('admin');
    const deleted = await fx.app().request(`/publications/coverage/${id}/delete`, admin.form({}));
    expect(deleted.status).toBe(303);
    expect(await storedFiles()).not.toContain(file);
  });
});
