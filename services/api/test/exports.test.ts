import type { UserRole } from '@jobcast/core';
import { currentServiceYear, loadYearReport, MISSING_NOTE } from '@jobcast/ledger';
import { readWorkbook, seedLedgerYear, sheetRows, unzip } from '@jobcast/ledger/testing';
import { LocalMediaStore } from '@jobcast/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, openFixture } from './fixture.ts';

let fx: ApiFixture;
let seeded: Awaited<ReturnType<typeof seedLedgerYear>>;

beforeAll(async () => {
  fx = await openFixture();
  seeded = await seedLedgerYear(fx.db, new LocalMediaStore(fx.config().mediaDir), fx.site);
});
afterAll(async () => {
  await fx.close();
});

async function download(role: UserRole, path: string): Promise<Response> {
  const { cookie } = await fx.signIn(role);
  return fx.app().request(path, { headers: { cookie } });
}

async function bytes(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

describe('GET /export/ledger.xlsx', () => {
  it("gives a manager the year's workbook under a Chinese file name, with the dashboard's numbers", async () => {
    const response = await download('manager', '/export/ledger.xlsx?year=2026');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const code = fx.site.code;
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="ledger-${code}-2026.xlsx"; filename*=UTF-8''${encodeURIComponent('台账')}-${code}-2026.xlsx`,
    );
    const book = await readWorkbook(await bytes(response));
    const summary = new Map(sheetRows(book, '汇总').map((row) => [row.考核项目, row]));
    const { report } = await loadYearReport(fx.db, code, 2026);
    for (const line of report.lines) {
      expect(summary.get(line.label)).toMatchObject({ 已完成: line.done, 当前得分: line.points, 满分: line.maxPoints });
    }
    expect(summary.get('短视频')?.已完成).toBe(3);
    expect(sheetRows(book, '媒体宣传台账').map((row) => row.媒体)).toEqual(['人民网', "'@江西新闻"]);
    expect(summary.get('AI数智招聘会')?.已完成).toBe(1);
    // The seeded year has one on-site fair dated after its own day (2026-10-01): held by now or not, the
    // summary counts the 达标 rows the sheet lists.
    const onsite = sheetRows(book, '线下招聘会台账').filter((row) => row.达标 === '是').length;
    expect(onsite).toBeGreaterThanOrEqual(1);
    expect(summary.get('线下招聘会')?.已完成).toBe(onsite);
    expect(sheetRows(book, 'AI数智招聘会台账').map((row) => row.达标)).toEqual(['是', '否']);
  });

  it('is open to media and admins, closed to anchors and to visitors without a session', async () => {
    expect((await download('media', '/export/ledger.xlsx?year=2026')).status).toBe(200);
    expect((await download('admin', '/export/ledger.xlsx?year=2026')).status).toBe(200);
    const anchor = await download('anchor', '/export/ledger.xlsx?year=2026');
    expect(anchor.status).toBe(403);
    expect(anchor.headers.get('content-type')).toContain('text/html');
    expect(await anchor.text()).toContain('您的角色（主播）不能使用这个页面');
    const visitor = await fx.app().request('/export/ledger.xlsx?year=2026');
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get('location')).toMatch(/^\/login\?next=/);
  });

  it('takes the service year under way when none is asked for, and refuses a year that is not one', async () => {
    const response = await download('manager', '/export/ledger.xlsx');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(
      `filename="ledger-${fx.site.code}-${currentServiceYear(seeded.site)}.xlsx"`,
    );
    const bad = await download('manager', '/export/ledger.xlsx?year=20x6');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('年份须为 2000 到 2100 之间的四位数字');
  });
});

describe('GET /export/evidence/:line.zip', () => {
  it("streams a line's evidence pack as a ZIP under a Chinese file name", async () => {
    const response = await download('media', '/export/evidence/videos.zip?year=2026');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const code = fx.site.code;
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="evidence-videos-${code}-2026.zip"; ` +
        `filename*=UTF-8''${encodeURIComponent('佐证材料-短视频')}-${code}-2026.zip`,
    );
    const files = await unzip(await bytes(response));
    expect([...files.keys()]).toEqual(['短视频台账-2026.xlsx', MISSING_NOTE, 'videos/001-cover.jpg']);
  });

  it("streams an AI fair line's pack: each fair's record, its photos and plan", async () => {
    const response = await download('manager', '/export/evidence/aiFairs.zip?year=2026');
    expect(response.status).toBe(200);
    const code = fx.site.code;
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="evidence-aiFairs-${code}-2026.zip"; ` +
        `filename*=UTF-8''${encodeURIComponent('佐证材料-AI数智招聘会')}-${code}-2026.zip`,
    );
    const files = await unzip(await bytes(response));
    expect([...files.keys()]).toEqual([
      'AI数智招聘会台账-2026.xlsx',
      MISSING_NOTE,
      'ai-fairs/001-record.html',
      'ai-fairs/001-record.json',
      'ai-fairs/001-photo-1.jpg',
      'ai-fairs/001-plan.pdf',
      'ai-fairs/002-record.html',
      'ai-fairs/002-record.json',
    ]);
    const record = JSON.parse(files.get('ai-fairs/001-record.json')?.toString('utf8') ?? '{}');
    expect(record.fair.id).toBe(seeded.fairs.aiQualified.id);
    expect(record.verdict.qualified).toBe(true);
  });

  it('serves every line to a manager, none to an anchor, and no line it does not know', async () => {
    for (const line of ['videos', 'livestreams', 'flyers', 'coverage', 'aiFairs', 'onsiteFairs']) {
      const response = await download('manager', `/export/evidence/${line}.zip?year=2026`);
      expect(response.status, line).toBe(200);
      expect((await unzip(await bytes(response))).size, line).toBeGreaterThan(0);
      expect((await download('anchor', `/export/evidence/${line}.zip?year=2026`)).status, line).toBe(403);
    }
    const unknown = await download('manager', '/export/evidence/posters.zip?year=2026');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('没有这一类佐证材料：posters.zip');
  });
});
