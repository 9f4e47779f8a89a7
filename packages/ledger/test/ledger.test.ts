import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { closeDatabase, createDatabase, type Database, ensureSite } from '@jobcast/db';
import type {} from '@jobcast/db/testing';
import { LocalMediaStore } from '@jobcast/storage';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildEvidencePack, type LedgerLine, ledgerLines, MISSING_NOTE } from '../src/index.ts';
import { readWorkbook, SCREENSHOT, seedLedgerYear, sheetRows, unzip } from '../src/testing.ts';
import { buildLedgerWorkbook, columnWidth, displayWidth, HEADER_ROW } from '../src/workbook.ts';
import { loadYearReport } from '../src/year.ts';

let db: Database;
let dir: string;
let store: LocalMediaStore;
let seeded: Awaited<ReturnType<typeof seedLedgerYear>>;

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 4);
  dir = await mkdtemp(path.join(os.tmpdir(), 'jobcast-ledger-'));
  store = new LocalMediaStore(dir);
  const site = await ensureSite(db, { code: `ledger-${randomBytes(3).toString('hex')}`, name: '示范区就业服务中心' });
  seeded = await seedLedgerYear(db, store, site);
});
afterAll(async () => {
  await closeDatabase(db);
  await rm(dir, { recursive: true, force: true });
});

async function workbook() {
  const { ledger, data } = await buildLedgerWorkbook(db, seeded.site, seeded.year, seeded.now);
  return { ledger, data, book: await readWorkbook(data) };
}

async function pack(line: LedgerLine) {
  const built = await buildEvidencePack(db, store, seeded.site.code, seeded.year, line, seeded.now);
  return { ...built, files: await unzip(await buffer(built.stream)) };
}

describe('the ledger workbook', () => {
  it('has the summary and the six ledgers, each with a bold, frozen header', async () => {
    const { book } = await workbook();
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual([
      '汇总',
      '短视频台账',
      '直播台账',
      '招工小报台账',
      '媒体宣传台账',
      'AI数智招聘会台账',
      '线下招聘会台账',
    ]);
    for (const sheet of book.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER_ROW });
      expect(sheet.getRow(HEADER_ROW).getCell(1).font?.bold).toBe(true);
    }
  });

  it('prints each sheet on A4 landscape, fitted to the width, with its title and header rows on every page', async () => {
    const { book } = await workbook();
    const units: Record<string, string> = {
      短视频台账: '条',
      直播台账: '场',
      招工小报台账: '期',
      媒体宣传台账: '篇',
      AI数智招聘会台账: '场',
      线下招聘会台账: '场',
    };
    for (const sheet of book.worksheets) {
      expect(sheet.pageSetup, sheet.name).toMatchObject({
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: '1:3',
      });
      expect(sheet.headerFooter.oddFooter).toBe('&C第 &P 页，共 &N 页');
      // The title spans the table: the site, the sheet and the year, then the period and the unit.
      const columns = sheet.getRow(HEADER_ROW).cellCount;
      expect(sheet.getCell(1, columns).isMerged, sheet.name).toBe(true);
      expect(sheet.getCell(1, columns).master.address).toBe('A1');
      const sheetName = sheet.name === '汇总' ? '考核汇总' : sheet.name;
      expect(sheet.getCell('A1').value).toBe(`示范区就业服务中心${sheetName}（2026 服务年度）`);
      expect(sheet.getCell('A1').font?.size).toBe(14);
      const unit = units[sheet.name];
      expect(sheet.getCell('A2').value).toBe(
        `服务期：2026-03-01 至 2027-02-28　　统计截至：2026-09-01${unit ? `　　单位：${unit}` : ''}`,
      );
    }
  });

  it('sizes each column to what it shows, wrapping only what is longer than the widest column allows', async () => {
    const { book } = await workbook();
    const videos = book.getWorksheet('短视频台账');
    const width = (header: string) => {
      const cell = videos?.getRow(HEADER_ROW).values as string[];
      return videos?.getColumn(cell.indexOf(header)).width ?? videos?.properties.defaultColWidth;
    };
    // 序号 holds one digit, 标题 a title wider than its widest, 链接 addresses of 32 characters.
    expect(width('序号')).toBe(6);
    expect(width('发布日期')).toBe(12);
    expect(width('标题')).toBe(36);
    expect(width('链接')).toBe(37);
    for (const sheet of book.worksheets) {
      const last = HEADER_ROW + sheetRows(book, sheet.name).length;
      sheet.getRow(HEADER_ROW).eachCell((header, column) => {
        const columnWidth = sheet.getColumn(column).width ?? sheet.properties.defaultColWidth ?? 0;
        expect(columnWidth, `${sheet.name} ${header.value}`).toBeGreaterThanOrEqual(6);
        expect(columnWidth, `${sheet.name} ${header.value}`).toBeLessThanOrEqual(40);
        for (let n = HEADER_ROW + 1; n <= last; n++) {
          const cell = sheet.getRow(n).getCell(column);
          const text = cell.value instanceof Date ? 'yyyy-mm-dd' : cell.text;
          // A CJK character is about 2.2 digits of the default font wide; a cell leaves one for padding.
          const lines = text
            .split('\n')
            .reduce((sum, line) => sum + Math.ceil((displayWidth(line) * 1.1) / (columnWidth - 1)), 0);
          if (lines <= 1) continue;
          // Too long for the column: it wraps, in a row tall enough for its lines.
          const where = `${sheet.name} ${cell.address}`;
          expect(cell.alignment?.wrapText, where).toBe(true);
          expect(sheet.getRow(n).height, where).toBeGreaterThanOrEqual(15 * lines);
        }
      });
    }
  });

  it.each([
    ['序号', 4],
    ['abc', 3],
    ['（AI）', 6],
    ['第一行\nlonger line', 11],
    ['计入考核（印数≥1000）', 21],
    ['', 0],
  ])('counts %j as %i columns wide', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  it.each([
    ['a one-digit number under a short header is the narrowest column', '序号', ['1', '2'], undefined, 6],
    ['a date takes its ten characters and air', '发布日期', ['2026-03-01'], undefined, 12],
    ['Chinese text counts double, and a tenth more', '媒体', ['江西日报社新闻网'], undefined, 19],
    ['long text stops at the column’s widest', '标题', ['很长的标题'.repeat(10)], 36, 36],
    ['without its own widest, a column stops at 20', '地点', ['很长的地点'.repeat(10)], undefined, 20],
    ['a long header wraps to two lines over narrow content', '计入考核（印数≥1000）', ['是'], undefined, 15],
    ['a header of four characters wraps two and two over a number', '全年目标', ['100'], undefined, 6],
    ['a header of three characters stays on one line', '岗位数', ['9'], undefined, 8],
    ['multi-line cells are as wide as their longest line', '证据文件', ['a.jpg\nvideos/001-cover.jpg'], 30, 23],
  ])('%s', (_, header, cells, max, width) => {
    expect(columnWidth(header, cells, max)).toBe(width);
  });

  it("sums up the year with the dashboard's numbers", async () => {
    const { book } = await workbook();
    const { report } = await loadYearReport(db, seeded.site, seeded.year, seeded.now);
    const rows = new Map(sheetRows(book, '汇总').map((row) => [row.考核项目, row]));
    const numbers = (item: { target: number; done: number; expectedByToday: number; projected: number }) => ({
      全年目标: item.target,
      已完成: item.done,
      按进度今天应完成: item.expectedByToday,
      按当前进度预计全年: item.projected,
    });
    for (const line of report.lines) {
      expect(rows.get(line.label)).toMatchObject({ ...numbers(line), 当前得分: line.points, 满分: line.maxPoints });
      for (const sub of line.subTargets) expect(rows.get(`　其中：${sub.label}`)).toMatchObject(numbers(sub));
    }
    expect(rows.get('合计')).toMatchObject({ 当前得分: report.total.points, 满分: 37 });
    // What the seeded year holds, so that equal numbers are not equally wrong.
    expect([...rows.values()].map((row) => [row.考核项目, row.已完成])).toEqual([
      ['短视频', 3],
      ['　其中：AI 视频', 1],
      ['媒体宣传', 2],
      ['　其中：国家级或部级', 1],
      ['招工小报', 1],
      ['直播', 1],
      ['　其中：直播带岗', 1],
      ['　其中：其他直播', 0],
      ['AI数智招聘会', 1],
      ['线下招聘会', 1],
      ['合计', null],
    ]);
    // 0.1 for the livestream, 0.1 for the AI fair, 0.5 for the on-site fair.
    expect(rows.get('合计')?.当前得分).toBe(0.7);
    const notes = new Map<string, string>();
    book.getWorksheet('汇总')?.eachRow((row) => notes.set(String(row.getCell(1).value), String(row.getCell(2).value)));
    expect(notes.get('服务年度')).toBe('2026-03-01 至 2027-02-28');
    expect(notes.get('统计截至')).toBe('2026-09-01');
    expect(notes.get('生成时间')).toBe('2026-09-01 12:00（Asia/Shanghai）');
  });

  it('lists every video of the service year, oldest first, with its cover file', async () => {
    const { book } = await workbook();
    const { coverStored, coverLost } = seeded.renders;
    expect(sheetRows(book, '短视频台账')).toEqual([
      {
        序号: 1,
        发布日期: '2026-03-01',
        平台: '抖音',
        标题: `'=HYPERLINK("https://evil.example/","点我")`,
        链接: 'https://v.douyin.com/2026-03-01/',
        'AI 视频': '是',
        'AI 组件 / 工具': '离线语音（eSpeak NG） eSpeak NG cmn-latn-pinyin female，2026-03-01',
        制作编号: coverStored,
        证据文件: 'videos/001-cover.jpg',
      },
      {
        序号: 2,
        发布日期: '2026-05-10',
        平台: '视频号',
        标题: "'-5℃ 冷库招工",
        链接: 'https://v.douyin.com/2026-05-10/',
        'AI 视频': '否',
        'AI 组件 / 工具': null,
        制作编号: coverLost,
        证据文件: 'videos/002-cover.jpg',
      },
      {
        序号: 3,
        发布日期: '2027-02-28',
        平台: '其他',
        标题: '春风行动 外部制作',
        链接: 'https://v.douyin.com/2027-02-28/',
        'AI 视频': '否',
        'AI 组件 / 工具': null,
        制作编号: '外部',
        证据文件: null,
      },
    ]);
  });

  it('lists the ended livestreams on the site clock, the unqualified one with its reasons', async () => {
    const { book } = await workbook();
    const { qualifiedSession, unqualifiedSession } = seeded.sessions;
    expect(sheetRows(book, '直播台账')).toEqual([
      {
        序号: 1,
        日期: '2026-06-01',
        开始时间: '19:00',
        类型: '直播带岗',
        标题: '春季直播带岗',
        主播: '小李',
        '直播时长（分钟）': 65,
        讲解岗位数: 21,
        达标: '是',
        结论说明: '直播时长 65 分钟，达到 60 分钟；讲解岗位 21 个，达到 20 个',
        场次编号: qualifiedSession,
        证据文件: [
          'livestreams/001-evidence.html',
          'livestreams/001-evidence.json',
          'livestreams/001-thumb-1.jpg',
          'livestreams/001-thumb-2.jpg',
        ].join('\n'),
      },
      {
        序号: 2,
        日期: '2026-07-01',
        开始时间: '10:00',
        类型: '政策讲解',
        标题: "'+社保政策解读",
        主播: '小李',
        '直播时长（分钟）': 20,
        讲解岗位数: 0,
        达标: '否',
        结论说明: '不达标：直播时长 20 分钟，不足 60 分钟',
        场次编号: unqualifiedSession,
        证据文件: 'livestreams/002-evidence.html\nlivestreams/002-evidence.json',
      },
    ]);
  });

  it("lists the year's flyer issues with print and distribution, and which count", async () => {
    const { book } = await workbook();
    expect(sheetRows(book, '招工小报台账')).toEqual([
      {
        期号: 13,
        月份: '2026-03',
        计划印数: 1000,
        实际印数: 1200,
        印刷日期: '2026-03-05',
        发放份数: 1000,
        发放地点: '青山湖区零工市场',
        发放日期: '2026-03-08',
        '计入考核（印数≥1000）': '是',
        小报文件: 'flyers/2026-03-flyer.pdf',
      },
      {
        期号: 14,
        月份: '2026-04',
        计划印数: 2000,
        实际印数: 800,
        印刷日期: '2026-04-06',
        发放份数: null,
        发放地点: null,
        发放日期: null,
        '计入考核（印数≥1000）': '否',
        小报文件: 'flyers/2026-04-flyer.pdf',
      },
    ]);
  });

  it('lists the media reports with outlet, level, link and the screenshot or PDF given', async () => {
    const { book } = await workbook();
    expect(sheetRows(book, '媒体宣传台账')).toEqual([
      {
        序号: 1,
        发布日期: '2026-04-02',
        媒体: '人民网',
        级别: '国家级或部级',
        标题: '人民网报道零工市场',
        链接: 'https://news.example.cn/2026-04-02',
        证据文件: 'coverage/001-article.png',
      },
      {
        序号: 2,
        发布日期: '2026-06-18',
        媒体: "'@江西新闻",
        级别: '省级',
        标题: "'@江西新闻报道零工市场",
        链接: 'https://news.example.cn/2026-06-18',
        证据文件: null,
      },
    ]);
  });

  it('never writes a formula: a title typed as =HYPERLINK(…) is text, links are plain hyperlinks', async () => {
    const { book, data } = await workbook();
    const title = book.getWorksheet('短视频台账')?.getCell('D4');
    expect(title?.type).toBe(ExcelJS.ValueType.String);
    expect(title?.formula).toBeUndefined();
    expect(book.getWorksheet('短视频台账')?.getCell('E4').value).toEqual({
      text: 'https://v.douyin.com/2026-03-01/',
      hyperlink: 'https://v.douyin.com/2026-03-01/',
    });
    // No sheet of the file holds a formula element at all.
    const parts = await unzip(data);
    const sheets = [...parts.keys()].filter((name) => name.startsWith('xl/worksheets/sheet'));
    expect(sheets).toHaveLength(7);
    for (const name of sheets) expect(parts.get(name)?.toString('utf8')).not.toMatch(/<f[ >]/);
  });
});

describe('the fair ledgers', () => {
  const names = (text: unknown) => String(text).split('、');

  it('lists the AI fairs held in the year, with employers, jobs, attendance, plays and the verdict', async () => {
    const { book, ledger } = await workbook();
    const rows = sheetRows(book, 'AI数智招聘会台账');
    const { aiQualified, aiShort } = seeded.fairs;
    expect(rows.map(({ 用人单位, ...row }) => row)).toEqual([
      {
        序号: 1,
        日期: '2026-05-20',
        时间: '09:00–12:00',
        名称: '五月 AI数智招聘会',
        地点: '零工驿站',
        用人单位数: 7,
        岗位数: 14,
        求职人数: 150,
        达成意向数: 42,
        屏幕分组: '零工驿站',
        播放次数: 11,
        完整播放次数: 9,
        播放视频数: 4,
        照片数: 2,
        达标: '是',
        结论说明: '用人单位 7 家（要求 6–10 家）；招聘会期间职播机播放带岗视频 9 次，共 4 条',
        招聘会编号: aiQualified.id,
        证据文件: [
          'ai-fairs/001-record.html',
          'ai-fairs/001-record.json',
          'ai-fairs/001-photo-1.jpg',
          'ai-fairs/001-photo-2.jpg',
          'ai-fairs/001-plan.pdf',
        ].join('\n'),
      },
      {
        序号: 2,
        日期: '2026-06-10',
        时间: '14:00–17:00',
        名称: "'=六月 AI数智招聘会",
        地点: '零工驿站',
        用人单位数: 5,
        岗位数: 5,
        求职人数: 120,
        达成意向数: 30,
        屏幕分组: '零工驿站',
        播放次数: 3,
        完整播放次数: 3,
        播放视频数: 1,
        照片数: 0,
        达标: '否',
        结论说明: '不达标：用人单位 5 家，少于 6 家',
        招聘会编号: aiShort.id,
        证据文件: 'ai-fairs/002-record.html\nai-fairs/002-record.json',
      },
    ]);
    expect(names(rows[0]?.用人单位)).toEqual(ledger.aiFairs[0]?.employerNames);
    expect(names(rows[0]?.用人单位)).toHaveLength(7);
    expect(names(rows[1]?.用人单位)).toHaveLength(5);
  });

  it('lists the on-site fairs held in the year, without screen columns; the one not yet held is left out', async () => {
    const { book } = await workbook();
    const rows = sheetRows(book, '线下招聘会台账');
    expect(Object.keys(rows[0] ?? {})).not.toContain('播放次数');
    expect(rows.map(({ 用人单位, ...row }) => row)).toEqual([
      {
        序号: 1,
        日期: '2026-04-18',
        时间: '09:00–12:00',
        名称: '春风行动线下招聘会',
        地点: '市民广场',
        用人单位数: 12,
        岗位数: 12,
        求职人数: 800,
        达成意向数: 120,
        照片数: 0,
        达标: '是',
        结论说明: '用人单位 12 家（要求至少 10 家）',
        招聘会编号: seeded.fairs.onsiteQualified.id,
        证据文件: 'onsite-fairs/001-record.html\nonsite-fairs/001-record.json',
      },
      {
        序号: 2,
        日期: '2026-07-08',
        时间: '09:00–12:00',
        名称: '七月线下招聘会',
        地点: '市民广场',
        用人单位数: 9,
        岗位数: 9,
        求职人数: null,
        达成意向数: null,
        照片数: 0,
        达标: '否',
        结论说明: '不达标：用人单位 9 家，少于 10 家',
        招聘会编号: seeded.fairs.onsiteShort.id,
        证据文件: 'onsite-fairs/002-record.html\nonsite-fairs/002-record.json',
      },
    ]);
  });

  it('has as many 达标 rows as the summary counts', async () => {
    const { book } = await workbook();
    const summary = new Map(sheetRows(book, '汇总').map((row) => [row.考核项目, row]));
    for (const [sheet, label] of [
      ['AI数智招聘会台账', 'AI数智招聘会'],
      ['线下招聘会台账', '线下招聘会'],
    ]) {
      const qualified = sheetRows(book, sheet as string).filter((row) => row.达标 === '是').length;
      expect(summary.get(label)?.已完成, label).toBe(qualified);
    }
  });
});

describe('the evidence packs', () => {
  it('packs the video covers under the names the ledger gives, and notes the lost one', async () => {
    const { files, items, missing } = await pack('videos');
    expect([...files.keys()]).toEqual(['短视频台账-2026.xlsx', MISSING_NOTE, 'videos/001-cover.jpg']);
    expect(files.get('videos/001-cover.jpg')?.toString()).toBe(`video ${seeded.renders.coverStored}`);
    expect(items).toBe(3);
    expect(missing.map((file) => file.name)).toEqual(['videos/002-cover.jpg']);
    const note = files.get(MISSING_NOTE)?.toString('utf8') ?? '';
    expect(note).toContain(`videos/002-cover.jpg\t第 2 条短视频的封面（制作编号 ${seeded.renders.coverLost}）`);
    expect(note).toContain(`媒体库中找不到文件 renders/${seeded.renders.coverLost}/cover.jpg`);
    const book = await readWorkbook(files.get('短视频台账-2026.xlsx') as Buffer);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['汇总', '短视频台账']);
    expect(sheetRows(book, '短视频台账')).toHaveLength(3);
  });

  it("packs a livestream's evidence page, data and thumbnails; one not yet made is noted", async () => {
    const { files } = await pack('livestreams');
    expect([...files.keys()]).toEqual([
      '直播台账-2026.xlsx',
      MISSING_NOTE,
      'livestreams/001-evidence.html',
      'livestreams/001-evidence.json',
      'livestreams/001-thumb-1.jpg',
      'livestreams/001-thumb-2.jpg',
    ]);
    expect(files.get('livestreams/001-thumb-2.jpg')?.toString()).toBe(seeded.evidence.thumbnailKeys[1]);
    const note = files.get(MISSING_NOTE)?.toString('utf8') ?? '';
    expect(note).toMatch(/^\ufeff以下 2 个证据文件/);
    expect(note).toContain('livestreams/002-evidence.html\t第 2 场直播');
    expect(note).toContain('尚未生成');
  });

  it('packs the flyer PDFs; the month whose flyer is not made yet is noted', async () => {
    const { files } = await pack('flyers');
    expect([...files.keys()]).toEqual(['招工小报台账-2026.xlsx', MISSING_NOTE, 'flyers/2026-03-flyer.pdf']);
    expect(files.get(MISSING_NOTE)?.toString('utf8')).toContain(
      'flyers/2026-04-flyer.pdf\t第 14 期招工小报（2026-04）',
    );
  });

  it("packs the media reports' screenshots under the names the ledger gives; a report without one is its link", async () => {
    const { files, items } = await pack('coverage');
    expect([...files.keys()]).toEqual(['媒体宣传台账-2026.xlsx', 'coverage/001-article.png']);
    expect(files.get('coverage/001-article.png')).toEqual(SCREENSHOT);
    expect(items).toBe(2);
  });

  it("packs each AI fair's record as a page and as data, its photos and plan; the lost photo is noted", async () => {
    const { files, items, missing } = await pack('aiFairs');
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
    expect(items).toBe(2);
    expect(missing.map((file) => file.name)).toEqual(['ai-fairs/001-photo-2.jpg']);
    expect(files.get(MISSING_NOTE)?.toString('utf8')).toContain(
      `ai-fairs/001-photo-2.jpg\t第 1 场AI数智招聘会（编号 ${seeded.fairs.aiQualified.id}）的第 2 张照片`,
    );
    expect(files.get('ai-fairs/001-photo-1.jpg')?.toString()).toBe('photo 1');
    expect(files.get('ai-fairs/001-plan.pdf')?.toString()).toBe('plan');

    const record = JSON.parse(files.get('ai-fairs/001-record.json')?.toString('utf8') ?? '{}');
    expect(record.fair).toMatchObject({ id: seeded.fairs.aiQualified.id, kind: 'ai', day: '2026-05-20' });
    expect(record.verdict).toEqual({
      qualified: true,
      employers: 7,
      reasons: ['用人单位 7 家（要求 6–10 家）', '招聘会期间职播机播放带岗视频 9 次，共 4 条'],
    });
    expect(record.employers).toHaveLength(7);
    expect(record.employers.every((e: { jobs: unknown[] }) => e.jobs.length === 2)).toBe(true);
    expect(record.photos.map((p: { file: string | null }) => p.file)).toEqual([
      'ai-fairs/001-photo-1.jpg',
      'ai-fairs/001-photo-2.jpg',
    ]);
    expect(record.plays).toMatchObject({ total: 11, completed: 9, videos: 4 });
    expect(record.plays.list).toHaveLength(11);

    const page = files.get('ai-fairs/001-record.html')?.toString('utf8') ?? '';
    expect(page).toContain('<h1>AI数智招聘会记录：五月 AI数智招聘会</h1>');
    expect(page).toContain('<b class="ok">达标</b>');
    expect(page).toContain('<img src="001-photo-1.jpg" alt="现场.jpg">');
    expect(page).toContain('职播机播放记录（11 次）');
    expect(page).toContain('<td>2026-05-20 09:00:00</td>');
    // A title that would be a formula in a sheet is only text in the page, escaped.
    const second = files.get('ai-fairs/002-record.html')?.toString('utf8') ?? '';
    expect(second).toContain('<b class="no">未达标</b>：用人单位 5 家，少于 6 家');
  });

  it("packs each on-site fair's record, without a missing-files note", async () => {
    const { files, items } = await pack('onsiteFairs');
    expect([...files.keys()]).toEqual([
      '线下招聘会台账-2026.xlsx',
      'onsite-fairs/001-record.html',
      'onsite-fairs/001-record.json',
      'onsite-fairs/002-record.html',
      'onsite-fairs/002-record.json',
    ]);
    expect(items).toBe(2);
    const page = files.get('onsite-fairs/001-record.html')?.toString('utf8') ?? '';
    expect(page).toContain('用人单位和岗位（12 家）');
    expect(page).not.toContain('职播机播放记录');
    const book = await readWorkbook(files.get('线下招聘会台账-2026.xlsx') as Buffer);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['汇总', '线下招聘会台账']);
  });

  it('has every file the ledger names either in the pack or in its note', async () => {
    for (const line of ledgerLines) {
      const { files, ledger } = await pack(line);
      const named = ledger[line].flatMap((row) => row.evidence.map((file) => file.name));
      const note = files.get(MISSING_NOTE)?.toString('utf8') ?? '';
      for (const name of named) expect(files.has(name) || note.includes(`${name}\t`), `${line}: ${name}`).toBe(true);
    }
  });
});
